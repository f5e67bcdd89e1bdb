package org.tandemrc.gateway.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.SendBacklog;

/**
 * Forwards messages between a Guest's link and a Host's link, unchanged, with backpressure both ways:
 * a message goes straight to the other link while that one is not {@link Link#congested() congested};
 * otherwise it waits in a queue that {@link LinkHandler#writable} drains, and once the queue holds
 * more than {@link SendBacklog#HIGH} the sending side is {@link Link#pauseReceiving paused} until it is
 * below {@link SendBacklog#LOW}, so the sender's own link becomes congested. A link that cannot pause
 * is bounded by {@code maxQueue}: beyond it the route closes with the reason. Closing either side
 * closes the other once what was sent before has been passed on.
 */
final class Splice {

    private final Direction toHost;
    private final Direction toGuest;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final BiConsumer<Splice, String> onClose;
    private final long maxQueue;
    private volatile long lastActivity = System.nanoTime();
    private volatile Link guest;
    private volatile Link host;
    private volatile String closeReason;

    /**
     * @param onClose told once, with the reason, when both sides are closed or closing
     */
    Splice(long maxQueue, BiConsumer<Splice, String> onClose) {
        this.maxQueue = maxQueue;
        this.onClose = onClose;
        this.toHost = new Direction("the Guest", "the Host");
        this.toGuest = new Direction("the Host", "the Guest");
    }

    /** The handler of the Host's link; messages wait until {@link #start} names the Guest's link. */
    LinkHandler hostHandler() {
        return new LinkHandler() {
            @Override
            public void opened(Link link) {
                host = link;
                toGuest.from(link);
                toHost.to(link);
            }

            @Override
            public void received(Link link, ByteBuffer message) {
                toGuest.forward(message);
            }

            @Override
            public void writable(Link link) {
                toHost.drain();
            }

            @Override
            public void closed(Link link, String reason) {
                toGuest.finish("the Host's link closed: " + reason);
            }
        };
    }

    /** The Host's link is open and the Guest was told: from now on both directions flow. */
    void start(Link guestLink) {
        guest = guestLink;
        toHost.from(guestLink);
        toGuest.to(guestLink);
    }

    /** The Guest's link received a message. */
    void fromGuest(ByteBuffer message) {
        toHost.forward(message);
    }

    /** The Guest's link is writable again. */
    void guestWritable() {
        toGuest.drain();
    }

    /** The Guest's link closed. */
    void guestClosed(String reason) {
        toHost.finish("the Guest's link closed: " + reason);
    }

    /** Closes both sides at once (idle timeout, Gateway stopping). */
    void close(String reason) {
        Link g = guest;
        Link h = host;
        if (g != null) {
            g.close(reason);
        }
        if (h != null) {
            h.close(reason);
        }
        closing(reason);
    }

    long bytesToHost() {
        return toHost.bytes;
    }

    long bytesToGuest() {
        return toGuest.bytes;
    }

    /** The most bytes that ever waited in the Gateway's queues of this route, both directions. */
    long peakQueued() {
        return Math.max(toHost.peak, toGuest.peak);
    }

    long idleNanos() {
        return System.nanoTime() - lastActivity;
    }

    boolean isClosed() {
        return closed.get();
    }

    String closeReason() {
        return closeReason;
    }

    private void closing(String reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
            onClose.accept(this, reason);
        }
    }

    /** One direction: messages from one link to the other. */
    private final class Direction {
        private final String fromName;
        private final String toName;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private Link from;
        private Link to;
        private long queued;
        private long peak;
        private volatile long bytes;
        private boolean paused;
        private String finishing;

        Direction(String fromName, String toName) {
            this.fromName = fromName;
            this.toName = toName;
        }

        synchronized void from(Link link) {
            from = link;
        }

        void to(Link link) {
            synchronized (this) {
                to = link;
            }
            drain();
        }

        void forward(ByteBuffer message) {
            lastActivity = System.nanoTime();
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            String overflow = null;
            synchronized (this) {
                if (finishing != null) {
                    return;
                }
                if (to != null && queue.isEmpty() && !to.congested()) {
                    send(copy);
                    return;
                }
                queue.add(copy);
                queued += copy.length;
                peak = Math.max(peak, queued);
                if (queued > SendBacklog.HIGH && !paused && from != null) {
                    paused = from.pauseReceiving(true);
                }
                if (queued > maxQueue) {
                    overflow = fromName + " sent " + (queued >> 20) + " MiB more than " + toName
                            + " could take (it does not wait when told to)";
                    queue.clear();
                    queued = 0;
                }
            }
            if (overflow != null) {
                close(overflow);
            }
        }

        void drain() {
            Link closeNow = null;
            String why = null;
            synchronized (this) {
                if (to == null) {
                    return;
                }
                while (!queue.isEmpty() && !to.congested()) {
                    byte[] m = queue.poll();
                    queued -= m.length;
                    send(m);
                }
                if (paused && queued < SendBacklog.LOW && from != null) {
                    from.pauseReceiving(false);
                    paused = false;
                }
                if (finishing != null && queue.isEmpty()) {
                    closeNow = to;
                    why = finishing;
                }
            }
            if (closeNow != null) {
                closeNow.close(why);
                closing(why);
            }
        }

        /**
         * The sending side closed: pass on what waits, then close the receiving side. When that side
         * is not there yet (a device may complete its connect before it calls opened(), and the Guest
         * may send and close in between), the close waits for it: {@link #to} drains what waits and
         * only then closes and records the route's end, so its byte counts include those messages. A
         * route whose other side never comes was never opened, and the route setup reports it.
         */
        void finish(String reason) {
            synchronized (this) {
                if (finishing != null) {
                    return;
                }
                finishing = reason;
            }
            drain();
        }

        private void send(byte[] m) {
            bytes += m.length;
            to.send(ByteBuffer.wrap(m));
        }
    }
}
