package org.tandemrc.security.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.support.jdbc.Database;

/**
 * Rows go to a real rsyslog over TLS, with the peer's text escaped; while rsyslog is stopped they wait in
 * the table and arrive when it is back, and a restart of the forwarder sends nothing twice.
 */
class SyslogForwarderTest {

    private static final Pattern ID = Pattern.compile(" id=\"(\\d+)\"");

    @TempDir
    Path dir;

    /** Hostile text in every field a peer chooses. */
    static List<AuditEvent> hostile(int n, int from) {
        List<AuditEvent> list = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            list.add(new AuditEvent(Instant.now(), "TSECSS!", Severity.SECURITY, "host\"a", "a]b\"c\\d",
                    "eve\u001b[2J", "line " + i + "\nforged line\r\u0007"));
        }
        return list;
    }

    @Test
    void everyRowArrivesOnceEscapedAlsoAcrossAReceiverAndAForwarderRestart() throws Exception {
        Path ca = Rsyslog.certificates(dir.resolve("pki"));
        Path pki = dir.resolve("pki");
        String url = "jdbc:h2:" + dir.resolve("audit");
        try (Rsyslog rsyslog = new Rsyslog(dir.resolve("rsyslog"), ca, pki.resolve("server.crt"),
                pki.resolve("server.key"))) {
            rsyslog.start();
            SyslogForwarder.Settings settings = new SyslogForwarder.Settings("127.0.0.1", rsyslog.port,
                    ca, "ss-1.example", "tandem");
            SyslogForwarder[] forwarder = new SyslogForwarder[1];
            try (AuditStore store = new AuditStore(new Database(url, "", "", AuditStore.SCHEMA),
                    last -> forwarder[0].wake())) {
                forwarder[0] = SyslogForwarder.start(settings, new Database(url, "", ""));
                store.append("fp-a", "host-a", 0, hostile(40, 0));
                List<String> lines = rsyslog.await(40, 60);
                assertEquals(40, lines.size(), String.join("\n", lines));
                String first = lines.get(0);
                assertTrue(first.startsWith("TSECSS!|[tandem@32473 id=\"1\" source=\"fp-a\" seq=\"0\""
                        + " code=\"TSECSS!\" node=\"host-a\" peer=\"a\\]b\\\"c\\\\\\\\d\" user=\"eve\\\\x1b[2J\"]|"),
                        first);
                assertTrue(first.endsWith("line 0\\nforged line\\r\\x07"), first);

                rsyslog.stop();
                store.append("fp-a", "host-a", 40, hostile(30, 40));
                Thread.sleep(1500); // the forwarder tries and fails meanwhile
                assertEquals(40, forwarder[0].forwarded(), "nothing counted as sent while the receiver is down");
                rsyslog.start();
                lines = rsyslog.await(70, 60);
                assertEquals(70, lines.size());

                forwarder[0].close();
                store.append("fp-a", "host-a", 70, hostile(10, 70));
                forwarder[0] = SyslogForwarder.start(settings, new Database(url, "", ""));
                lines = rsyslog.await(80, 60);
                Thread.sleep(1000); // anything sent twice would arrive now
                lines = rsyslog.lines();
                TreeMap<Long, Integer> counts = new TreeMap<>();
                for (String line : lines) {
                    Matcher m = ID.matcher(line);
                    assertTrue(m.find(), line);
                    counts.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
                }
                assertEquals(80, lines.size(), "no row twice");
                assertEquals(80, counts.size());
                assertEquals(1L, counts.firstKey());
                assertEquals(80L, counts.lastKey());
                assertEquals(80, forwarder[0].forwarded());
            } finally {
                if (forwarder[0] != null) {
                    forwarder[0].close();
                }
            }
        }
    }

    @Test
    void messagesFollowRfc5424() {
        AuditRow row = AuditRow.chained(7, "fp", "", 3, new AuditEvent(Instant.parse("2026-12-05T10:00:00.5Z"),
                "HSESRC+", Severity.INFO, "node one", "", "", ""), AuditRow.GENESIS);
        String m = Syslog.message(row, "ss 1", "tandem");
        assertEquals("<110>1 2026-12-05T10:00:00.500000Z ss_1 tandem - HSESRC+ [tandem@32473 id=\"7\" source=\"fp\""
                + " seq=\"3\" code=\"HSESRC+\" node=\"node one\" peer=\"\" user=\"\"]", m);
        byte[] framed = Syslog.framed("<110>1 ü");
        assertEquals("9 <110>1 ü", new String(framed, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("-", Syslog.header("", 32));
        assertEquals("a_b", Syslog.header("a b", 32));
        assertEquals(32, Syslog.header("X".repeat(40), 32).length());
    }
}
