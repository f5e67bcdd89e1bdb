package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.support.comm.DescribedDevice;
import org.tandemrc.support.comm.DeviceEndpoint;
import org.tandemrc.support.comm.ListenPlace;

/**
 * The {@code http} device: Tandem messages tunnelled through HTTP so that they pass web proxies and
 * firewalls that let web traffic out. The connecting side asks for a WebSocket ({@code GET PATH} with
 * {@code Upgrade: websocket}; one binary WebSocket message per Tandem message); when the upgrade is
 * refused or lost on the way it falls back to two long-lived streaming requests, a {@code GET} whose
 * chunked response brings the listener's messages and a {@code POST} whose chunked body carries its own,
 * tied together by a session token. Nothing polls.
 *
 * <p>Profile settings:
 * <ul>
 * <li>{@code bind} (listen address; empty for all), {@code port} (default {@value HttpAddress#DEFAULT_PORT};
 *     0 picks a free one), {@code path} (default {@code /tandem});</li>
 * <li>{@code mode}: {@code auto} (default), {@code websocket} or {@code http} (streaming only; on a
 *     listening profile {@code http} refuses WebSocket upgrades);</li>
 * <li>{@code proxy}: {@code none} (default), {@code system} (the JVM's proxy selector, then
 *     {@code http_proxy}/{@code no_proxy}) or {@code HOST:PORT}; {@code proxy-user} and
 *     {@code proxy-password} for Basic proxy authentication;</li>
 * <li>{@code max-message} (bytes, default 1 MiB, 1024..64 MiB), {@code connect-timeout} (seconds, default 10).</li>
 * </ul>
 */
@Component(service = CommunicationDevice.class)
@TandemDeviceType(HttpDevice.TYPE)
public class HttpDevice extends DescribedDevice {

    static final String TYPE = "http";
    private static final System.Logger LOG = System.getLogger(HttpDevice.class.getName());

    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Map<String, String> environment = System.getenv();

    public HttpDevice() {
        super(TYPE, Settings.ALL);
    }

    /** Starts the device's own event loops. */
    @Activate
    public void activate() {
        acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("tandem-http-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("tandem-http-io", true));
    }

    /** Stops the event loops, and with them every endpoint and link of this device. */
    @Deactivate
    public void deactivate() throws InterruptedException {
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    /** For tests: the environment {@code proxy=system} reads instead of the process's. */
    void environment(Map<String, String> env) {
        this.environment = Map.copyOf(env);
    }

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        Settings settings = new Settings(profile);
        ListenPlace place = ListenPlace.of(TYPE, profile, Settings.PORT);
        InetSocketAddress address = place.address((bind, port) -> HttpAddress.parse(bind, port).host());
        ServerRouter.Sessions sessions = new ServerRouter.Sessions();
        ServerBootstrap server = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Route.WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec(4096, 8192, 64 * 1024))
                                .addLast("router", new ServerRouter(settings, acceptor, sessions));
                    }
                });
        ChannelFuture bound = server.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw place.failed(bound.cause());
        }
        Channel serverChannel = bound.channel();
        String actual = TYPE + ":" + HttpAddress.format(serverChannel.localAddress())
                + (settings.path.equals(Settings.DEFAULT_PATH) ? "" : settings.path);
        LOG.log(Level.INFO, "profile ''{0}'' listens on {1} (mode {2})", profile.name(), actual, settings.mode);
        return new DeviceEndpoint(profile, actual, () -> serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
    }

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        Settings settings;
        Route route;
        try {
            settings = new Settings(profile);
            HttpAddress target = HttpAddress.parse(address, HttpAddress.DEFAULT_PORT);
            ProxyChoice proxy = ProxyChoice.choose(settings, target, ProxySelector.getDefault(), environment);
            route = new Route(target, target.path() != null ? target.path() : settings.path, proxy, false,
                    settings.connectTimeoutSeconds * 1000, TYPE + ":" + address);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        String what = "cannot connect to " + TYPE + ":" + address + " (profile '" + profile.name() + "'"
                + (route.proxy.direct() ? "" : ", through the proxy at " + route.proxy.shown()) + "): ";
        Connector connector = new Connector(workers, settings.maxMessage);
        CompletableFuture<Link> attempt;
        switch (settings.mode) {
            case WEBSOCKET:
                attempt = connector.websocket(route, handler);
                break;
            case HTTP:
                attempt = streaming(connector, route, handler);
                break;
            default:
                attempt = connector.websocket(route, handler).handle((link, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(link);
                    }
                    TunnelException e = unwrap(failure);
                    if (e.kind == TunnelException.Kind.UPGRADE_REFUSED) {
                        LOG.log(Level.DEBUG, "{0}: {1}; falling back to streaming requests", route.shown, e.getMessage());
                        return streaming(connector, route, handler).handle((l, f) -> {
                            if (f == null) {
                                return CompletableFuture.completedFuture(l);
                            }
                            return CompletableFuture.<Link>failedFuture(new TunnelException(unwrap(f).kind,
                                    e.getMessage() + "; streaming requests failed too: " + unwrap(f).getMessage(), f));
                        }).thenCompose(x -> x);
                    }
                    if (e.kind == TunnelException.Kind.CONNECT_REFUSED) {
                        LOG.log(Level.DEBUG, "{0}: {1}; trying forward-proxy requests", route.shown, e.getMessage());
                        return connector.streaming(route.forward(), handler);
                    }
                    return CompletableFuture.<Link>failedFuture(e);
                }).thenCompose(x -> x);
                break;
        }
        attempt.whenComplete((link, failure) -> {
            if (failure == null) {
                result.complete(link);
            } else {
                TunnelException e = unwrap(failure);
                result.completeExceptionally(new IOException(what + e.getMessage(), e));
            }
        });
        return result;
    }

    /** Streaming requests through a CONNECT tunnel, or as plain forward-proxy requests when the proxy refuses CONNECT. */
    private static CompletableFuture<Link> streaming(Connector connector, Route route, LinkHandler handler) {
        return connector.streaming(route, handler).handle((link, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(link);
            }
            TunnelException e = unwrap(failure);
            if (e.kind == TunnelException.Kind.CONNECT_REFUSED) {
                LOG.log(Level.DEBUG, "{0}: {1}; trying forward-proxy requests", route.shown, e.getMessage());
                return connector.streaming(route.forward(), handler);
            }
            return CompletableFuture.<Link>failedFuture(e);
        }).thenCompose(x -> x);
    }

    private static TunnelException unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof TunnelException e) {
            return e;
        }
        return new TunnelException(TunnelException.Kind.OTHER, String.valueOf(t.getMessage()), t);
    }
}
