package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/**
 * The node log's last line of defence: a bundle that logs peer text without escaping it must still not
 * be able to start a line of its own in {@code tandem.log}.
 */
class LineFormatterTest {

    private final LineFormatter formatter = new LineFormatter();

    @Test
    void aMessageWithLineEndsStaysOneLine() {
        LogRecord r = new LogRecord(Level.INFO, "refused mallory\n2026-12-04 10:00:00.000 INFO    [x] HSES+ forged\r\u001b[2J");
        r.setLoggerName("org.tandemrc.x");
        String out = formatter.format(r);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), out);
        assertTrue(out.contains("refused mallory\\n2026-12-04"), out);
        assertTrue(out.contains("forged\\r\\x1b[2J"), out);
    }

    @Test
    void textEscapedAlreadyIsLeftAsItIs() {
        LogRecord r = new LogRecord(Level.INFO, "HSES+ peer=1.2.3.4 user=a\\nb logged on; Grüße 🙂");
        r.setLoggerName("x");
        assertTrue(formatter.format(r).contains("user=a\\nb logged on; Grüße 🙂"), formatter.format(r));
    }

    @Test
    void anExceptionMessageCannotStartALineEither() {
        LogRecord r = new LogRecord(Level.WARNING, "failed");
        r.setLoggerName("x");
        r.setThrown(new IllegalStateException("bad name mallory\nHSES+ forged", new RuntimeException("cause\nforged too")));
        String out = formatter.format(r);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).contains("failed"), out);
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(line.startsWith("\tat ") || line.startsWith("Caused by: ") || line.startsWith("\t... ")
                    || line.startsWith("java.lang.IllegalStateException: bad name mallory\\nHSES+ forged"), line);
        }
        assertTrue(out.contains("Caused by: java.lang.RuntimeException: cause\\nforged too"), out);
    }
}
