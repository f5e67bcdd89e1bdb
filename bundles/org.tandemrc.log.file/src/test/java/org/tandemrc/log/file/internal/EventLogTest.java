package org.tandemrc.log.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;

class EventLogTest {

    private static final LineFormat PLAIN = new LineFormat(LineFormat.Role.HOST, "%C", "%C", "tester");

    @TempDir
    Path dir;

    private EventLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private static AuditEvent event(int n, String detail) {
        return new AuditEvent(Instant.ofEpochSecond(1_700_000_000L + n), EventCodes.HOST_SESSION_STARTED,
                Severity.INFO, "host1", "192.0.2.7:6502", "alice", detail);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** Opens {@code log}, enabled, on events.log in plain format, holding up to 100 events; returns the file. */
    private Path openPlain() {
        Path file = dir.resolve("events.log");
        log = new EventLog(file, PLAIN, true, 100);
        return file;
    }

    private static void assertOnlyLine(Path file, String message) throws IOException {
        List<String> lines = lines(file);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith("\t" + message));
    }

    @Test
    void writesEventsInOrderOneLinePerEvent() throws IOException {
        Path file = dir.resolve("log/events.log");
        log = new EventLog(file, PLAIN, true, 100);
        for (int i = 0; i < 5; i++) {
            log.record(event(i, "n" + i));
        }
        List<String> lines = lines(file);
        assertEquals(5, lines.size());
        for (int i = 0; i < 5; i++) {
            String[] f = lines.get(i).split("\t", -1);
            assertEquals(7, f.length);
            assertEquals(Instant.ofEpochSecond(1_700_000_000L + i).toString(), f[0]);
            assertEquals("HSES+", f[1]);
            assertEquals("INFO", f[2]);
            assertEquals("host1", f[3]);
            assertEquals("192.0.2.7:6502", f[4]);
            assertEquals("alice", f[5]);
            assertEquals("n" + i, f[6]);
        }
        assertEquals(0, log.pending());
    }

    @Test
    void controlCharactersCannotForgeLinesOrColumns() throws IOException {
        Path file = openPlain();
        AuditEvent forged = new AuditEvent(Instant.EPOCH, "SECPW!\n", Severity.SECURITY, "host\t1",
                "evil\r\n1970-01-01T00:00:00Z\tHSES+", "bob\u2028x", "a\nb\tc\u0000d\u001be\u0085f\u2029g");
        log.record(forged);
        List<String> lines = lines(file);
        assertEquals(1, lines.size());
        String[] f = lines.get(0).split("\t", -1);
        assertEquals(7, f.length);
        assertEquals("SECPW!\\n", f[1]);
        assertEquals("host\\t1", f[3]);
        assertEquals("evil\\r\\n1970-01-01T00:00:00Z\\tHSES+", f[4]);
        assertEquals("bob\\u2028x", f[5]);
        assertEquals("a\\nb\\tc\\x00d\\x1be\\x85f\\u2029g", f[6]);
        // the file itself holds exactly one line end
        String raw = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(1, raw.chars().filter(c -> c == '\n' || c == '\r').count());
    }

    @Test
    void writesUtf8() throws IOException {
        Path file = openPlain();
        log.record(event(0, "Grüße 日本"));
        assertTrue(lines(file).get(0).endsWith("\tGrüße 日本"));
    }

    @Test
    void recreatesADeletedFile() throws IOException {
        Path file = openPlain();
        log.record(event(1, "first"));
        Files.delete(file);
        log.record(event(2, "second"));
        assertOnlyLine(file, "second");
    }

    @Test
    void followsARotatedFile() throws IOException {
        Path file = openPlain();
        log.record(event(1, "old"));
        Files.move(file, dir.resolve("events.log.1"));
        Files.writeString(file, ""); // a rotator creating the new file itself
        log.record(event(2, "new"));
        assertEquals(1, lines(dir.resolve("events.log.1")).size());
        assertOnlyLine(file, "new");
    }

    @Test
    void keepsEventsWhileThePathIsNotWritableAndWritesThemLater() throws IOException {
        Path file = dir.resolve("events.log");
        Files.createDirectory(file); // a directory where the file should be: every write fails
        log = new EventLog(file, PLAIN, true, 100);
        log.record(event(1, "one"));
        log.record(event(2, "two"));
        assertEquals(2, log.pending());
        assertTrue(Files.isDirectory(file));

        Files.delete(file);
        log.record(event(3, "three"));
        assertEquals(0, log.pending());
        List<String> lines = lines(file);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).endsWith("\tone"));
        assertTrue(lines.get(1).endsWith("\ttwo"));
        assertTrue(lines.get(2).endsWith("\tthree"));
    }

    @Test
    void failureAfterWritingKeepsLaterEventsAndWritesNothingTwice() throws IOException {
        Path file = openPlain();
        log.record(event(1, "one"));
        Files.delete(file);
        Files.createDirectory(file);
        log.record(event(2, "two"));
        assertEquals(1, log.pending());
        Files.delete(file);
        log.record(event(3, "three"));
        List<String> lines = lines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).endsWith("\ttwo"));
        assertTrue(lines.get(1).endsWith("\tthree"));
    }

    @Test
    void theQueueIsBoundedAndDropsTheOldest() throws IOException {
        Path file = dir.resolve("events.log");
        Files.createDirectory(file);
        log = new EventLog(file, PLAIN, true, 3);
        for (int i = 1; i <= 5; i++) {
            log.record(event(i, "e" + i));
        }
        assertEquals(3, log.pending());
        Files.delete(file);
        log.record(event(6, "e6"));
        List<String> lines = lines(file);
        assertEquals(List.of("e4", "e5", "e6"), lines.stream().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList());
    }

    @Test
    void anIncompleteLastLineIsClosedBeforeAppending() throws IOException {
        Path file = dir.resolve("events.log");
        Files.writeString(file, "cut short");
        log = new EventLog(file, PLAIN, true, 100);
        log.record(event(1, "next"));
        List<String> lines = lines(file);
        assertEquals("cut short", lines.get(0));
        assertTrue(lines.get(1).endsWith("\tnext"));
    }

    @Test
    void disabledWritesNothingAndReconfigureKeepsTheQueue() throws IOException {
        Path file = dir.resolve("events.log");
        log = new EventLog(file, PLAIN, false, 100);
        log.record(event(1, "ignored"));
        assertFalse(Files.exists(file));

        Path blocked = dir.resolve("blocked");
        Files.createDirectory(blocked);
        log.configure(blocked, PLAIN, true);
        log.record(event(2, "kept"));
        assertEquals(1, log.pending());

        Path other = dir.resolve("other.log");
        log.configure(other, PLAIN, true);
        log.record(event(3, "after"));
        assertEquals(2, lines(other).size());
        assertTrue(lines(other).get(0).endsWith("\tkept"));
    }
}
