package org.tandemrc.security.audit.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.tandemrc.api.testing.Postgres;
import org.tandemrc.support.jdbc.Database;

/**
 * Events per second one Security Server's trail stores: NODES threads, each a node sending batches of
 * BATCH events (as the client's outbox does) until EVENTS are stored in all, on an H2 file and, when
 * Debian's PostgreSQL is installed and this runs as root, on a PostgreSQL server started for it. The chain
 * is verified afterwards (not timed). Run by scripts/benchmark-audit.sh.
 *
 * <p>Arguments: [EVENTS] [NODES] [BATCH] (default 100000, 4, 100).
 */
public final class AuditBenchmark {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int batch = args.length > 2 ? Math.min(Integer.parseInt(args[2]), AuditStore.MAX_BATCH) : 100;
        Path dir = Files.createTempDirectory("tandem-audit-bench");
        try {
            run("H2 (file)", "jdbc:h2:" + dir.resolve("security"), "", events, nodes, batch);
        } finally {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
        if (Files.isDirectory(Path.of("/usr/lib/postgresql")) && "root".equals(System.getProperty("user.name"))) {
            try (Postgres pg = Postgres.start()) {
                run("PostgreSQL", pg.jdbcUrl(), "postgres", events, nodes, batch);
            }
        } else {
            System.out.println("PostgreSQL: skipped (needs Debian's postgresql package and root)");
        }
    }

    private static void run(String what, String url, String user, int events, int nodes, int batch) throws Exception {
        try (AuditStore store = new AuditStore(new Database(url, user, "", AuditStore.SCHEMA), id -> { })) {
            int perNode = events / nodes;
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            long start = System.nanoTime();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int n = 0; n < nodes; n++) {
                    String source = "bench-node-" + n;
                    done.add(pool.submit(() -> {
                        for (int first = 0; first < perNode; first += batch) {
                            int size = Math.min(batch, perNode - first);
                            store.append(source, source, first, AuditStoreTest.events(size, first, "HSESRC+"));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            AuditStore.Verdict v = store.verify();
            System.out.printf("%-12s %,d events from %d nodes in batches of %d: %.1f s, %,.0f events/s stored;"
                    + " chain %s%n", what, (long) perNode * nodes, nodes, batch, seconds, perNode * nodes / seconds,
                    v.ok() ? "verified, " + v.rows() + " rows" : "BROKEN: " + v.problem());
        }
    }
}
