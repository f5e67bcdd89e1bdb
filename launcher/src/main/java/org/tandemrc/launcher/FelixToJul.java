package org.tandemrc.launcher;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Sends the framework's own log (bundle resolution and start failures) to the node log file. */
final class FelixToJul extends org.apache.felix.framework.Logger {

    private static final Logger LOG = Logger.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg,
            Throwable throwable) {
        Level jul = switch (level) {
            case LOG_ERROR -> Level.SEVERE;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.FINE;
        };
        LogRecord record = new LogRecord(jul, bundle == null ? msg : bundle.getSymbolicName() + ": " + msg);
        record.setLoggerName(LOG.getName());
        record.setThrown(throwable);
        LOG.log(record);
    }
}
