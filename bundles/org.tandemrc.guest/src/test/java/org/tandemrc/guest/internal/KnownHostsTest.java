package org.tandemrc.guest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {

    @TempDir
    Path tmp;

    /** A batch meets many new Hosts at once, each connection with its own KnownHosts on the one file. */
    @Test
    void hostsPinnedAtOnceByManyConnectionsAreAllKept() throws Exception {
        Path file = tmp.resolve("etc/known-hosts");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> pins = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                pins.add(pool.submit(() -> {
                    new KnownHosts(file).pin("tcp:10.0.0." + n + ":6502", "SHA256:key" + n);
                    return null;
                }));
            }
            for (Future<?> f : pins) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        KnownHosts known = new KnownHosts(file);
        for (int i = 0; i < 64; i++) {
            assertEquals("SHA256:key" + i, known.pinned("tcp:10.0.0." + i + ":6502").orElse(null), "host " + i);
        }
    }
}
