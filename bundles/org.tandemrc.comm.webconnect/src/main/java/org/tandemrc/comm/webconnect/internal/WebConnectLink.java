package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.netty.link.FrameDecoder;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.support.comm.DescribedLink;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Hello;
import org.tandemrc.webconnect.tls.Tls;

/**
 * A link that outlives its relay. Every message is numbered; the receiver acknowledges cumulatively; the
 * sender keeps what is not acknowledged yet (its size is what {@link #congested()} bounds). When the relay
 * connection breaks, the link is re-attached to a new relay connection of the same pairing: both sides
 * say in HELLO what they received last and send again what the other lacks. Only when no new relay
 * connection is attached within the reconnect timeout does the link close.
 */
final class WebConnectLink extends DescribedLink {

    private static final Logger LOG = System.getLogger("org.tandemrc.comm.webconnect");
    /** Congested above this many unacknowledged bytes, writable again below {@link #LOW}. */
    static final long HIGH = 4L << 20;
    static final long LOW = 1L << 20;
    /** The receiver acknowledges at once after this many bytes, otherwise within {@link #ACK_DELAY_MS}. */
    private static final long ACK_EVERY = 256 << 10;
    private static final long ACK_DELAY_MS = 10;

    /**
     * A message sent and not acknowledged yet: its whole DATA frame in one pooled direct buffer (the only copy
     * of the caller's bytes), which this link releases once acknowledged or when the link ends.
     */
    private record Out(long seq, ByteBuf frame, int size) {
    }

    /** What a side does when its relay connection breaks. */
    interface Owner {
        /** The relay connection broke and the link wants a new one (the Guest asks a manager). */
        void lost(WebConnectLink link, String relayId);

        /** The link ended for good. */
        void ended(WebConnectLink link);

        /** The first HELLO completed: a Host asks its acceptor for the handler here. */
        LinkHandler opened(WebConnectLink link);
    }

    final byte role;
    final byte[] pairingId;
    private final int idleSeconds;
    private final long reconnectMillis;
    private final EventLoopGroup group;
    private final Owner owner;
    private final Transport transport;
    private final Transport.Route route;
    final CompletableFuture<Link> opening = new CompletableFuture<>();

    private final Object lock = new Object();
    private final ArrayDeque<Out> unacked = new ArrayDeque<>();
    private long unackedBytes;
    /** Frames for {@link #channel} not handed to it yet, in sequence order (see {@link #write}). */
    private final ArrayDeque<ByteBuf> outbox = new ArrayDeque<>();
    /** Whether a {@link #drain} of {@link #outbox} is queued on the channel's event loop. */
    private boolean drainQueued;
    private long nextSeq = 1;
    private long received;
    private long ackedUpTo;
    private long receivedSinceAck;
    private boolean ackScheduled;
    private Channel channel;
    private String relayId;
    private boolean ready;
    private boolean everReady;
    private boolean closedForUser;
    private boolean done;
    private String closeReason;
    private long lostAt;
    private volatile boolean senderWaits;
    private volatile LinkHandler handler;
    private boolean closedDelivered;

    WebConnectLink(byte role, byte[] pairingId, int maxMessage, int idleSeconds, long reconnectMillis,
            EventLoopGroup group, Transport transport, Transport.Route route, Owner owner, LinkHandler handler, String local,
            String remote) {
        super(maxMessage, local, remote);
        this.transport = transport;
        this.route = route;
        this.role = role;
        this.pairingId = pairingId.clone();
        this.idleSeconds = idleSeconds;
        this.reconnectMillis = reconnectMillis;
        this.group = group;
        this.owner = owner;
        this.handler = handler;
        group.terminationFuture().addListener(deviceStopped);
    }

    /**
     * Ends the link when the device's event loops are gone, wherever it stands (a Host endpoint closed before
     * the device stopped forgets its links, and a link waiting for a relay connection has no channel to
     * notice): its unacknowledged frames go back to the pool. Removed once the link ends otherwise.
     */
    private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<Object>> deviceStopped =
            f -> abandon("the webconnect device stopped");

    String pairingHex() {
        return HexFormat.of().formatHex(pairingId);
    }

    /** Whether the link ended for good (nothing left to deliver). */
    boolean done() {
        synchronized (lock) {
            return done;
        }
    }

    /** When the relay connection was lost (0 while attached). */
    long lostAt() {
        synchronized (lock) {
            return lostAt;
        }
    }

    long reconnectMillis() {
        return reconnectMillis;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        if (message.remaining() > maxMessageSize()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message of " + message.remaining()
                    + " bytes is larger than the link's limit of " + maxMessageSize()));
        }
        int size = message.remaining();
        // The frame around the message, in one copy, outside the lock; the number is set under it.
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(13 + size, 13 + size);
        frame.writeInt(1 + 8 + size).writeByte(Frames.DATA).writeLong(0).writeBytes(message.duplicate());
        synchronized (lock) {
            if (closedForUser || done) {
                frame.release();
                return CompletableFuture.failedFuture(new IOException("the link is closed"));
            }
            Out out = new Out(nextSeq++, frame.setLong(5, nextSeq - 1), size);
            unacked.add(out);
            unackedBytes += size;
            if (ready) {
                write(out);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Queues a data frame for {@link #channel} (under {@code lock}, so in sequence order) and, unless one is
     * queued already, a {@link #drain} through the channel's task queue, even on its own event loop: Netty
     * writes at once when called there but queues calls from other threads, so mixing both (an echo from
     * {@code received} while another thread sends) would put frames on the wire out of sequence order. One
     * drain writes every frame queued by then: one task and one wake-up for a burst of messages instead of
     * one each.
     */
    private void write(Out out) {
        outbox.add(out.frame().retainedDuplicate());
        if (drainQueued) {
            return;
        }
        Channel ch = channel;
        try {
            ch.eventLoop().execute(() -> drain(ch));
            drainQueued = true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the device is stopping: its connections close, and the messages stay unacknowledged
            clearOutbox();
        }
    }

    /** On {@code ch}'s event loop: writes what the outbox holds for it. */
    private void drain(Channel ch) {
        ByteBuf[] batch;
        synchronized (lock) {
            if (channel != ch) {
                return; // replaced or lost: the outbox was cleared for it, and refilled for a new one
            }
            drainQueued = false;
            batch = outbox.toArray(new ByteBuf[0]);
            outbox.clear();
        }
        for (ByteBuf frame : batch) {
            // A flush per frame: measured on loopback (benchmark-webconnect under async-profiler), one flush
            // per burst (up to megabytes) made the relay's socket reads cost about half as much again (the
            // kernel's copy to user space; likely bytes no longer in cache) and saved the devices less.
            ch.writeAndFlush(frame, ch.voidPromise());
        }
    }

    /** Under {@code lock}: drops the frames not written yet (the connection they were for is gone). */
    private void clearOutbox() {
        for (ByteBuf b; (b = outbox.poll()) != null;) {
            b.release();
        }
        drainQueued = false;
    }

    /** Under {@code lock}, once the link ended: nothing is sent again, so the kept frames go back to the pool. */
    private void discardUnacked() {
        clearOutbox();
        releaseUnacked();
    }

    /** Under {@code lock}, once the link ended (every way of ending calls this). */
    private void releaseUnacked() {
        for (Out o; (o = unacked.poll()) != null;) {
            o.frame().release();
        }
        unackedBytes = 0;
        group.terminationFuture().removeListener(deviceStopped);
    }

    /** Under {@code lock}: the peer has every message up to {@code upTo}. */
    private void acknowledged(long upTo) {
        while (!unacked.isEmpty() && unacked.peek().seq() <= upTo) {
            Out o = unacked.poll();
            unackedBytes -= o.size();
            o.frame().release();
        }
    }

    @Override
    public boolean congested() {
        if (!isCongested()) {
            return false;
        }
        senderWaits = true;
        return isCongested();
    }

    private boolean isCongested() {
        synchronized (lock) {
            return unackedBytes > HIGH || (ready && !channel.isWritable());
        }
    }

    private void maybeWritable() {
        if (!senderWaits) {
            return;
        }
        boolean go;
        synchronized (lock) {
            go = unackedBytes < LOW && ready && channel.isWritable();
        }
        if (go && senderWaits) {
            senderWaits = false;
            LinkHandler h = handler;
            if (h != null) {
                h.writable(this);
            }
        }
    }

    @Override
    public void close(String reason) {
        Channel ch;
        synchronized (lock) {
            if (closedForUser || done) {
                return;
            }
            closedForUser = true;
            closeReason = reason;
            ch = ready ? channel : null;
            if (ch != null) {
                done = true;
                releaseUnacked(); // the outbox's frames are written before the CLOSE
            }
        }
        if (ch != null) {
            sendClose(ch, reason);
            owner.ended(this);
        }
        // Otherwise the close is sent once a relay connection is attached again (or the link times out).
        deliverClosed(reason, ch);
    }

    /**
     * Sends CLOSE after everything sent before and keeps reading until the peer, having read it all,
     * closes (closing at once could reset the connection and lose what is still in flight).
     */
    private static void sendClose(Channel ch, String reason) {
        // Queued behind the data frames (see write).
        ch.eventLoop().execute(() -> ch.writeAndFlush(Frames.reason(Frames.CLOSE, reason)));
        ch.eventLoop().schedule(() -> {
            ch.close();
        }, 10, TimeUnit.SECONDS);
    }

    private void deliverClosed(String reason, Channel ch) {
        Runnable r = () -> {
            LinkHandler h;
            synchronized (lock) {
                if (closedDelivered) {
                    return;
                }
                closedDelivered = true;
                h = handler;
            }
            if (h != null) {
                h.closed(this, reason);
            }
        };
        if (ch != null && ch.eventLoop() != null && !ch.eventLoop().isShuttingDown()) {
            ch.eventLoop().execute(r);
        } else {
            r.run();
        }
    }

    /** Ends the link at once without a word to the peer (the device is going away). */
    void abandon(String reason) {
        Channel ch;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            closedForUser = true;
            ch = channel;
            discardUnacked();
        }
        if (ch != null && ch.isOpen()) {
            ch.close();
        }
        opening.completeExceptionally(new IOException(reason));
        deliverClosed(reason, null);
    }

    /**
     * The first relay of this link could not be connected to at all: the link waits for another one as if
     * its relay connection had been lost (the Guest asks for one with RESUME, the Host is offered it).
     */
    void firstRelayUnreachable() {
        synchronized (lock) {
            if (!done && !everReady && lostAt == 0) {
                lostAt = System.currentTimeMillis();
            }
        }
    }

    /** Whether a relay connection was ever attached (the link opened). */
    boolean everOpened() {
        synchronized (lock) {
            return everReady;
        }
    }

    /** The connection to a relay failed before any byte (refused, unreachable, timed out): another relay may serve. */
    static final class RelayUnreachable extends IOException {
        private static final long serialVersionUID = 1L;

        RelayUnreachable(String message, Throwable cause) {
            super(message, cause);
        }

        /** Whether {@code e} (or what it wraps) says so. */
        static boolean in(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RelayUnreachable) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Gives up: no relay connection came back in time, or the peer ended the pairing. */
    void fail(String reason) {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            closedForUser = true;
            discardUnacked();
            if (channel != null) {
                channel.close();
            }
        }
        opening.completeExceptionally(new IOException(reason));
        owner.ended(this);
        deliverClosed(reason, null);
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return !closedForUser && !done;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Relay connections

    /**
     * Dials a relay with a token and attaches the connection once both sides said HELLO.
     *
     * @return completes when attached, exceptionally when the relay refused or the peer never came
     */
    CompletableFuture<Void> dial(String relayId, String relayAddress, byte[] token, int timeoutSeconds) {
        CompletableFuture<Void> attached = new CompletableFuture<>();
        Tls.Address target;
        String tunnel;
        try {
            org.tandemrc.webconnect.tunnel.Endpoints e = org.tandemrc.webconnect.tunnel.Endpoints.parse(relayAddress);
            if (e.tcp() == null) {
                throw new IllegalArgumentException("relay address '" + relayAddress + "' has no TCP address");
            }
            target = Tls.Address.parse(e.tcp(), false);
            tunnel = transport.tunnels == null ? null : e.http();
        } catch (IllegalArgumentException e) {
            attached.completeExceptionally(e);
            return attached;
        }
        transport.connect(group, "relay " + relayId, target, 6591, tunnel, route, true, ch -> {
            ch.pipeline().addLast(new IdleStateHandler(idleSeconds, Math.max(1, idleSeconds / 3), 0));
            ch.pipeline().addLast(new FrameDecoder(maxMessageSize() + 9));
            ch.pipeline().addLast(new Wire(relayId, token, attached));
        }).whenComplete((ch, failure) -> {
            if (failure != null) {
                Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                // Refused, unreachable, timed out (both ways, with a tunnel): another relay may serve.
                attached.completeExceptionally(new RelayUnreachable(t.getMessage(), t));
                return;
            }
            LOG.log(Level.DEBUG, () -> "link " + pairingHex() + ": relay " + relayId + " via " + route.last);
            ch.eventLoop().schedule(() -> {
                if (attached.completeExceptionally(new IOException("the other side did not reach relay " + relayId
                        + " within " + timeoutSeconds + " s"))) {
                    ch.close();
                }
            }, timeoutSeconds, TimeUnit.SECONDS);
        });
        return attached;
    }

    /** Which way the last relay connection took ({@code tcp:...}, {@code tls:...} or {@code http:...}). */
    String via() {
        return route.last;
    }

    private void onHello(Channel ch, String relay, long peerReceived, CompletableFuture<Void> attached) {
        Channel old;
        boolean first;
        String pendingClose = null;
        synchronized (lock) {
            if (done) {
                ch.close();
                attached.completeExceptionally(new IOException("the link ended"));
                return;
            }
            if (peerReceived >= nextSeq) {
                protocolError(ch, "the peer acknowledges messages never sent");
                return;
            }
            acknowledged(peerReceived);
            old = channel;
            clearOutbox();
            channel = ch;
            relayId = relay;
            ready = true;
            lostAt = 0;
            for (Out out : unacked) {
                write(out);
            }
            first = !everReady;
            everReady = true;
            if (closedForUser) {
                pendingClose = closeReason;
                done = true;
                releaseUnacked(); // their writes are queued, ahead of the CLOSE
            }
        }
        if (old != null && old != ch) {
            old.close();
        }
        attached.complete(null);
        sendAck(ch);
        if (pendingClose != null) {
            sendClose(ch, pendingClose);
            owner.ended(this);
            return;
        }
        if (first) {
            LinkHandler h = handler != null ? handler : owner.opened(this);
            handler = h;
            if (h == null) {
                fail("the Host refused the link");
                return;
            }
            h.opened(this);
            opening.complete(this);
        } else {
            LOG.log(Level.DEBUG, () -> "link " + pairingHex() + " resumed through relay " + relay);
            maybeWritable();
        }
    }

    private void sendAck(Channel ch) {
        long r;
        synchronized (lock) {
            r = received;
            ackedUpTo = r;
            receivedSinceAck = 0;
            ackScheduled = false;
        }
        ch.writeAndFlush(Frames.longFrame(Frames.ACK, r), ch.voidPromise());
    }

    private void onData(Channel ch, WireReader f) throws ProtocolException {
        long seq = f.i64("message number");
        ByteBuffer message = f.rest();
        synchronized (lock) {
            if (channel != ch) {
                return; // a connection being replaced
            }
            if (seq <= received) {
                return; // already delivered before a resume
            }
            if (seq != received + 1) {
                protocolError(ch, "message " + seq + " arrived after " + received);
                return;
            }
            received = seq;
            receivedSinceAck += message.remaining() + 1;
        }
        LinkHandler h = handler;
        if (h != null) {
            h.received(this, message);
        }
        boolean now;
        boolean schedule = false;
        synchronized (lock) {
            now = receivedSinceAck >= ACK_EVERY;
            if (!now && !ackScheduled) {
                ackScheduled = true;
                schedule = true;
            }
        }
        if (now) {
            sendAck(ch);
        } else if (schedule) {
            ch.eventLoop().schedule(() -> {
                boolean due;
                synchronized (lock) {
                    due = ackScheduled && received > ackedUpTo;
                    ackScheduled = false;
                }
                if (due && ch.isActive()) {
                    sendAck(ch);
                }
            }, ACK_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void onAck(long upTo) {
        synchronized (lock) {
            acknowledged(upTo);
        }
        maybeWritable();
    }

    private void onClose(Channel ch, String reason) {
        synchronized (lock) {
            if (done) {
                ch.close();
                return;
            }
            done = true;
            closedForUser = true;
            discardUnacked();
        }
        ch.close();
        owner.ended(this);
        deliverClosed(reason, ch);
    }

    private void protocolError(Channel ch, String what) {
        LOG.log(Level.DEBUG, "link " + pairingHex() + ": " + what);
        synchronized (lock) {
            done = true;
            closedForUser = true;
            discardUnacked();
        }
        ch.close();
        opening.completeExceptionally(new IOException("protocol error from the peer: " + what));
        owner.ended(this);
        deliverClosed("protocol error from the peer: " + what, null);
    }

    private void onInactive(Channel ch) {
        if (group.isShuttingDown()) {
            // The device is stopping (its event loops close every connection): nothing can resume the link, and
            // the Host endpoint it came through may be closed and have forgotten it, so it ends here and its
            // unacknowledged frames go back to the pool.
            abandon("the webconnect device stopped");
            return;
        }
        boolean wasCurrent;
        String relay;
        synchronized (lock) {
            wasCurrent = channel == ch;
            if (wasCurrent) {
                ready = false;
                channel = null;
                clearOutbox();
                lostAt = System.currentTimeMillis();
            }
            relay = relayId;
            if (done || !wasCurrent || !everReady) {
                return;
            }
        }
        LOG.log(Level.INFO, "link " + pairingHex() + ": relay connection to " + relay + " lost; resuming");
        owner.lost(this, relay);
    }

    /** Speaks the relay handshake, then the link protocol, on one relay connection. */
    private final class Wire extends ChannelInboundHandlerAdapter {
        private final String relay;
        private final byte[] token;
        private final CompletableFuture<Void> attached;
        private int phase; // 0 token sent, 1 paired (HELLO sent), 2 HELLO received

        Wire(String relay, byte[] token, CompletableFuture<Void> attached) {
            this.relay = relay;
            this.token = token;
            this.attached = attached;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Frames.frame(Frames.RELAY_TOKEN, Fields.bytes(new WireWriter(), token)));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                WireReader f = Fields.reader(frame);
                int type = f.u8("frame type");
                if (phase == 0) {
                    if (type == Frames.ERROR) {
                        attached.completeExceptionally(new IOException(Fields.string(f, "reason")));
                        ctx.close();
                    } else if (type == Frames.RELAY_PAIRED) {
                        phase = 1;
                        long r;
                        synchronized (lock) {
                            r = received;
                        }
                        ctx.writeAndFlush(new Hello(Frames.VERSION, pairingId, role, r).frame());
                    } else {
                        attached.completeExceptionally(new IOException("relay " + relay + " broke the protocol"));
                        ctx.close();
                    }
                    return;
                }
                if (phase == 1) {
                    Hello hello = type == Frames.HELLO ? Hello.read(f) : null;
                    if (hello == null || hello.version() != Frames.VERSION) {
                        attached.completeExceptionally(new IOException("the peer does not speak WebConnect (frame type " + type + ")"));
                        ctx.close();
                        return;
                    }
                    if (!java.util.Arrays.equals(hello.pairingId(), pairingId) || hello.role() == role) {
                        attached.completeExceptionally(new IOException("the peer names another pairing"));
                        ctx.close();
                        return;
                    }
                    phase = 2;
                    onHello(ctx.channel(), relay, hello.lastReceived(), attached);
                    return;
                }
                switch (type) {
                    case Frames.DATA -> onData(ctx.channel(), f);
                    case Frames.ACK -> onAck(f.i64("acknowledged number"));
                    case Frames.CLOSE -> onClose(ctx.channel(), Fields.string(f, "reason"));
                    case Frames.KEEPALIVE -> {
                    }
                    default -> protocolError(ctx.channel(), "unknown frame " + type);
                }
            } catch (ProtocolException e) {
                if (phase < 2) {
                    attached.completeExceptionally(new IOException("protocol error: " + e.getMessage()));
                    ctx.close();
                } else {
                    protocolError(ctx.channel(), e.getMessage());
                }
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                maybeWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
                attached.completeExceptionally(new IOException("TLS with relay " + relay + " failed: "
                        + Tls.describe(hs.cause())));
                ctx.close();
                return;
            }
            if (evt instanceof IdleStateEvent e) {
                if (e.state() == IdleState.WRITER_IDLE) {
                    if (phase == 2) {
                        ctx.writeAndFlush(Frames.frame(Frames.KEEPALIVE), ctx.voidPromise());
                    }
                } else if (e.state() == IdleState.READER_IDLE) {
                    ctx.close();
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A broken frame from the peer ends the link; a failing socket (reset) only this connection.
            if (phase == 2 && cause instanceof io.netty.handler.codec.DecoderException
                    && !(cause.getCause() instanceof javax.net.ssl.SSLException)) {
                protocolError(ctx.channel(), String.valueOf(cause.getMessage()));
            } else {
                attached.completeExceptionally(new IOException("relay connection failed: "
                        + (cause.getCause() instanceof javax.net.ssl.SSLException ? Tls.describe(cause) : cause.getMessage())));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            attached.completeExceptionally(new IOException("relay " + relay + " closed the connection"));
            if (phase == 2) {
                onInactive(ctx.channel());
            }
        }
    }

    /** For the owner: runs {@code task} when the reconnect timeout passed since the loss, if still lost. */
    void watchReconnect(java.util.concurrent.ScheduledExecutorService timer, Consumer<WebConnectLink> expired) {
        timer.schedule(() -> {
            long lost = lostAt();
            if (!done() && lost != 0 && System.currentTimeMillis() - lost >= reconnectMillis - 50) {
                expired.accept(this);
            }
        }, reconnectMillis, TimeUnit.MILLISECONDS);
    }
}
