package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.webconnect.tls.Tls;
import org.tandemrc.webconnect.tunnel.LinkBridge;

/**
 * How the device reaches managers and relays: plaintext TCP or TLS 1.3, directly or through the
 * {@code http} device's tunnel. An address says {@code tls:} or {@code tcp:}; a bare manager address
 * follows the profile's {@code tls} setting, a bare relay address (as handed out by a manager) is
 * plaintext. Trust: {@code trust-fingerprint} (SHA-256 pins, no host name check), else {@code trust} (PEM
 * certificates as anchors, host name checked), else the system trust store (host name checked).
 *
 * <p>HTTP tunnel ({@code fallback}): TCP is tried first, within {@code connect-timeout}; when the connect
 * fails (refused, timed out, unreachable) the same pipeline (TLS included) runs over a link of the
 * {@code http} device to the server's tunnel address, through the profile's {@code proxy}. Which way worked
 * is remembered in the {@link Route} of the endpoint or link, so later connections (relays, resumes,
 * re-registrations) take it first. With {@code transport=http} TCP is never tried.
 */
final class Transport {

    static final Transport PLAIN = new Transport(false, null, List.of());
    private static final Logger LOG = System.getLogger("org.tandemrc.comm.webconnect");

    /** Which way a Host endpoint or a Guest's link last reached its servers. */
    static final class Route {
        volatile boolean http;
        /** What the last connection took, e.g. {@code tcp:127.0.0.1:6590} or {@code http:127.0.0.1:1970 (fallback)}. */
        volatile String last;
    }

    /** A connect that failed before any byte: refused, timed out, unreachable. Other failures are not retried. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    final boolean tlsDefault;
    private final String trust;
    private final List<String> pins;
    private volatile SslContext context;
    /** Where the managers' tunnels listen, by index (the last one serves the rest); empty: each manager's host, port 1970. Null: no fallback. */
    final List<String> tunnels;
    final boolean httpOnly;
    final int connectMillis;
    final CommunicationProfile httpProfile;
    private final String profileName;
    private volatile Supplier<CommunicationDevice> http = () -> null;

    Transport(boolean tlsDefault, String trust, List<String> pins) {
        this(tlsDefault, trust, pins, null, false, 10_000, null, "?");
    }

    Transport(boolean tlsDefault, String trust, List<String> pins, List<String> tunnels, boolean httpOnly,
            int connectMillis, CommunicationProfile httpProfile, String profileName) {
        this.tlsDefault = tlsDefault;
        this.trust = trust;
        this.pins = pins;
        this.tunnels = tunnels;
        this.httpOnly = httpOnly;
        this.connectMillis = connectMillis;
        this.httpProfile = httpProfile;
        this.profileName = profileName;
    }

    /** Where the {@code http} device comes from (the webconnect device's optional reference). */
    Transport httpDevice(Supplier<CommunicationDevice> device) {
        this.http = device;
        return this;
    }

    /** The tunnel address of the {@code index}th manager ({@code HOST:PORT[/PATH]}), or null without fallback. */
    String managerTunnel(int index, String managerAddress) {
        if (tunnels == null) {
            return null;
        }
        if (tunnels.isEmpty()) {
            HostPort hp = HostPort.parse(Tls.Address.parse(managerAddress, false).authority(), Control.DEFAULT_PORT,
                    "Connection Manager address");
            return new HostPort(hp.host(), 1970).authority();
        }
        return tunnels.get(Math.min(index, tunnels.size() - 1));
    }

    /** Builds the TLS context now, so a broken trust setting is reported at once. */
    Transport checked() {
        if (tlsDefault || trust != null || !pins.isEmpty()) {
            try {
                context();
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return this;
    }

    private SslContext context() throws IOException {
        SslContext c = context;
        if (c == null) {
            try {
                c = Tls.client(trust, pins);
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("cannot set up TLS trust" + (trust == null ? "" : " from " + trust) + ": "
                        + e.getMessage(), e);
            }
            context = c;
        }
        return c;
    }

    /** Adds TLS in front of a fresh client channel when {@code address} asks for it. */
    void install(Channel ch, Tls.Address address, HostPort hp) throws IOException {
        if (address.tls()) {
            ch.pipeline().addFirst("tls", Tls.clientHandler(context(), ch.alloc(), hp.host(), hp.port(), pins.isEmpty()));
        }
    }

    /** The handshake's outcome; plaintext channels count as done. */
    static io.netty.util.concurrent.Future<Channel> handshake(Channel ch) {
        SslHandler h = ch.pipeline().get(SslHandler.class);
        return h == null ? ch.eventLoop().newSucceededFuture(ch) : h.handshakeFuture();
    }

    /**
     * Opens a connection to a manager or relay: TCP to {@code target}, or the tunnel, as described in the
     * class comment.
     *
     * @param what     "the Connection Manager" or "relay ID", for messages
     * @param target   the TCP address and whether TLS runs (inside the tunnel too)
     * @param tunnel   the server's tunnel address ({@code HOST:PORT[/PATH]}), or null when it has none
     * @param route    remembers the way; updated on success
     * @param bulk     whether the connection carries link data (wider write buffer)
     * @param pipeline adds the protocol handlers, after TLS
     * @return the connected channel (TLS handshake not awaited), or an {@link Unreachable} / other IOException
     */
    CompletableFuture<Channel> connect(EventLoopGroup group, String what, Tls.Address target, int defaultPort,
            String tunnel, Route route, boolean bulk, Consumer<Channel> pipeline) {
        HostPort hp;
        try {
            hp = HostPort.parse(target.authority(), defaultPort, what + " address");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean viaHttp = httpOnly || route.http;
        if (viaHttp && tunnel == null) {
            if (httpOnly) {
                return CompletableFuture.failedFuture(new IOException(what + " at " + hp.authority()
                        + " has no HTTP tunnel address, and profile '" + profileName + "' sets transport=http"));
            }
            viaHttp = false;
        }
        boolean first = viaHttp;
        CompletableFuture<Channel> attempt = first ? tunnel(group, what, target, tunnel, bulk, pipeline)
                : tcp(group, what, target, hp, bulk, pipeline);
        return attempt.handle((ch, failure) -> {
            if (failure == null) {
                route.last = first ? "http:" + tunnel : target.toString();
                return CompletableFuture.completedFuture(ch);
            }
            Throwable e = unwrap(failure);
            if (!(e instanceof Unreachable)) {
                return CompletableFuture.<Channel>failedFuture(e);
            }
            if (!first && tunnel != null) {
                LOG.log(Level.INFO, "webconnect profile '" + profileName + "': " + what + " at " + hp.authority()
                        + " cannot be reached over TCP (" + e.getMessage() + "); trying the HTTP tunnel http:" + tunnel
                        + proxyText());
                return tunnel(group, what, target, tunnel, bulk, pipeline).handle((c, f) -> {
                    if (f == null) {
                        route.http = true;
                        route.last = "http:" + tunnel + " (fallback)";
                        LOG.log(Level.INFO, "webconnect profile '" + profileName + "': " + what + " reached through the HTTP tunnel"
                                + " http:" + tunnel + "; this link/endpoint keeps using it");
                        return CompletableFuture.completedFuture(c);
                    }
                    return CompletableFuture.<Channel>failedFuture(new IOException(e.getMessage()
                            + "; the HTTP tunnel failed too: " + unwrap(f).getMessage(), unwrap(f)));
                }).thenCompose(x -> x);
            }
            if (first && !httpOnly) {
                LOG.log(Level.INFO, "webconnect profile '" + profileName + "': the HTTP tunnel http:" + tunnel + " to " + what
                        + " failed (" + e.getMessage() + "); trying TCP again");
                return tcp(group, what, target, hp, bulk, pipeline).handle((c, f) -> {
                    if (f == null) {
                        route.http = false;
                        route.last = target.toString();
                        return CompletableFuture.completedFuture(c);
                    }
                    return CompletableFuture.<Channel>failedFuture(new IOException(e.getMessage()
                            + "; TCP failed too: " + unwrap(f).getMessage(), unwrap(f)));
                }).thenCompose(x -> x);
            }
            return CompletableFuture.<Channel>failedFuture(e);
        }).thenCompose(x -> x);
    }

    private String proxyText() {
        String p = httpProfile == null ? null : httpProfile.text("proxy", null);
        return p == null || p.equals("none") ? "" : " through the proxy " + p;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private CompletableFuture<Channel> tcp(EventLoopGroup group, String what, Tls.Address target, HostPort hp,
            boolean bulk, Consumer<Channel> pipeline) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        IOException[] setup = new IOException[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(target, hp, pipeline, setup));
        if (bulk) {
            b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
        }
        b.connect(hp.host(), hp.port()).addListener((ChannelFutureListener) f -> {
            if (setup[0] != null) {
                result.completeExceptionally(setup[0]);
            } else if (f.isSuccess()) {
                result.complete(f.channel());
            } else {
                result.completeExceptionally(new Unreachable("cannot reach " + what + " at " + hp.authority() + ": "
                        + (f.cause() == null ? "timed out" : f.cause().getMessage()), f.cause()));
            }
        });
        return result;
    }

    private CompletableFuture<Channel> tunnel(EventLoopGroup group, String what, Tls.Address target, String tunnel,
            boolean bulk, Consumer<Channel> pipeline) {
        CommunicationDevice device = http.get();
        if (device == null) {
            return CompletableFuture.failedFuture(new IOException("profile '" + profileName + "': reaching " + what
                    + " through the HTTP tunnel needs the http communication device (feature comm-http, bundle"
                    + " org.tandemrc.comm.http), which is not running"));
        }
        HostPort hp;
        try {
            String authority = tunnel.indexOf('/') >= 0 ? tunnel.substring(0, tunnel.indexOf('/')) : tunnel;
            hp = HostPort.parse(authority, 1970, "HTTP tunnel address");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        IOException[] setup = new IOException[1];
        LOG.log(Level.DEBUG, () -> "webconnect profile '" + profileName + "': " + what + " through http:" + tunnel);
        ChannelInitializer<Channel> init = initializer(target, hp, pipeline, setup);
        ChannelInitializer<Channel> withOptions = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (bulk) {
                    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
                }
                ch.pipeline().addLast(init);
            }
        };
        return LinkBridge.connect(device, httpProfile, tunnel, group, withOptions).handle((ch, f) -> {
            if (setup[0] != null) {
                if (ch != null) {
                    ch.close();
                }
                throw new java.util.concurrent.CompletionException(setup[0]);
            }
            if (f != null) {
                throw new java.util.concurrent.CompletionException(new Unreachable(unwrap(f).getMessage(), unwrap(f)));
            }
            return ch;
        });
    }

    private ChannelInitializer<Channel> initializer(Tls.Address target, HostPort hp, Consumer<Channel> pipeline,
            IOException[] setup) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                try {
                    install(ch, target, hp);
                } catch (IOException e) {
                    setup[0] = e;
                    ch.close();
                    return;
                }
                pipeline.accept(ch);
            }
        };
    }
}
