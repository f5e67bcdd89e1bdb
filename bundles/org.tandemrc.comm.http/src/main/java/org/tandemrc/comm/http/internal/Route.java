package org.tandemrc.comm.http.internal;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * How the connecting side reaches a listener: directly, through a proxy's {@code CONNECT} tunnel, or
 * with plain forward-proxy requests (absolute URIs, {@code Proxy-Authorization} on each request).
 */
final class Route {

    /** A link counts as congested above 1 MiB of unsent data and as writable again below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    private static final Pattern STATUS = Pattern.compile("status: (\\d{3})");

    final HttpAddress target;
    final String path;
    final ProxyChoice proxy;
    final boolean forward;
    final int timeoutMillis;
    final String shown;

    Route(HttpAddress target, String path, ProxyChoice proxy, boolean forward, int timeoutMillis, String shown) {
        this.target = target;
        this.path = path;
        this.proxy = proxy;
        this.forward = forward;
        this.timeoutMillis = timeoutMillis;
        this.shown = shown;
    }

    Route forward() {
        return new Route(target, path, proxy, true, timeoutMillis, shown);
    }

    /** The request URI of {@code pathAndQuery}: absolute for a forward proxy, else as is. */
    String uri(String pathAndQuery) {
        return forward ? "http://" + target.authority() + pathAndQuery : pathAndQuery;
    }

    /** Adds the proxy's Basic credentials to a forward-proxy request. */
    void authorize(HttpHeaders headers) {
        headers.set(HttpHeaderNames.HOST, target.authority());
        if (forward && proxy.user() != null) {
            headers.set(HttpHeaderNames.PROXY_AUTHORIZATION, basic(proxy.user(), proxy.password()));
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens a connection whose pipeline {@code init} fills; the future completes once bytes can flow to
     * the listener (after the proxy's {@code CONNECT} when there is one), or fails with a {@link TunnelException}.
     */
    Future<Channel> open(EventLoopGroup group, Consumer<Channel> init) {
        Promise<Channel> ready = group.next().newPromise();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis);
        HttpProxyHandler[] tunnel = new HttpProxyHandler[1];
        boolean viaConnect = !proxy.direct() && !forward;
        if (viaConnect) {
            // The proxy resolves the listener's name: it may be unknown (or unreachable) here.
            b.resolver(NoopAddressResolverGroup.INSTANCE);
        }
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (viaConnect) {
                    InetSocketAddress p = new InetSocketAddress(proxy.address().getHostString(), proxy.address().getPort());
                    tunnel[0] = proxy.user() == null ? new HttpProxyHandler(p) : new HttpProxyHandler(p, proxy.user(), proxy.password());
                    tunnel[0].setConnectTimeoutMillis(timeoutMillis);
                    ch.pipeline().addLast("proxy", tunnel[0]);
                }
                init.accept(ch);
            }
        });
        InetSocketAddress to = proxy.direct() ? new InetSocketAddress(target.host(), target.port())
                : forward ? new InetSocketAddress(proxy.address().getHostString(), proxy.address().getPort())
                : target.unresolved();
        if (to.isUnresolved() && !viaConnect) {
            ready.setFailure(new TunnelException(TunnelException.Kind.UNREACHABLE,
                    "unknown host '" + to.getHostString() + "'" + (proxy.direct() ? "" : " (the proxy)")));
            return ready;
        }
        ChannelFuture connected = b.connect(to);
        connected.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                ready.tryFailure(connectFailure(f.cause()));
            } else if (tunnel[0] == null) {
                ready.trySuccess(f.channel());
            } else {
                tunnel[0].connectFuture().addListener(t -> {
                    if (t.isSuccess()) {
                        ready.trySuccess(f.channel());
                    } else {
                        f.channel().close();
                        ready.tryFailure(connectFailure(t.cause()));
                    }
                });
            }
        });
        return ready;
    }

    private TunnelException connectFailure(Throwable cause) {
        if (cause instanceof ProxyConnectException) {
            Matcher m = STATUS.matcher(String.valueOf(cause.getMessage()));
            if (m.find()) {
                return proxyStatus(Integer.parseInt(m.group(1)), cause);
            }
            return new TunnelException(TunnelException.Kind.UNREACHABLE,
                    "the proxy at " + proxy.shown() + " did not open a tunnel to " + target.authority() + ": " + cause.getMessage(), cause);
        }
        String why = cause instanceof ConnectException ? "connection refused"
                : cause instanceof io.netty.channel.ConnectTimeoutException ? "no answer within " + timeoutMillis / 1000 + " s"
                : String.valueOf(cause.getMessage());
        if (proxy.direct()) {
            return new TunnelException(TunnelException.Kind.UNREACHABLE, why, cause);
        }
        return new TunnelException(TunnelException.Kind.UNREACHABLE, "cannot reach the proxy at " + proxy.shown() + ": " + why, cause);
    }

    /** What a proxy's refusal means, as an operator reads it. */
    TunnelException proxyStatus(int status, Throwable cause) {
        // 407 asks for credentials; tinyproxy answers 401 when those given are wrong.
        if (status == HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED.code()
                || status == HttpResponseStatus.UNAUTHORIZED.code() && (!forward || proxy.user() != null)) {
            String message = proxy.user() == null
                    ? "the proxy at " + proxy.shown() + " requires credentials: set proxy-user and proxy-password"
                    : "the proxy at " + proxy.shown() + " refused the credentials of proxy-user '" + proxy.user() + "'";
            return new TunnelException(TunnelException.Kind.PROXY_AUTH, message, cause);
        }
        if (!forward) {
            return new TunnelException(TunnelException.Kind.CONNECT_REFUSED,
                    "the proxy at " + proxy.shown() + " refused to CONNECT to " + target.authority() + " (HTTP " + status + ")", cause);
        }
        return new TunnelException(TunnelException.Kind.OTHER,
                "the proxy at " + proxy.shown() + " refused the request to " + target.authority() + " (HTTP " + status + ")", cause);
    }
}
