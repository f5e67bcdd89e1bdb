package org.tandemrc.api.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolStream;

/**
 * A {@link ToolStream} for tests of streaming tools: it records the output, the results shown and the end,
 * and plays a Guest with a window of {@link #WINDOW} bytes. While {@link #hold() held}, write stages stay
 * incomplete until {@link #release()}, as a slow Guest's would; a tool that writes more than a window
 * without waiting is recorded as a {@link #violation()}.
 */
public final class RecordingStream implements ToolStream {

    /** The window this Guest grants: as much unacknowledged output as the real stream lets wait. */
    public static final int WINDOW = 4 * 1024 * 1024;
    /** The most bytes one write carries, as on the real stream. */
    public static final int MAX_WRITE = 256 * 1024;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<Result> shown = new ArrayList<>();
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private int outstanding;
    private boolean held;
    private String violation;
    private String endSentence;
    private boolean endOk;
    private boolean ended;
    private int writesAfterEnd;

    private final String guestName;
    private final String roleName;

    /** A stream for the Guest {@code alice} with the role {@code Helpdesk}. */
    public RecordingStream() {
        this("alice", "Helpdesk");
    }

    public RecordingStream(String guestName, String roleName) {
        this.guestName = guestName;
        this.roleName = roleName;
    }

    @Override
    public String guestName() {
        return guestName;
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int maxWrite() {
        return MAX_WRITE;
    }

    @Override
    public synchronized CompletionStage<Void> write(ByteBuffer data) {
        if (data.remaining() > MAX_WRITE) {
            throw new IllegalArgumentException(data.remaining() + " bytes in one write");
        }
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        return took(b.length, () -> output.writeBytes(b));
    }

    @Override
    public synchronized CompletionStage<Void> show(Result result) {
        return took(1, () -> shown.add(result));
    }

    private CompletionStage<Void> took(int size, Runnable record) {
        if (ended) {
            writesAfterEnd++;
            return CompletableFuture.failedFuture(new IllegalStateException("the stream has ended"));
        }
        if (outstanding + size > WINDOW) {
            violation = "wrote " + (outstanding + size) + " bytes without waiting for the window";
            return CompletableFuture.failedFuture(new IllegalStateException(violation));
        }
        record.run();
        notifyAll();
        if (!held) {
            return CompletableFuture.completedFuture(null);
        }
        outstanding += size;
        CompletableFuture<Void> f = new CompletableFuture<>();
        pending.add(f);
        return f;
    }

    @Override
    public synchronized void end(String sentence, boolean ok) {
        if (!ended) {
            ended = true;
            endSentence = sentence;
            endOk = ok;
            notifyAll();
        }
    }

    /** The Guest "closed" the stream: writes from now on fail (and are counted), as after an end. */
    public synchronized void closeByGuest() {
        ended = true;
        notifyAll();
    }

    @Override
    public synchronized boolean isOpen() {
        return !ended;
    }

    /** From now on write stages stay incomplete until {@link #release()}. */
    public synchronized void hold() {
        held = true;
    }

    /** Completes every waiting stage and stops holding. */
    public void release() {
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            held = false;
            outstanding = 0;
            done = List.copyOf(pending);
            pending.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    /** The output so far. */
    public synchronized byte[] output() {
        return output.toByteArray();
    }

    /** The output so far as UTF-8 text. */
    public String text() {
        return new String(output(), StandardCharsets.UTF_8);
    }

    public synchronized List<Result> shown() {
        return List.copyOf(shown);
    }

    /** How the tool ended the stream, or null while it did not. */
    public synchronized String endSentence() {
        return endSentence;
    }

    public synchronized boolean endedOk() {
        return endOk;
    }

    /** Whether the stream ended (the tool's end or the Guest's close). */
    public synchronized boolean ended() {
        return ended;
    }

    /** Writes the tool made after the stream ended. */
    public synchronized int writesAfterEnd() {
        return writesAfterEnd;
    }

    /** What broke flow control, or null. */
    public synchronized String violation() {
        return violation;
    }

    /**
     * Waits until {@code condition} holds for this stream (checked at each write, show and end).
     *
     * @return whether it held within {@code millis}
     */
    public synchronized boolean await(Predicate<RecordingStream> condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.test(this)) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
