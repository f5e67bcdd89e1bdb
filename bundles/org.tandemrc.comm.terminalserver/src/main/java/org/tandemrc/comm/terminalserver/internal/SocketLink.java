package org.tandemrc.comm.terminalserver.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.support.comm.DescribedLink;
import org.tandemrc.support.comm.SendRefusal;

/**
 * A {@link Link} over one connected Unix domain socket: messages framed by a 4-byte big-endian length,
 * one reader thread and one writer thread per link. Handler calls are serialized by a lock, so the
 * handler sees one call at a time, in order, as {@link LinkHandler} promises.
 */
final class SocketLink extends DescribedLink {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.comm.terminalserver");
    /** Congested above this many queued bytes; writable again below {@link #LOW_WATER}. */
    static final long HIGH_WATER = 1 << 20;
    static final long LOW_WATER = 256 << 10;
    private static final int HEADER = 4;

    private final SocketChannel channel;
    private final Object handlerLock = new Object();
    private final Runnable onClosed;
    private LinkHandler handler;

    /** Guarded by this: what waits to be written, in order; a {@code null} message means "close now". */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean congestionReported;
    private boolean closing;
    private volatile boolean open = true;
    private volatile String closeReason;
    private boolean closedReported; // guarded by handlerLock

    private record Pending(ByteBuffer message, CompletableFuture<Void> done) {
    }

    SocketLink(SocketChannel channel, int maxMessage, String local, String remote, Runnable onClosed) {
        super(maxMessage, local, remote);
        this.channel = channel;
        this.onClosed = onClosed;
    }

    /**
     * Starts the link's threads; the handler {@code handlerFor} gives sees {@code opened} first.
     *
     * @param threadName a name for the link's threads
     */
    void start(Function<Link, LinkHandler> handlerFor, String threadName) {
        Thread reader = new Thread(() -> read(handlerFor), threadName + "-read");
        Thread writer = new Thread(this::write, threadName + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        writer.start();
        reader.start();
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        int size = message.remaining();
        CompletableFuture<Void> tooLarge = SendRefusal.tooLarge(size, maxMessageSize());
        if (tooLarge != null) {
            return tooLarge;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closing || !open) {
                return SendRefusal.closed(remoteAddress());
            }
            queue.add(new Pending(message, done));
            queuedBytes += size + HEADER;
            if (queuedBytes > HIGH_WATER) {
                congestionReported = true; // the sender may see congested() now: writable() must follow
            }
            notifyAll();
        }
        return done;
    }

    @Override
    public synchronized boolean congested() {
        return queuedBytes > HIGH_WATER;
    }

    @Override
    public void close(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason == null ? "closed" : reason;
            }
            if (closing) {
                return;
            }
            closing = true;
            queue.add(new Pending(null, null)); // behind what was sent before: it still goes out
            notifyAll();
        }
    }

    @Override
    public boolean isOpen() {
        return open && !closing;
    }

    /** Closes at once, dropping what was not written (the device is stopping). */
    void abort(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason;
            }
        }
        shutdown(reason);
    }

    private void read(Function<Link, LinkHandler> handlerFor) {
        synchronized (handlerLock) {
            try {
                handler = handlerFor.apply(this);
                handler.opened(this);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "link from {0} refused: {1}", remoteAddress(), e.toString());
                shutdown("could not accept the link: " + e.getMessage());
                return;
            }
        }
        int maxMessage = maxMessageSize();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        try {
            while (true) {
                header.clear();
                if (!fill(header)) {
                    shutdown(null);
                    return;
                }
                int length = header.getInt(0);
                if (length < 0 || length > maxMessage) {
                    shutdown("the peer sent a message larger than " + maxMessage + " bytes");
                    return;
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                if (!fill(body)) {
                    shutdown(null);
                    return;
                }
                body.flip();
                synchronized (handlerLock) {
                    if (closedReported) {
                        return;
                    }
                    handler.received(this, body);
                }
            }
        } catch (ClosedChannelException e) {
            shutdown(null);
        } catch (IOException e) {
            shutdown("connection failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "handler of the link from " + remoteAddress() + " failed", e);
            shutdown("internal error: " + e);
        }
    }

    /** Reads until the buffer is full; false at the end of the stream. */
    private boolean fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    private void write() {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        try {
            while (true) {
                Pending next;
                synchronized (this) {
                    while (queue.isEmpty() && open) {
                        wait();
                    }
                    if (!open) {
                        failQueued();
                        return;
                    }
                    next = queue.peek();
                }
                if (next.message() == null) {
                    shutdown(null);
                    return;
                }
                ByteBuffer body = next.message().duplicate();
                int size = body.remaining();
                header.clear();
                header.putInt(size).flip();
                ByteBuffer[] both = {header, body};
                while (header.hasRemaining() || body.hasRemaining()) {
                    channel.write(both);
                }
                boolean nowWritable;
                synchronized (this) {
                    queue.poll();
                    queuedBytes -= size + HEADER;
                    nowWritable = congestionReported && queuedBytes < LOW_WATER;
                    if (nowWritable) {
                        congestionReported = false;
                    }
                }
                next.done().complete(null);
                if (nowWritable) {
                    synchronized (handlerLock) {
                        if (!closedReported && handler != null) {
                            handler.writable(this);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown("interrupted");
        } catch (IOException e) {
            shutdown(open ? "connection failed: " + e.getMessage() : null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "handler of the link to " + remoteAddress() + " failed", e);
            shutdown("internal error: " + e);
        }
    }

    private synchronized void failQueued() {
        for (Pending p : queue) {
            if (p.done() != null) {
                p.done().completeExceptionally(new IllegalStateException("link to " + remoteAddress() + " is closed"));
            }
        }
        queue.clear();
        queuedBytes = 0;
    }

    /**
     * Closes the socket once and tells the handler once.
     *
     * @param why the reason when this side's close reason is not set yet; null for "the peer closed"
     */
    private void shutdown(String why) {
        synchronized (this) {
            if (closeReason == null && why != null) {
                closeReason = why;
            }
            open = false;
            notifyAll();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        failQueued();
        synchronized (handlerLock) {
            if (!closedReported && handler != null) {
                handler.closed(this, closeReason == null ? "the peer closed the connection" : closeReason);
            }
            closedReported = true;
        }
        onClosed.run();
    }
}
