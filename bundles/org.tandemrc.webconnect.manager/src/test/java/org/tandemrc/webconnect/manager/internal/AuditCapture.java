package org.tandemrc.webconnect.manager.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The manager's audit lines as a test sees them: {@link #start()} before, {@link #stop()} after. */
final class AuditCapture extends Handler {

    /** Held here: JUL keeps loggers only weakly, and a collected one would lose the capturing handler. */
    private final Logger auditLogger = Logger.getLogger("org.tandemrc.webconnect.manager.audit");
    private final List<String> log = new ArrayList<>();

    void start() {
        auditLogger.addHandler(this);
    }

    void stop() {
        auditLogger.removeHandler(this);
    }

    List<String> lines() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public void publish(LogRecord r) {
        String m = r.getMessage();
        Object[] p = r.getParameters();
        if (p != null) {
            m = java.text.MessageFormat.format(m, p);
        }
        synchronized (log) {
            log.add(m);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
