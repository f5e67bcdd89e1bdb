package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.session.Channel;
import org.tandemrc.protocol.ProtocolException;

/**
 * One side's flow control on a stream's channel: what it sends stays within the peer's window
 * ({@link StreamWire#WINDOW} unacknowledged bytes; beyond it messages wait here, in order, and at most one
 * more window of them), and what it receives is counted against its own window until its consumer took it
 * and it acknowledged. The channel's own credit keeps the connection safe; this keeps a slow consumer (a
 * socket, a terminal) from making the other side's data pile up in memory.
 */
final class StreamFlow {

    private record Pending(ByteBuffer message, int counted, CompletableFuture<Void> done) {
    }

    private final Channel channel;
    private final boolean fromHost;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;
    private int queued;
    private boolean held;
    private String ended;
    private int unacknowledged;

    /**
     * @param held whether nothing is sent until {@link #release()} (the Host's output waits for STARTED)
     */
    StreamFlow(Channel channel, boolean fromHost, boolean held) {
        this.channel = channel;
        this.fromHost = fromHost;
        this.held = held;
    }

    /**
     * Queues a message that counts {@code counted} bytes against the peer's window (0 for one that is not
     * acknowledged, such as END, which still keeps its place behind the data before it).
     *
     * @return completes once the message is on the channel and the window has room for more
     */
    CompletionStage<Void> send(ByteBuffer message, int counted) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<CompletableFuture<Void>> sent;
        synchronized (this) {
            if (ended != null) {
                done.completeExceptionally(new IllegalStateException("the stream has ended: " + ended));
                return done;
            }
            if (queued + counted > StreamWire.WINDOW) {
                done.completeExceptionally(new IllegalStateException(
                        "a window of output is waiting already: wait for each write's stage before the next"));
                return done;
            }
            waiting.add(new Pending(message, counted, done));
            queued += counted;
            sent = pump();
        }
        sent.forEach(f -> f.complete(null));
        return done;
    }

    /** Queues this side's bytes as one DATA message, counted against the peer's window (either end's write). */
    CompletionStage<Void> data(ByteBuffer bytes) {
        int n = bytes.remaining();
        return send(StreamWire.data(fromHost, bytes), n);
    }

    /** Starts sending what waited for the stream to start. */
    void release() {
        List<CompletableFuture<Void>> sent;
        synchronized (this) {
            held = false;
            sent = pump();
        }
        sent.forEach(f -> f.complete(null));
    }

    /** Drops what waits (the stream could not start). */
    synchronized void discard() {
        waiting.clear();
        queued = 0;
    }

    /** The peer's consumer took {@code bytes}: more may go. */
    void acknowledged(int bytes) throws ProtocolException {
        List<CompletableFuture<Void>> sent;
        synchronized (this) {
            if (bytes > inFlight) {
                throw new ProtocolException("acknowledged " + bytes + " bytes of " + inFlight + " sent");
            }
            inFlight -= bytes;
            sent = pump();
        }
        sent.forEach(f -> f.complete(null));
    }

    /** Under the lock: sends what the window takes, and says whose stages to complete. */
    private List<CompletableFuture<Void>> pump() {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        while (!held && !waiting.isEmpty()
                && (waiting.peek().counted() == 0 || inFlight + waiting.peek().counted() <= StreamWire.WINDOW)) {
            Pending p = waiting.poll();
            queued -= p.counted();
            inFlight += p.counted();
            channel.send(p.message());
            sent.add(p.done());
        }
        return sent;
    }

    /** The stream ended: what waits fails, later sends fail. */
    void end(String reason) {
        List<Pending> dropped;
        synchronized (this) {
            if (ended != null) {
                return;
            }
            ended = reason;
            dropped = List.copyOf(waiting);
            waiting.clear();
            queued = 0;
        }
        for (Pending p : dropped) {
            p.done().completeExceptionally(new IllegalStateException("the stream ended: " + reason));
        }
    }

    /** Counts received bytes against this side's window; a peer that overruns it breaks the protocol. */
    synchronized void received(int bytes) throws ProtocolException {
        if (unacknowledged + (long) bytes > StreamWire.WINDOW) {
            throw new ProtocolException("sent beyond the stream's window of " + StreamWire.WINDOW + " bytes");
        }
        unacknowledged += bytes;
    }

    /** The consumer took {@code bytes}: tells the peer. */
    void consumed(int bytes) {
        synchronized (this) {
            unacknowledged -= bytes;
            if (ended != null) {
                return;
            }
        }
        channel.send(StreamWire.ack(fromHost, bytes));
    }
}
