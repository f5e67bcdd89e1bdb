package org.tandemrc.security.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.support.jdbc.Database;

/** {@code tandem admin audit ...} on an H2 trail: verify, search, the CSV export. */
class AuditCommandTest {

    @TempDir
    Path dir;

    AuditStore store;
    AuditCommand command;
    final List<AuditStore.Verdict> verdicts = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void open() throws Exception {
        store = new AuditStore(new Database("jdbc:h2:" + dir.resolve("audit"), "", "", AuditStore.SCHEMA), id -> { });
        command = new AuditCommand(store, verdicts::add);
        store.append("fp-a", "host-a", 0, AuditStoreTest.events(3, 0, "TSECSS+"));
        store.append("fp-b", "host-b", 0, List.of(new AuditEvent(AuditStoreTest.T0.plusSeconds(60), "TSECSS!",
                Severity.SECURITY, "host-b", "=HYPERLINK(\"http://evil\")", "+bob", "-1, \"quoted\"\r\nnext line"),
                new AuditEvent(AuditStoreTest.T0.plusSeconds(61), "HSESRC+", Severity.INFO, "host-b", "@SUM(A1)",
                        "bob", " padded ")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    int run(String... args) {
        out.reset();
        err.reset();
        return command.run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifySaysOkWithTheCountOrNamesTheRow() throws Exception {
        assertEquals(0, run("verify"));
        assertEquals("audit trail OK: 5 rows, the chain and its head match\n", out());
        assertTrue(verdicts.get(0).ok());
        store.database().update("update ss_audit set detail = 'x' where id = 2");
        assertEquals(1, run("verify"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("row 2 was changed"), err.toString());
        assertFalse(verdicts.get(1).ok());
    }

    @Test
    void searchPrintsMatchingRowsEscaped() {
        assertEquals(0, run("search", "--node", "host-b", "--code", "TSECSS"));
        List<String> lines = out().lines().toList();
        assertEquals(2, lines.size(), out());
        assertTrue(lines.get(1).startsWith("4 "), lines.get(1));
        assertTrue(lines.get(1).endsWith("-1, \"quoted\"\\r\\nnext line"), lines.get(1));
        assertEquals(0, run("search", "--user", "alice", "--limit", "2"));
        assertEquals(3, out().lines().count());
        assertEquals(0, run("search", "--since", "2026-12-05T10:01:00.5Z", "--until", "2026-12-06"));
        assertEquals(2, out().lines().count(), out());
        assertEquals(2, run("search", "--since", "yesterday"));
        assertEquals(2, run("search", "--limit", "0"));
        assertEquals(2, run("search", "--colour", "red"));
        assertEquals(2, run("search", "--node"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("export", "--csv", "relative.csv"));
    }

    @Test
    void exportWritesRfc4180CsvAndDefusesFormulas() throws Exception {
        Path file = dir.resolve("audit.csv");
        assertEquals(0, run("export", "--csv", file.toString(), "--node", "host-b"));
        assertEquals("2 rows written to " + file + "\n", out());
        String csv = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = List.of(csv.split("\r\n", -1));
        assertEquals("id,time,source,name,seq,code,severity,node,peer,user,detail,hash", lines.get(0));
        AuditRow r4 = store.page(3, 1).get(0);
        assertEquals("4,2026-12-05T10:01:00.123456Z,fp-b,host-b,0,TSECSS!,SECURITY,host-b,"
                + "\"'=HYPERLINK(\"\"http://evil\"\")\",'+bob,\"'-1, \"\"quoted\"\"", lines.get(1));
        assertEquals("next line\"," + r4.hash(), lines.get(2));
        assertTrue(lines.get(3).startsWith("5,"), lines.get(3));
        assertTrue(lines.get(3).contains(",'@SUM(A1),bob,\" padded \","), lines.get(3));
        assertEquals("", lines.get(4), "the file ends with CRLF");
        assertEquals(5, lines.size());
    }

    @Test
    void anExportIsWholeUnlessLimitedAndReadsPageByPage() throws Exception {
        store.append("fp-c", "host-c", 0, AuditStoreTest.events(AuditStore.MAX_BATCH, 0, "HSESRC+"));
        store.append("fp-c", "host-c", AuditStore.MAX_BATCH, AuditStoreTest.events(500, AuditStore.MAX_BATCH,
                "HSESRC+"));
        Path file = dir.resolve("all.csv");
        assertEquals(0, run("export", "--csv", file.toString()));
        assertEquals("1505 rows written to " + file + "\n", out());
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String last = lines.get(lines.size() - 1); // row 4's detail holds a line end, quoted
        assertTrue(last.startsWith("1505,"), last);
        assertEquals(0, run("export", "--csv", file.toString(), "--limit", "1001", "--node", "host-c"));
        assertEquals("1001 rows written to " + file + "\n", out());
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1002, lines.size());
        assertTrue(lines.get(1001).startsWith("1006,"), lines.get(1001));
    }

    @Test
    void timesAreInstantsOrUtcDateTimesOrDates() throws Exception {
        assertEquals(Instant.parse("2026-12-05T10:00:00Z"), Audit.time("2026-12-05T10:00:00Z"));
        assertEquals(Instant.parse("2026-12-05T10:00:00Z"), Audit.time("2026-12-05T10:00"));
        assertEquals(Instant.parse("2026-12-05T00:00:00Z"), Audit.time("2026-12-05"));
    }
}
