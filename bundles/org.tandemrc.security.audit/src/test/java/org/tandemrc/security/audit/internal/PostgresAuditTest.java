package org.tandemrc.security.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Postgres;
import org.tandemrc.support.jdbc.Database;

/**
 * Two Security Servers on one real PostgreSQL (Debian's binaries, started by the test): both append at the
 * same time, from several nodes and twice the same node's batches, and the table stays one chain with each
 * event once; both forward to one real rsyslog, and each row arrives once.
 */
class PostgresAuditTest {

    static final int NODES = 4;
    static final int BATCHES = 30;
    static final int PER_BATCH = 20;

    @Test
    void twoServersAppendingAtOnceKeepOneChain() throws Exception {
        try (Postgres pg = Postgres.start();
                AuditStore a = new AuditStore(new Database(pg.jdbcUrl(), "postgres", "", AuditStore.SCHEMA), id -> { });
                AuditStore b = new AuditStore(new Database(pg.jdbcUrl(), "postgres", "", AuditStore.SCHEMA), id -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(NODES * 2);
            try {
                List<Future<Long>> results = new ArrayList<>();
                for (int n = 0; n < NODES; n++) {
                    String source = "fp-" + n;
                    // each node's batches go to both servers, as a node resending after a lost acknowledgement
                    for (AuditStore server : List.of(a, b)) {
                        results.add(pool.submit(() -> {
                            long highest = -1;
                            for (int i = 0; i < BATCHES; i++) {
                                highest = server.append(source, "host-" + source, (long) i * PER_BATCH,
                                        AuditStoreTest.events(PER_BATCH, (long) i * PER_BATCH, "HSESRC+"));
                            }
                            return highest;
                        }));
                    }
                }
                // a verification while both append sees a whole chain (up to the head it started from)
                int walks = 0;
                while (results.stream().anyMatch(f -> !f.isDone())) {
                    AuditStore.Verdict v = (walks++ % 2 == 0 ? a : b).verify();
                    assertTrue(v.ok(), v.problem());
                }
                for (Future<Long> f : results) {
                    assertEquals(BATCHES * PER_BATCH - 1, f.get(120, TimeUnit.SECONDS));
                }
                assertTrue(walks > 1, "verified while appending");
            } finally {
                pool.shutdownNow();
            }
            AuditStore.Verdict v = a.verify();
            assertTrue(v.ok(), v.problem());
            assertEquals((long) NODES * BATCHES * PER_BATCH, v.rows());
            assertTrue(b.verify().ok());
            for (int n = 0; n < NODES; n++) {
                assertEquals(BATCHES * PER_BATCH, a.search(new AuditStore.Query(null, null, "host-fp-" + n, null, null,
                        AuditStore.MAX_LIMIT), 0).size(), "every event of node " + n + " once");
            }
            a.database().update("update ss_audit set code = 'HSESRC-' where id = 1234");
            assertTrue(b.verify().problem().startsWith("row 1234 was changed"), b.verify().problem());
        }
    }

    @TempDir
    Path dir;

    @Test
    void twoServersForwardEachRowToSyslogOnce() throws Exception {
        Path pki = dir.resolve("pki");
        Path ca = Rsyslog.certificates(pki);
        try (Postgres pg = Postgres.start();
                Rsyslog rsyslog = new Rsyslog(dir.resolve("rsyslog"), ca, pki.resolve("server.crt"),
                        pki.resolve("server.key"))) {
            rsyslog.start();
            SyslogForwarder.Settings settings = new SyslogForwarder.Settings("127.0.0.1", rsyslog.port, ca, "ss",
                    "tandem");
            List<SyslogForwarder> forwarders = new ArrayList<>();
            try (AuditStore a = new AuditStore(new Database(pg.jdbcUrl(), "postgres", "", AuditStore.SCHEMA),
                    id -> forwarders.forEach(SyslogForwarder::wake));
                    AuditStore b = new AuditStore(new Database(pg.jdbcUrl(), "postgres", "", AuditStore.SCHEMA),
                            id -> forwarders.forEach(SyslogForwarder::wake))) {
                forwarders.add(SyslogForwarder.start(settings, new Database(pg.jdbcUrl(), "postgres", "")));
                forwarders.add(SyslogForwarder.start(settings, new Database(pg.jdbcUrl(), "postgres", "")));
                for (int i = 0; i < 20; i++) {
                    (i % 2 == 0 ? a : b).append("fp-" + (i % 3), "host", i / 3 * 10L,
                            AuditStoreTest.events(10, i / 3 * 10L, "HSESRC+"));
                }
                List<String> lines = rsyslog.await(200, 60);
                Thread.sleep(1000); // a row sent twice would arrive now
                lines = rsyslog.lines();
                Set<String> ids = new HashSet<>();
                for (String line : lines) {
                    Matcher m = Pattern.compile(" id=\"(\\d+)\"").matcher(line);
                    assertTrue(m.find(), line);
                    assertTrue(ids.add(m.group(1)), "row " + m.group(1) + " arrived twice");
                }
                assertEquals(200, ids.size());
            } finally {
                forwarders.forEach(SyslogForwarder::close);
            }
        }
    }
}
