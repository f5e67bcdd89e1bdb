package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.webconnect.relay.internal.RelayServer;

/** Bulk data through a link as the layers above send it (pausing while congested), with SHA-256 both ends. */
final class Transfer {

    /** The receiving side: hashes what arrives and completes when {@code expected} bytes did. */
    static final class Sink implements LinkHandler {
        final MessageDigest digest = sha();
        final AtomicLong bytes = new AtomicLong();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final long expected;

        Sink(long expected) {
            this.expected = expected;
        }

        @Override
        public void received(Link link, ByteBuffer message) {
            bytes.addAndGet(message.remaining());
            digest.update(message);
            if (bytes.get() == expected) {
                done.complete(digest.digest());
            }
        }

        @Override
        public void closed(Link link, String reason) {
            closed.complete(reason);
            done.completeExceptionally(new IllegalStateException("closed after " + bytes.get() + " bytes: " + reason));
        }
    }

    /** The sending side's handler: counts writable() calls. */
    static final class Source implements LinkHandler {
        final AtomicInteger writable = new AtomicInteger();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void received(Link link, ByteBuffer message) {
        }

        @Override
        public void writable(Link link) {
            writable.incrementAndGet();
        }

        @Override
        public void closed(Link link, String reason) {
            closed.complete(reason);
        }
    }

    /** Sends {@code total} bytes of seeded random data in 64 KiB messages; returns their SHA-256. */
    static byte[] send(Link link, Source source, long total, long seed) throws InterruptedException {
        MessageDigest d = sha();
        Random r = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < total) {
            while (link.congested()) {
                int before = source.writable.get();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (link.congested() && source.writable.get() == before) {
                    if (System.nanoTime() > deadline || !link.isOpen()) {
                        throw new IllegalStateException("stuck congested after " + sent + " bytes");
                    }
                    Thread.sleep(1);
                }
            }
            int n = (int) Math.min(chunk.length, total - sent);
            r.nextBytes(chunk);
            d.update(chunk, 0, n);
            link.send(ByteBuffer.wrap(chunk, 0, n));
            sent += n;
        }
        return d.digest();
    }

    /**
     * Sends {@code total} bytes while whichever of {@code a} and {@code b} carries the link is stopped as in a
     * crash (no deregistration) a third of the way through; checks that everything arrived intact on an
     * open link, through both relays, with neither side told of a close. Returns the relay stopped.
     */
    static RelayServer sendThroughARelayDeath(Link link, Source source, Sink sink, long total, long seed, RelayServer a,
            RelayServer b) throws Exception {
        RelayServer[] killed = new RelayServer[1];
        Thread killer = new Thread(() -> {
            while (sink.bytes.get() < total / 3) {
                Thread.onSpinWait();
            }
            killed[0] = a.sessions() > 0 ? a : b;
            killed[0].stop(false);
        });
        killer.start();
        byte[] sent = send(link, source, total, seed);
        byte[] got = sink.done.get(120, TimeUnit.SECONDS);
        killer.join();
        assertArrayEquals(sent, got, "SHA-256 of what arrived differs from what was sent");
        assertTrue(link.isOpen(), "the link closed");
        assertTrue(a.bytesRelayed() > 0 && b.bytesRelayed() > 0,
                "both relays carried data: " + a.bytesRelayed() + " and " + b.bytesRelayed());
        assertTrue(!source.closed.isDone() && !sink.closed.isDone(), "a side was told the link closed");
        return killed[0];
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Transfer() {
    }
}
