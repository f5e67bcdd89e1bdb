package org.tandemrc.session.files.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Buffers for the messages a file session copies off the connection's thread for its worker, used again
 * once the worker is done with them: at a few hundred megabytes a second, a fresh array per message was
 * most of what a receiving Host allocated, and its collections showed as stalls of the screen beside it.
 * At most {@value #KEPT} are kept; a buffer is reused for any message it can hold.
 */
final class Spares {

    /** Room for a data message of a whole read-ahead chunk and its header. */
    static final int SIZE = ReadAhead.CHUNK + 1024;
    static final int KEPT = 8;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    /** A copy of {@code message}'s remaining bytes, in a kept buffer when one can hold it. */
    ByteBuffer copyOf(ByteBuffer message) {
        int n = message.remaining();
        ByteBuffer b = null;
        if (n <= SIZE) {
            synchronized (free) {
                b = free.poll();
            }
        }
        if (b == null) {
            b = ByteBuffer.allocate(Math.max(n, SIZE));
        }
        b.clear();
        return b.put(message.duplicate()).flip();
    }

    /** Takes back a buffer from {@link #copyOf} that nothing reads any more. */
    void release(ByteBuffer b) {
        if (b.capacity() != SIZE) {
            return;
        }
        synchronized (free) {
            if (free.size() < KEPT) {
                free.push(b);
            }
        }
    }
}
