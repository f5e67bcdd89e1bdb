package org.tandemrc.security.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.support.jdbc.Database;

/** The trail on an embedded H2 database: idempotent appends, the hash chain, search. */
class AuditStoreTest {

    static final Instant T0 = Instant.parse("2026-12-05T10:00:00.123456789Z");

    @TempDir
    Path dir;

    AuditStore store;
    final AtomicLong appended = new AtomicLong();

    @BeforeEach
    void open() throws Exception {
        store = new AuditStore(new Database("jdbc:h2:" + dir.resolve("audit"), "", "", AuditStore.SCHEMA),
                appended::set);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static List<AuditEvent> events(int n, long firstSecond, String code) {
        List<AuditEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new AuditEvent(T0.plusSeconds(firstSecond + i), code, Severity.INFO, "host-a", "10.0.0." + i,
                    "alice", "event " + (firstSecond + i)));
        }
        return list;
    }

    @Test
    void appendsAreIdempotentBySourceAndNumberAndStopAtAGap() throws Exception {
        assertEquals(2, store.append("fp-a", "host-a", 0, events(3, 0, "HSESRC+")));
        assertEquals(3, appended.get(), "told the last id");
        // a resent batch overlapping what is stored: only the new ones
        assertEquals(4, store.append("fp-a", "host-a", 1, events(4, 1, "HSESRC+")));
        assertEquals(5, store.verify().rows());
        // beyond a gap: nothing stored, the highest stays
        assertEquals(4, store.append("fp-a", "host-a", 7, events(2, 7, "HSESRC+")));
        assertEquals(5, store.verify().rows());
        // another source counts on its own
        assertEquals(-1, store.append("fp-b", "host-b", 3, events(1, 0, "HSESRC+")));
        assertEquals(0, store.append("fp-b", "host-b", 0, events(1, 0, "HSESRC+")));
        assertEquals(4, store.append("fp-a", "host-a", 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> store.append("fp-a", "host-a", -1, events(1, 0, "X")));
        AuditStore.Verdict v = store.verify();
        assertTrue(v.ok(), v.problem());
        assertEquals(6, v.rows());
    }

    @Test
    void aBatchIsBoundedAndTheRestComesWithTheNextCall() throws Exception {
        int n = AuditStore.MAX_BATCH + 10;
        assertEquals(AuditStore.MAX_BATCH - 1, store.append("fp-a", "host-a", 0, events(n, 0, "X")));
        assertEquals(n - 1, store.append("fp-a", "host-a", AuditStore.MAX_BATCH,
                events(n, 0, "X").subList(AuditStore.MAX_BATCH, n)));
        assertEquals(n, store.verify().rows());
    }

    @Test
    void timeIsKeptToTheMicrosecondAndLongTextIsCut() throws Exception {
        store.append("f".repeat(500), "n".repeat(500), 0, List.of(new AuditEvent(T0, "C".repeat(100), Severity.SECURITY,
                "x".repeat(1000), "p", "u", "d".repeat(10_000))));
        AuditRow r = store.page(0, 10).get(0);
        assertEquals(Instant.parse("2026-12-05T10:00:00.123456Z"), r.time());
        assertEquals(AuditRow.DETAIL_MAX, r.detail().length());
        assertEquals(AuditRow.CODE_MAX, r.code().length());
        assertTrue(store.verify().ok());
    }

    @Test
    void anUntouchedTrailVerifiesWithItsCount() throws Exception {
        store.append("fp-a", "host-a", 0, events(2500, 0, "HSESRC+"));
        store.append("fp-a", "host-a", 1000, events(1500, 1000, "HSESRC+"));
        store.append("fp-a", "host-a", 2000, events(500, 2000, "HSESRC+"));
        AuditStore.Verdict v = store.verify();
        assertTrue(v.ok(), v.problem());
        assertEquals(2500, v.rows());
        try (AuditStore other = new AuditStore(new Database("jdbc:h2:" + dir.resolve("empty"), "", "",
                AuditStore.SCHEMA), id -> { })) {
            AuditStore.Verdict empty = other.verify();
            assertTrue(empty.ok());
            assertEquals(0, empty.rows());
        }
    }

    static Stream<Arguments> tampering() {
        String changed = " was changed: its hash does not match its columns";
        return Stream.of(
                arguments("update ss_audit set detail = 'nothing happened' where id = 7", "row 7" + changed),
                arguments("update ss_audit set \"user\" = 'mallory' where id = 2", "row 2" + changed),
                arguments("update ss_audit set severity = 'BOGUS' where id = 1", "row 1" + changed),
                arguments("update ss_audit set seq = 99 where id = 10", "row 10" + changed),
                arguments("delete from ss_audit where id = 4",
                        "row 5 does not follow row 3 (its prev_hash does not match): row 4 deleted or changed"),
                arguments("delete from ss_audit where id in (4, 5, 6)",
                        "row 7 does not follow row 3 (its prev_hash does not match): rows 4 to 6 deleted or changed"),
                arguments("delete from ss_audit where id = 1",
                        "row 2 does not follow row 0 (its prev_hash does not match): row 1 deleted or changed"),
                arguments("delete from ss_audit where id >= 9",
                        "the last rows were deleted: the head names row 10, the table ends at row 8"),
                arguments("update ss_audit_head set last_id = 8",
                        "the head (ss_audit_head) was changed: its hash is not that of row 8"),
                arguments("update ss_audit_head set last_id = 8, hash = (select hash from ss_audit where id = 8)",
                        "the head (ss_audit_head) was changed: it names row 8, the table goes on to row 10"),
                arguments("update ss_audit_head set hash = (select hash from ss_audit where id = 8)",
                        "the head (ss_audit_head) was changed: its hash is not that of row 10"),
                arguments("delete from ss_audit_head", "the head (ss_audit_head) was deleted"));
    }

    @ParameterizedTest
    @MethodSource("tampering")
    void tamperingWithTheTableIsNamed(String sql, String problem) throws Exception {
        store.append("fp-a", "host-a", 0, events(10, 0, "HSESRC+"));
        assertTrue(store.verify().ok());
        assertTrue(store.database().update(sql) > 0, sql);
        AuditStore.Verdict v = store.verify();
        assertFalse(v.ok());
        assertEquals(problem, v.problem());
    }

    @Test
    void anEditWithTheHashRecomputedIsNamedAtTheNextRow() throws Exception {
        store.append("fp-a", "host-a", 0, events(10, 0, "HSESRC+"));
        AuditRow r = store.page(3, 1).get(0);
        AuditRow forged = AuditRow.chained(r.id(), r.source(), r.name(), r.seq(), new AuditEvent(r.time(), r.code(),
                r.severity(), r.node(), r.peer(), "mallory", r.detail()), r.prevHash());
        store.database().update("update ss_audit set \"user\" = ?, hash = ? where id = 4", "mallory", forged.hash());
        AuditStore.Verdict v = store.verify();
        assertTrue(v.problem().startsWith("row 5 does not follow row 4"), v.problem());
    }

    @Test
    void searchFiltersByTimeNodeUserAndCodePrefix() throws Exception {
        store.append("fp-a", "host-a", 0, events(5, 0, "TSECSS+"));
        store.append("fp-b", "host-b", 0, List.of(
                new AuditEvent(T0.plusSeconds(100), "TSECSS!", Severity.SECURITY, "host-b", "g", "bob", "denied"),
                new AuditEvent(T0.plusSeconds(101), "HSESRC+", Severity.INFO, "host-b", "g", "bob", "session"),
                new AuditEvent(T0.plusSeconds(102), "TSEC_X", Severity.INFO, "host-b", "g", "bob", "underscore")));
        assertEquals(8, store.search(new AuditStore.Query(null, null, null, null, null, 100), 0).size());
        assertEquals(3, store.search(new AuditStore.Query(null, null, "host-b", null, null, 100), 0).size());
        assertEquals(5, store.search(new AuditStore.Query(null, null, null, "alice", null, 100), 0).size());
        assertEquals(6, store.search(new AuditStore.Query(null, null, null, null, "TSECSS", 100), 0).size());
        assertEquals(1, store.search(new AuditStore.Query(null, null, null, null, "TSEC_", 100), 0).size(),
                "_ is no wildcard");
        List<AuditRow> window = store.search(new AuditStore.Query(T0.plusSeconds(1), T0.plusSeconds(4), null, null,
                null, 100), 0);
        assertEquals(3, window.size(), "since is inclusive, until exclusive");
        assertEquals(2, store.search(new AuditStore.Query(null, null, "host-a", "alice", "TSECSS+", 2), 0).size());
        assertEquals(List.of(4L, 5L), store.search(new AuditStore.Query(null, null, "host-a", null, null, 100), 3)
                .stream().map(AuditRow::id).toList());
        assertThrows(IllegalArgumentException.class, () -> new AuditStore.Query(null, null, null, null, null, 0));
    }

    @Test
    void theHashCoversEveryColumnAndTheLengthsOfTheText() {
        AuditEvent e = new AuditEvent(T0, "C", Severity.INFO, "ab", "c", "u", "d");
        AuditRow a = AuditRow.chained(1, "s", "n", 0, e, AuditRow.GENESIS);
        AuditRow b = AuditRow.chained(1, "s", "n", 0, new AuditEvent(T0, "C", Severity.INFO, "a", "bc", "u", "d"),
                AuditRow.GENESIS);
        assertNotEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), AuditRow.chained(2, "s", "n", 0, e, AuditRow.GENESIS).hash());
        assertNotEquals(a.hash(), AuditRow.chained(1, "s", "n", 1, e, AuditRow.GENESIS).hash());
        assertNotEquals(a.hash(), AuditRow.chained(1, "s", "n", 0, e, a.hash()).hash());
        assertNotEquals(a.hash(), AuditRow.chained(1, "s", "n", 0, new AuditEvent(T0.plusNanos(1000), "C",
                Severity.INFO, "ab", "c", "u", "d"), AuditRow.GENESIS).hash());
        assertNotEquals(a.hash(), AuditRow.chained(1, "s", "n", 0, new AuditEvent(T0, "C", Severity.WARNING, "ab",
                "c", "u", "d"), AuditRow.GENESIS).hash());
        assertEquals(a.hash(), AuditRow.chained(1, "s", "n", 0, e, AuditRow.GENESIS).hash());
        assertEquals(64, a.hash().length());
    }
}
