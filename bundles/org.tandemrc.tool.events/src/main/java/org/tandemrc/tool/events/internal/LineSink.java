package org.tandemrc.tool.events.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.tandemrc.api.tool.ToolStream;

/**
 * Lines of a followed log onto a stream, with flow control: lines are gathered up to one write, and the
 * follower waits until the Guest took a write before it sends the next, so a Guest that reads slowly slows
 * the follower instead of filling the Host's memory.
 */
final class LineSink {

    /** A Guest that takes nothing for this long has gone; the stream is ended rather than held forever. */
    static final long STALL_MILLIS = 120_000;

    private final ToolStream out;
    private final byte[] batch;
    private int used;

    LineSink(ToolStream out) {
        this.out = out;
        this.batch = new byte[Math.min(out.maxWrite(), 64 * 1024)];
    }

    /** Adds a line (a newline is appended); false once the stream is over. */
    boolean add(String line) throws InterruptedException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (b.length > batch.length) {
            // LogLine.MAX_LINE keeps lines far below a write; this cut keeps the bound whatever comes.
            b = java.util.Arrays.copyOf(b, batch.length);
            b[b.length - 1] = '\n';
        }
        if (used + b.length > batch.length && !flush()) {
            return false;
        }
        System.arraycopy(b, 0, batch, used, b.length);
        used += b.length;
        return out.isOpen();
    }

    /** Sends what was gathered and waits for the Guest to take it; false once the stream is over. */
    boolean flush() throws InterruptedException {
        if (used == 0) {
            return out.isOpen();
        }
        ByteBuffer data = ByteBuffer.wrap(batch, 0, used);
        used = 0;
        try {
            out.write(data).toCompletableFuture().get(STALL_MILLIS, TimeUnit.MILLISECONDS);
            return out.isOpen();
        } catch (ExecutionException e) {
            return false;
        } catch (TimeoutException e) {
            out.end("the Guest took no output for " + STALL_MILLIS / 1000 + " s", false);
            return false;
        }
    }
}
