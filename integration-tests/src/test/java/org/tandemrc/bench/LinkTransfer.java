package org.tandemrc.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * One link's throughput as the benchmarks measure it, shared by {@link DeviceBenchmark} and
 * {@link WebConnectBenchmark}: 64 KiB messages from 16 random patterns, the sender honouring
 * {@code congested()}/{@code writable()}, the receiving {@link Sink} checking size, order (each pattern's
 * prefix) and a CRC32C, and a transfer that makes no progress for 30 s reported as a hang.
 */
final class LinkTransfer {

    static final int MESSAGE = 64 << 10;
    static final int PATTERNS = 16;
    /** A transfer that makes no progress for this long is reported as a hang. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Size of the two control messages of a transfer between processes: the announcement
     * ({@code 'S' | u64 bytes | u64 messages}) and the receiver's report ({@code 'D' | u64 bytes | u64 CRC32C}).
     */
    static final int REPORT = 17;

    /** 16 different random 64 KiB messages, sent in turn; never changed after creation. */
    static final ByteBuffer[] CHUNKS = new ByteBuffer[PATTERNS];
    static final long[] PREFIXES = new long[PATTERNS];

    static {
        Random random = new Random(6502);
        for (int i = 0; i < PATTERNS; i++) {
            byte[] b = new byte[MESSAGE];
            random.nextBytes(b);
            CHUNKS[i] = ByteBuffer.wrap(b).asReadOnlyBuffer();
            PREFIXES[i] = CHUNKS[i].getLong(0);
        }
    }

    private LinkTransfer() {
    }

    /**
     * Sends {@code bytes} in 64 KiB messages honouring congestion; returns MB/s from the first send until
     * the listening side has counted the last byte, after checking count, order and checksum.
     */
    static double transfer(Link link, ClientHandler handler, AtomicReference<Sink> sinkRef, long bytes)
            throws Exception {
        long messages = (bytes + MESSAGE - 1) / MESSAGE;
        CRC32C crc = new CRC32C();
        long total = 0;
        for (long m = 0; m < messages; m++) {
            ByteBuffer chunk = slice(m, bytes);
            total += chunk.remaining();
            crc.update(chunk);
        }
        Sink sink = new Sink(total, messages);
        sinkRef.set(sink);
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();

        long t0 = System.nanoTime();
        sendAll(link, handler, sink, bytes, sendFailure);
        awaitSink(sink, sendFailure, link);
        long elapsed = sink.finishedAt - t0;
        sinkRef.set(null);
        if (sendFailure.get() != null) {
            throw new IllegalStateException("send failed: " + describe(sendFailure.get()));
        }
        if (sink.failure != null) {
            throw new IllegalStateException(sink.failure);
        }
        if (sink.count.get() != total || sink.crc.getValue() != crc.getValue()) {
            throw new IllegalStateException("received " + sink.count.get() + " of " + total + " bytes, CRC32C "
                    + Long.toHexString(sink.crc.getValue()) + " expected " + Long.toHexString(crc.getValue()));
        }
        return total / (elapsed / 1e9) / 1e6;
    }

    /**
     * Sends {@code bytes} in 64 KiB messages, waiting while the link is congested; {@code sink} is where
     * progress shows (the receiving side's, or the sender's own view of it), for hang detection.
     */
    static void sendAll(Link link, ClientHandler handler, Sink sink, long bytes, AtomicReference<Throwable> sendFailure)
            throws Exception {
        long messages = (bytes + MESSAGE - 1) / MESSAGE;
        long total = bytes;
        for (long m = 0; m < messages; m++) {
            if (link.congested()) {
                handler.congestionWaits++;
            }
            while (link.congested() && sendFailure.get() == null && sink.failure == null) {
                handler.awaitWritable(link, sink, sendFailure);
            }
            if (sendFailure.get() != null || sink.failure != null || !link.isOpen()) {
                break;
            }
            long inFlight = Math.min(total, (m + 1) * MESSAGE) - sink.count.get();
            if (inFlight > handler.peakInFlight) {
                handler.peakInFlight = inFlight;
            }
            link.send(slice(m, bytes)).whenComplete((v, e) -> {
                if (e != null) {
                    sendFailure.compareAndSet(null, e);
                }
            });
        }
    }

    /** Message {@code m} of a transfer of {@code bytes}: chunk m mod 16, the last one cut to size. */
    static ByteBuffer slice(long m, long bytes) {
        ByteBuffer b = CHUNKS[(int) (m % PATTERNS)].duplicate();
        long left = bytes - m * MESSAGE;
        if (left < MESSAGE) {
            b.limit((int) left);
        }
        return b;
    }

    /**
     * Feeds the current sink with what a plain stream brings until it ends: a stream has no messages, so
     * whole {@link #MESSAGE} pieces are handed over (or the last, shorter one).
     */
    static void feed(SocketChannel s, AtomicReference<Sink> sinkRef) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MESSAGE);
        while (s.read(buf) >= 0) {
            Sink sink = sinkRef.get();
            long left = sink == null ? MESSAGE : sink.expectedBytes - sink.count.get();
            if (!buf.hasRemaining() || buf.position() >= left) {
                buf.flip();
                if (sink != null) {
                    sink.accept(buf);
                }
                buf.clear();
            }
        }
    }

    /** The listening side's view of one transfer, fed from the device's event thread. */
    static final class Sink {
        final long expectedBytes;
        final long expectedMessages;
        final AtomicLong count = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final CRC32C crc = new CRC32C();
        final CountDownLatch done = new CountDownLatch(1);
        volatile long finishedAt;
        volatile String failure;

        Sink(long expectedBytes, long expectedMessages) {
            this.expectedBytes = expectedBytes;
            this.expectedMessages = expectedMessages;
        }

        /** Called by one thread at a time (the device's guarantee for one link). */
        void accept(ByteBuffer message) {
            long m = messages.getAndIncrement();
            int size = message.remaining();
            long expectedSize = Math.min(MESSAGE, expectedBytes - m * MESSAGE);
            if (failure == null) {
                if (m >= expectedMessages) {
                    failure = "message #" + m + " arrived beyond the " + expectedMessages + " sent";
                } else if (size != expectedSize) {
                    failure = "message #" + m + " has " + size + " bytes, expected " + expectedSize;
                } else if (size >= 8 && message.getLong(message.position()) != PREFIXES[(int) (m % PATTERNS)]) {
                    failure = "message #" + m + " has the wrong content (lost, duplicated or reordered)";
                }
            }
            crc.update(message);
            if (count.addAndGet(size) >= expectedBytes) {
                finishedAt = System.nanoTime();
                done.countDown();
            }
        }
    }

    /** The listening side: a 1-byte message is echoed, anything else goes to the current sink. */
    static final class ServerHandler implements LinkHandler {
        private final AtomicReference<Sink> sink;
        volatile int echoes;
        volatile String closedReason;

        ServerHandler(AtomicReference<Sink> sink) {
            this.sink = sink;
        }

        @Override
        public void received(Link link, ByteBuffer message) {
            if (message.remaining() == 1) {
                link.send(ByteBuffer.wrap(new byte[] {message.get(message.position())}));
                echoes++;
                return;
            }
            Sink s = sink.get();
            if (s != null) {
                s.accept(message);
            }
        }

        @Override
        public void closed(Link link, String reason) {
            closedReason = reason;
        }
    }

    /** The connecting side: echo replies, and writable() wake-ups for the sender. */
    static final class ClientHandler implements LinkHandler {
        volatile CompletableFuture<Byte> echo;
        /** The receiving process's report on a transfer ({@link #REPORT} bytes), for senders in another process. */
        volatile CompletableFuture<ByteBuffer> report;
        volatile String closedReason;
        final AtomicLong writableCalls = new AtomicLong();
        final AtomicLong spuriousWakeups = new AtomicLong();
        /** Sender thread only: the most bytes sent and not yet counted by the listening side, and how often it waited. */
        long peakInFlight;
        long congestionWaits;

        @Override
        public void received(Link link, ByteBuffer message) {
            CompletableFuture<Byte> e = echo;
            if (e != null && message.remaining() == 1) {
                e.complete(message.get(message.position()));
            }
            CompletableFuture<ByteBuffer> r = report;
            if (r != null && message.remaining() == REPORT) {
                ByteBuffer copy = ByteBuffer.allocate(REPORT);
                copy.put(message.duplicate()).flip();
                r.complete(copy);
            }
        }

        @Override
        public void writable(Link link) {
            writableCalls.incrementAndGet();
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void closed(Link link, String reason) {
            closedReason = reason;
            CompletableFuture<Byte> e = echo;
            if (e != null) {
                e.completeExceptionally(new IOException("link closed: " + reason));
            }
            CompletableFuture<ByteBuffer> r = report;
            if (r != null) {
                r.completeExceptionally(new IOException("link closed: " + reason));
            }
            synchronized (this) {
                notifyAll();
            }
        }

        /**
         * Waits while the link is congested, until writable() is called. A congestion that lasts past the
         * stall limit without any byte arriving is a hang.
         */
        void awaitWritable(Link link, Sink sink, AtomicReference<Throwable> sendFailure) throws Exception {
            long calls = writableCalls.get();
            long start = System.nanoTime();
            long progress = sink.count.get();
            long lastProgressAt = start;
            synchronized (this) {
                while (link.congested() && writableCalls.get() == calls && link.isOpen()
                        && sendFailure.get() == null && sink.failure == null) {
                    wait(1000);
                    if (link.congested() || writableCalls.get() != calls) {
                        long now = sink.count.get();
                        if (now != progress) {
                            progress = now;
                            lastProgressAt = System.nanoTime();
                        } else if (System.nanoTime() - lastProgressAt > STALL_NANOS) {
                            throw new TimeoutException("link congested for "
                                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s, no writable(), "
                                    + "no byte arrived for 30 s (" + now + " of " + sink.expectedBytes + " bytes)");
                        }
                    } else {
                        spuriousWakeups.incrementAndGet();
                    }
                }
            }
            if (!link.isOpen()) {
                throw new IOException("link closed during the transfer: " + closedReason);
            }
        }
    }

    /**
     * Writes {@code bytes} on a plain stream (blocking) to a {@link #feed}ing peer; MB/s from the first
     * write until the last byte was counted: the JDK reference the devices are measured against.
     */
    static double streamTransfer(SocketChannel c, AtomicReference<Sink> sinkRef, long bytes) throws Exception {
        long messages = (bytes + MESSAGE - 1) / MESSAGE;
        CRC32C crc = new CRC32C();
        for (long m = 0; m < messages; m++) {
            crc.update(slice(m, bytes));
        }
        Sink sink = new Sink(bytes, messages);
        sinkRef.set(sink);
        long t0 = System.nanoTime();
        for (long m = 0; m < messages; m++) {
            ByteBuffer b = slice(m, bytes);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
        awaitSink(sink, null, null);
        long elapsed = sink.finishedAt - t0;
        sinkRef.set(null);
        check(sink, bytes, crc);
        return bytes / (elapsed / 1e9) / 1e6;
    }

    static void awaitSink(Sink sink, AtomicReference<Throwable> sendFailure, Link link) throws Exception {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (!sink.done.await(100, TimeUnit.MILLISECONDS)) {
            if ((sendFailure != null && sendFailure.get() != null) || sink.failure != null) {
                break;
            }
            long c = sink.count.get();
            if (c != lastCount) {
                lastCount = c;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
                throw new TimeoutException("transfer hung: " + c + " of " + sink.expectedBytes + " bytes ("
                        + sink.messages.get() + " of " + sink.expectedMessages + " messages) arrived, nothing for "
                        + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s"
                        + (link == null ? "" : "; link open " + link.isOpen() + ", congested " + link.congested()));
            }
        }
    }

    static void check(Sink sink, long bytes, CRC32C crc) {
        if (sink.failure != null) {
            throw new IllegalStateException(sink.failure);
        }
        if (sink.count.get() != bytes || sink.crc.getValue() != crc.getValue()) {
            throw new IllegalStateException("received " + sink.count.get() + " of " + bytes + " bytes, CRC32C "
                    + Long.toHexString(sink.crc.getValue()) + " expected " + Long.toHexString(crc.getValue()));
        }
    }

    static String format(List<Double> results) {
        StringBuilder b = new StringBuilder();
        for (double r : results) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%.0f", r));
        }
        return b.toString();
    }

    static String describe(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
