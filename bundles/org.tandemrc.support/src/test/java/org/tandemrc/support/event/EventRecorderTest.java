package org.tandemrc.support.event;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.event.EventCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

    /** The node log's line format (the launcher's NodeLog). */
    private static final String NODE_LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n";

    private final ByteArrayOutputStream nodeLog = new ByteArrayOutputStream();
    private final Logger logger = Logger.getLogger("test.audit");
    private Handler handler;

    private void captureNodeLog() {
        Formatter f = new SimpleFormatter() {
            @Override
            public String format(LogRecord r) {
                return String.format(NODE_LOG_FORMAT, new java.util.Date(r.getMillis()), r.getSourceClassName(),
                        r.getLoggerName(), r.getLevel().getName(), formatMessage(r), "");
            }
        };
        handler = new StreamHandler(nodeLog, f);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void release() {
        if (handler != null) {
            logger.removeHandler(handler);
        }
    }

    @Test
    void aGuestNameWithALineEndForgesNoLogLine() {
        captureNodeLog();
        EventRecorder recorder = new EventRecorder("test.audit");
        List<AuditEvent> sunk = new ArrayList<>();
        recorder.add(sunk::add);
        String forged = "mallory\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.1.2.3:6502"
                + " user=admin logged on with role Full access";
        recorder.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, "192.0.2.9:40000", forged, "wrong\rpassword");
        handler.flush();
        String log = nodeLog.toString(StandardCharsets.UTF_8);
        List<String> lines = log.lines().toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).contains("[test.audit] SECPW! peer=192.0.2.9:40000 user=mallory\\n2026-12-04"),
                lines.get(0));
        assertTrue(lines.get(0).endsWith("wrong\\rpassword"), lines.get(0));
        // Sinks get the text as it came: each escapes for its own medium.
        assertEquals(forged, sunk.get(0).user());
    }
}
