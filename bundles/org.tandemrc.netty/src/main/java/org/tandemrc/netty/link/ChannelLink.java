package org.tandemrc.netty.link;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.SendBacklog;
import org.tandemrc.support.comm.SendRefusal;
import org.tandemrc.support.net.HostPort;

/**
 * A {@link Link} whose messages go out on one Netty channel ({@link #out}). Every write goes through the
 * link's own queue, drained on the event loop, even from the loop itself: a direct write from the loop
 * would overtake writes other threads queued before it, and a link keeps the order in which {@link #send}
 * was called (the record layer above numbers its messages). One drain writes all that waits and flushes
 * once. Bytes queued there count in the link's {@link SendBacklog}, so
 * {@link #congested()} bounds them as well as the channel's own buffer.
 *
 * <p>The handler is called on {@link #loop} only; a subclass sets it there before passing any event on.
 */
public abstract class ChannelLink implements Link {

    private final Channel out;
    private final EventLoop loop;
    private final int maxMessageSize;
    private final SendBacklog backlog = new SendBacklog();
    /** Messages sent and not yet written, in the order {@link #send} took them. */
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Whether a {@link #drain} is queued on the loop and has not started yet. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Set and read on {@link #loop}. */
    protected LinkHandler handler;
    /** Why the link ends: the first reason given wins (this side's close, or the first failure). */
    protected volatile String closeReason;
    /** Set once the link is ending: the handler hears nothing but {@code closed}, and {@link #sending} says no. */
    protected volatile boolean closing;
    private boolean closedReported;

    /**
     * @param out the channel that carries this side's messages; its event loop runs the link's writes and
     *            handler calls, and its writability is the link's congestion
     */
    protected ChannelLink(Channel out, int maxMessageSize) {
        this.out = out;
        this.loop = out.eventLoop();
        this.maxMessageSize = maxMessageSize;
    }

    /** What {@link #out}'s pipeline writes for one message of {@code size} bytes (wrapped, not copied). */
    protected abstract Object frame(ByteBuffer message, int size);

    /** Whether {@link #send} takes messages now; a link that keeps sending until its channel closes overrides it. */
    protected boolean sending() {
        return !closing && out.isActive();
    }

    protected final Channel out() {
        return out;
    }

    /** The event loop that runs the link's writes and handler calls. */
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public final CompletionStage<Void> send(ByteBuffer message) {
        int size = message.remaining();
        CompletableFuture<Void> refused = SendRefusal.of(size, maxMessageSize, sending(), remoteAddress());
        if (refused != null) {
            return refused;
        }
        // Wrapped, not copied: the caller leaves the bytes alone until the write completes (see Link.send).
        Pending p = new Pending(frame(message, size), size, new CompletableFuture<>());
        backlog.queued(size);
        queue.add(p);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                refuseQueued();
            }
        }
        return p.done;
    }

    /** A message waiting in {@link #queue} for the event loop. */
    private record Pending(Object frame, int size, CompletableFuture<Void> done) {
    }

    /**
     * On the loop: writes every message queued so far, in order, and flushes once for all of them, so
     * a burst of records costs one system call, not one each. A message queued while this runs either
     * is taken by it or has scheduled the next drain (the flag is cleared before the queue is read).
     */
    private void drain() {
        drainScheduled.set(false);
        long bytes = 0;
        int written = 0;
        Pending p;
        while ((p = queue.poll()) != null) {
            CompletableFuture<Void> done = p.done();
            out.write(p.frame()).addListener(f -> {
                if (f.isSuccess()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(f.cause());
                }
            });
            bytes += p.size();
            written++;
        }
        if (written > 0) {
            out.flush();
            if (backlog.written(bytes, out.isWritable())) {
                tellWritable();
            }
        }
    }

    /** The loop takes no more tasks: what waits for it is refused, as a send would be now. */
    private void refuseQueued() {
        drainScheduled.set(false);
        Pending p;
        while ((p = queue.poll()) != null) {
            backlog.written(p.size(), false);
            ReferenceCountUtil.release(p.frame());
            p.done().completeExceptionally(SendRefusal.closedError(remoteAddress()));
        }
    }

    @Override
    public final boolean congested() {
        return backlog.congested(out::isWritable);
    }

    @Override
    public String localAddress() {
        return HostPort.format(out.localAddress());
    }

    @Override
    public String remoteAddress() {
        return HostPort.format(out.remoteAddress());
    }

    /** Records why this side closes, unless a reason is known already. */
    protected final void closeReason(String reason) {
        if (closeReason == null) {
            closeReason = reason == null ? "closed" : reason;
        }
    }

    /**
     * The base of the last handler in {@link #out}'s pipeline: when the channel's writability changes, a
     * sender told to wait hears {@code writable} once the backlog has drained too.
     */
    protected class OutHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (handler != null && !closing && backlog.transportWritable(out.isWritable())) {
                handler.writable(ChannelLink.this);
            }
            ctx.fireChannelWritabilityChanged();
        }
    }

    private void tellWritable() {
        if (handler != null && !closing) {
            handler.writable(this);
        }
    }

    /** On the loop: the link ended; the handler hears it once, with this side's reason if it gave one. */
    protected final void reportClosed(String otherwise) {
        if (handler != null && !closedReported) {
            closedReported = true;
            closing = true;
            handler.closed(this, closeReason != null ? closeReason : otherwise);
        }
    }

    /** Whether the handler heard {@code closed} already. */
    protected final boolean closedReported() {
        return closedReported;
    }
}
