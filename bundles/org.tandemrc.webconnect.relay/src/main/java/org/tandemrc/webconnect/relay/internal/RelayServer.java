package org.tandemrc.webconnect.relay.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.PairingToken;
import org.tandemrc.webconnect.store.Store;
import org.tandemrc.webconnect.tunnel.Listening;

/**
 * A Connection Server: accepts dial-ins that present a manager-signed {@link PairingToken}, pairs the
 * Host's and the Guest's connection of one pairing and splices their bytes, never looking at them.
 * Stateless: what it knows lives in its connections; the database only learns its address, its number
 * of sessions and its heartbeat, so managers can choose the least loaded live relay.
 */
public final class RelayServer {

    private static final Logger LOG = System.getLogger("org.tandemrc.webconnect.relay");
    /** A relay whose heartbeat is older than this is not chosen by managers. */
    public static final long HEARTBEAT_MILLIS = 2000;

    /** What an operator configures. Bandwidths in bytes per second, 0 for no cap. */
    public record Settings(String id, String host, int port, String advertise, long sessionBandwidth,
            long totalBandwidth, int idleSeconds, int pairingSeconds) {
    }

    /**
     * What a spliced connection may hold unsent before the relay stops reading its partner: up to 1 MiB per
     * direction of an active session, plus the one read that crossed it (idle and waiting connections hold
     * nothing).
     */
    static final io.netty.channel.WriteBufferWaterMark SPLICE_WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final Settings settings;
    private final Store store;
    private final String id;
    private final Map<String, PublicKey> managerKeys = new ConcurrentHashMap<>();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Set<Channel> paired = ConcurrentHashMap.newKeySet();
    private final AtomicLong sessions = new AtomicLong();
    /** Added to by every splice's event loop on every read: a LongAdder, so they do not contend for one line. */
    private final LongAdder bytesRelayed = new LongAdder();
    private final TokenBucket total;
    private Listening listening;
    private String address;
    private ScheduledFuture<?> heartbeat;
    private volatile long lastKeyReload;
    private org.tandemrc.webconnect.tls.Tls.ServerIdentity tls;
    private org.tandemrc.api.comm.CommunicationDevice httpDevice;
    private org.tandemrc.api.comm.CommunicationProfile httpProfile;
    private String httpAdvertise;

    /**
     * Also accept dial-ins through the {@code http} device's tunnel, listening with {@code profile}; the
     * advertised address then carries the tunnel too ({@code [tls:]HOST:PORT http:HOST:PORT}) so clients that
     * reached their manager through the tunnel reach this relay the same way. Call before {@link #start()}.
     *
     * @param advertise the tunnel address clients dial ({@code HOST:PORT[/PATH]}), or empty for the bound one
     */
    public void http(org.tandemrc.api.comm.CommunicationDevice device, org.tandemrc.api.comm.CommunicationProfile profile,
            String advertise) {
        this.httpDevice = device;
        this.httpProfile = profile;
        this.httpAdvertise = advertise;
    }

    /** Serve TLS (1.3) with this identity; call before {@link #start()}. Null: plaintext. */
    public void tls(org.tandemrc.webconnect.tls.Tls.ServerIdentity identity) {
        this.tls = identity;
    }

    private record Waiting(Channel channel, byte role, ScheduledFuture<?> timeout) {
    }

    public RelayServer(Settings settings, Store store) {
        this.settings = settings;
        this.store = store;
        this.id = settings.id() == null || settings.id().isBlank() ? "relay-" + UUID.randomUUID().toString().substring(0, 8)
                : settings.id();
        this.total = settings.totalBandwidth() > 0 ? new TokenBucket(settings.totalBandwidth()) : null;
    }

    public String id() {
        return id;
    }

    /** The address clients dial, {@code [tls:]host:port}, followed by {@code http:host:port} with a tunnel. */
    public String address() {
        return address;
    }

    public long sessions() {
        return sessions.get();
    }

    public long bytesRelayed() {
        return bytesRelayed.sum();
    }

    /** A line for status output, with the configured caps. */
    public String status() {
        return "relay " + id + " at " + address + (tls == null ? "" : " (TLS SHA-256 " + tls.fingerprint() + ")") + ": " + sessions.get() + " sessions, " + bytesRelayed.sum()
                + " bytes relayed; " + caps();
    }

    private String caps() {
        return "session cap " + cap(settings.sessionBandwidth()) + " per direction, total cap "
                + cap(settings.totalBandwidth()) + ", idle timeout " + settings.idleSeconds() + " s";
    }

    private static String cap(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "none" : bytesPerSecond + " B/s";
    }

    /** Binds, registers in the database and starts the heartbeat. */
    public void start() throws Exception {
        listening = new Listening("wc-relay", "-" + id, 0);
        ChannelInitializer<Channel> pipeline = new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, settings.idleSeconds()));
                ch.pipeline().addLast("frames", Frames.decoder(Frames.MAX_CONTROL_FRAME));
                ch.pipeline().addLast("token", new TokenReader());
                ch.pipeline().addLast("closer", Frames.closer());
                if (tls != null) {
                    tls.install(ch, LOG, "relay " + id);
                }
            }
        };
        try {
            // Netty's default (32/64 KiB) is less than one 64 KiB message: the splice would stop and restart
            // reading (a hop to the partner's event loop and back) for almost every read. See SPLICE_WATER_MARK.
            listening.bind("relay", settings.host(), settings.port(),
                    b -> b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SPLICE_WATER_MARK), pipeline,
                    httpDevice, httpProfile);
        } catch (java.io.IOException e) {
            stop(false);
            throw e;
        }
        int bound = listening.port();
        address = settings.advertise() == null || settings.advertise().isBlank()
                ? hostPort(settings.host(), bound) : settings.advertise();
        if (tls != null && !address.regionMatches(true, 0, "tls:", 0, 4)) {
            address = "tls:" + address;
        }
        if (listening.httpAddress() != null) {
            String tunnel = httpAdvertise == null || httpAdvertise.isBlank()
                    ? listening.httpAddress().substring("http:".length())
                    : httpAdvertise.trim().replaceFirst("(?i)^http:(//)?", "");
            address = new org.tandemrc.webconnect.tunnel.Endpoints(address, tunnel).toString();
        }
        beat();
        heartbeat = listening.workers().next().scheduleAtFixedRate(() -> {
            try {
                beat();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "relay " + id + ": heartbeat to the database failed", e);
            }
        }, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, status());
    }

    private static String hostPort(String host, int port) {
        return new HostPort(host, port).authority();
    }

    private void beat() throws SQLException {
        long now = System.currentTimeMillis();
        store.run(c -> {
            if (Store.update(c, "update wc_relay set address=?, sessions=?, heartbeat=?, info=? where id=?", address,
                    (int) sessions.get(), now, caps(), id) == 0) {
                Store.update(c, "insert into wc_relay (id, address, sessions, heartbeat, info) values (?,?,?,?,?)", id,
                        address, (int) sessions.get(), now, caps());
            }
            return null;
        });
    }

    /**
     * Stops: closes the listener and every connection.
     *
     * @param deregister whether to remove this relay from the database (a clean stop); false behaves
     *                   as a crash does, leaving managers to notice the stale heartbeat
     */
    public void stop(boolean deregister) {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (deregister && address != null) {
            try {
                store.delete(id, "delete from wc_relay where id=?");
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "relay " + id + ": cannot deregister", e);
            }
        }
        if (listening != null) {
            listening.closeListeners();
        }
        for (Channel c : paired) {
            c.close();
        }
        for (Waiting w : waiting.values()) {
            w.channel().close();
        }
        if (listening != null) {
            listening.shutdown();
        }
    }

    private Optional<PublicKey> managerKey(String managerId) {
        PublicKey k = managerKeys.get(managerId);
        if (k != null) {
            return Optional.of(k);
        }
        synchronized (managerKeys) {
            return reloadKeys(managerId);
        }
    }

    /** Reads the managers' keys again, at most every 200 ms (a forged manager id must not flood the database). */
    private Optional<PublicKey> reloadKeys(String managerId) {
        PublicKey k = managerKeys.get(managerId);
        if (k == null && System.currentTimeMillis() - lastKeyReload > 200) {
            lastKeyReload = System.currentTimeMillis();
            try {
                store.run(c -> {
                    try (PreparedStatement s = c.prepareStatement("select id, public_key from wc_manager");
                            ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            managerKeys.put(r.getString(1), PairingToken.publicKey(r.getString(2)));
                        }
                    }
                    return null;
                });
            } catch (SQLException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "relay " + id + ": cannot read manager keys", e);
            }
            k = managerKeys.get(managerId);
        }
        return Optional.ofNullable(k);
    }

    private static void refuse(Channel ch, String reason) {
        ch.writeAndFlush(Frames.reason(Frames.ERROR, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Reads the one token frame of a fresh connection. */
    private final class TokenReader extends ChannelInboundHandlerAdapter {
        private boolean seen;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                if (seen) {
                    refuse(ctx.channel(), "nothing may follow the token before the relay pairs the connection");
                    return;
                }
                seen = true;
                PairingToken token;
                try {
                    WireReader r = Fields.reader(frame);
                    if (r.u8("frame type") != Frames.RELAY_TOKEN) {
                        refuse(ctx.channel(), "expected a pairing token");
                        return;
                    }
                    token = PairingToken.verify(Fields.bytes(r, "pairing token"), RelayServer.this::managerKey,
                            System.currentTimeMillis());
                } catch (SecurityException | ProtocolException e) {
                    refuse(ctx.channel(), "relay refuses the connection: " + e.getMessage());
                    return;
                }
                if (!token.relayId().equals(id)) {
                    refuse(ctx.channel(), "relay refuses the connection: the token is for relay '" + token.relayId() + "'");
                    return;
                }
                ctx.channel().config().setAutoRead(false);
                arrive(ctx.channel(), token);
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
    }

    private void arrive(Channel ch, PairingToken token) {
        String key = token.pairingHex();
        synchronized (waiting) {
            Waiting other = waiting.get(key);
            if (other != null && other.role() != token.role() && other.channel().isActive()) {
                waiting.remove(key);
                other.timeout().cancel(false);
                pair(other.channel(), ch);
                return;
            }
            if (other != null) {
                other.timeout().cancel(false);
                other.channel().close(); // a newer dial-in of the same side replaces it
            }
            Waiting[] self = new Waiting[1];
            ScheduledFuture<?> timeout = ch.eventLoop().schedule(() -> {
                waiting.remove(key, self[0]);
                refuse(ch, "the other side did not reach the relay within " + settings.pairingSeconds() + " s");
            }, settings.pairingSeconds(), TimeUnit.SECONDS);
            Waiting w = new Waiting(ch, token.role(), timeout);
            self[0] = w;
            waiting.put(key, w);
            ch.closeFuture().addListener(f -> waiting.remove(key, w));
        }
    }

    /**
     * Pairs two parked connections ({@code b} is the one that just arrived, on the current event loop).
     * The waiting one moves to {@code b}'s event loop first: a splice then writes its partner directly in
     * its own thread, instead of handing every read and flush to another thread (a task and a wake-up each).
     */
    private void pair(Channel a, Channel b) {
        // A tunnelled connection (a LocalChannel bridged to an http link) is not moved: re-registering a
        // LocalChannel would announce it to its peer again.
        if (a.eventLoop() == b.eventLoop() || a instanceof io.netty.channel.local.LocalChannel
                || b instanceof io.netty.channel.local.LocalChannel) {
            splice(a, b);
            return;
        }
        io.netty.channel.EventLoop loop = b.eventLoop();
        a.deregister().addListener(d -> {
            if (!d.isSuccess() || !a.isOpen()) {
                a.close();
                b.close();
                return;
            }
            loop.register(a).addListener(r -> {
                if (r.isSuccess()) {
                    splice(a, b);
                } else {
                    LOG.log(Level.DEBUG, "relay " + id + ": cannot move a connection to its partner's event loop", r.cause());
                    a.close();
                    b.close();
                }
            });
        });
    }

    private void splice(Channel a, Channel b) {
        sessions.incrementAndGet();
        paired.add(a);
        paired.add(b);
        Splice sa = new Splice(b);
        Splice sb = new Splice(a);
        sa.partner = sb;
        sb.partner = sa;
        for (Channel ch : new Channel[] {a, b}) {
            ch.writeAndFlush(Frames.frame(Frames.RELAY_PAIRED));
        }
        install(a, sa);
        install(b, sb);
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        for (Channel[] pair : new Channel[][] {{a, b}, {b, a}}) {
            pair[0].closeFuture().addListener(f -> {
                paired.remove(pair[0]);
                closeAfterFlush(pair[1]);
                if (ended.compareAndSet(false, true)) {
                    sessions.decrementAndGet();
                }
            });
        }
        a.config().setAutoRead(true);
        b.config().setAutoRead(true);
    }

    /**
     * The other side left: what it sent reaches this one, then a FIN (half-close), so nothing this side
     * has not read yet is lost to a reset; the connection closes when this side closes it, or at the latest
     * after 10 s.
     */
    private static void closeAfterFlush(Channel c) {
        if (c.isActive() && c instanceof SocketChannel sc) {
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (sc.isActive() && !sc.isOutputShutdown()) {
                    sc.shutdownOutput();
                    sc.eventLoop().schedule(() -> {
                        sc.close();
                    }, 10, TimeUnit.SECONDS);
                }
            });
        } else if (c.isActive()) {
            // a tunnelled connection has no half-close: its bridge reads what was written before the close
            c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            c.close();
        }
    }

    /**
     * Replaces the token reader by the splice, at once when on the channel's event loop: {@link #splice} turns
     * reading on right after, and a tunnelled connection (LocalChannel) reads what is already queued at
     * once, which must reach the splice, not the token reader.
     */
    private static void install(Channel ch, Splice splice) {
        Runnable r = () -> {
            ch.pipeline().addBefore("closer", "splice", splice);
            ch.pipeline().remove("token");
            ch.pipeline().remove("frames"); // bytes it held reach the splice
        };
        if (ch.eventLoop().inEventLoop()) {
            r.run();
        } else {
            ch.eventLoop().execute(r);
        }
    }

    /** Forwards one direction: what this channel reads goes to {@code out}. */
    private final class Splice extends ChannelInboundHandlerAdapter {
        private final Channel out;
        private final TokenBucket bucket;
        private Splice partner;
        private Channel in;
        private volatile boolean throttled;

        Splice(Channel out) {
            this.out = out;
            this.bucket = settings.sessionBandwidth() > 0 ? new TokenBucket(settings.sessionBandwidth()) : null;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            in = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            int n = data.readableBytes();
            bytesRelayed.add(n);
            // Passed on as read (a pooled direct buffer), no copy; flushed once per read loop (channelReadComplete).
            out.write(data, out.voidPromise());
            if (!out.isWritable()) {
                // Ends this read loop now rather than after up to 16 more reads: the partner's share stays at
                // its water mark plus one read. channelWritabilityChanged turns reading on again.
                in.config().setAutoRead(false);
            }
            long pause = 0;
            if (bucket != null) {
                pause = bucket.charge(n);
            }
            if (total != null) {
                pause = Math.max(pause, total.charge(n));
            }
            if (pause > 0) {
                throttled = true;
                in.config().setAutoRead(false);
                ctx.executor().schedule(() -> {
                    throttled = false;
                    updateRead();
                }, pause, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            out.flush();
            if (!out.isWritable()) {
                in.config().setAutoRead(false);
            }
        }

        /** Reads again when neither the cap nor a full partner holds this direction back. */
        void updateRead() {
            if (in.eventLoop().inEventLoop()) {
                if (!throttled && out.isWritable() && in.isActive()) {
                    in.config().setAutoRead(true);
                }
            } else {
                in.eventLoop().execute(this::updateRead);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                partner.updateRead(); // the partner reads what this channel writes
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
