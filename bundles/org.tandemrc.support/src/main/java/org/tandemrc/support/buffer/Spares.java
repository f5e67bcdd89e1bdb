package org.tandemrc.support.buffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Heap buffers of one size for copies that live a short while (a message handed from the connection's
 * thread to a worker, the part of a message that waits for credit), taken back once nothing reads them and
 * handed out again. A copy larger than the size gets a buffer of its own, which is not kept; at most
 * {@code kept} buffers wait for reuse. Thread-safe.
 */
public final class Spares {

    private final int size;
    private final int kept;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /**
     * @param size bytes of each kept buffer
     * @param kept how many buffers are kept at most
     */
    public Spares(int size, int kept) {
        if (size <= 0 || kept < 0) {
            throw new IllegalArgumentException("spares of " + size + " bytes, " + kept + " kept");
        }
        this.size = size;
        this.kept = kept;
    }

    /** Bytes of each kept buffer. */
    public int size() {
        return size;
    }

    /**
     * A copy of {@code message}'s remaining bytes (its position is not moved), in a kept buffer when the
     * bytes fit one. Give it back with {@link #release} once nothing reads it.
     */
    public ByteBuffer copyOf(ByteBuffer message) {
        int n = message.remaining();
        ByteBuffer b = null;
        if (n <= size) {
            synchronized (free) {
                b = free.poll();
            }
        }
        if (b == null) {
            b = ByteBuffer.allocate(Math.max(n, size));
        }
        b.clear();
        return b.put(message.duplicate()).flip();
    }

    /**
     * Takes back a buffer from {@link #copyOf}. The caller must not read or write it, nor hand it to
     * anything that does, after this.
     */
    public void release(ByteBuffer b) {
        if (b.capacity() != size || !b.hasArray()) {
            return;
        }
        synchronized (free) {
            if (free.size() < kept) {
                free.push(b);
            }
        }
    }
}
