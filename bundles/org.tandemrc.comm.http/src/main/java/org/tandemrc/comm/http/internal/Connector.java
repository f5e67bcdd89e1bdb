package org.tandemrc.comm.http.internal;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/** The connecting side's two ways of opening a link: one WebSocket, or a streaming download and upload. */
final class Connector {

    private final EventLoopGroup group;
    private final int maxMessage;

    Connector(EventLoopGroup group, int maxMessage) {
        this.group = group;
        this.maxMessage = maxMessage;
    }

    /** Opens a WebSocket link; fails with a {@link TunnelException}. */
    CompletableFuture<Link> websocket(Route route, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        URI uri = URI.create("ws://" + route.target.authority() + route.path);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        // Until the route is ready, failures (a proxy's refusal) are the route's to report.
        boolean[] tunnelUp = new boolean[1];
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, headers, maxMessage, true, false);
        route.open(group, ch -> ch.pipeline()
                .addLast("http", new HttpClientCodec())
                .addLast("handshake-aggregator", new HttpObjectAggregator(16 * 1024))
                .addLast("handshake", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        try {
                            if (!(msg instanceof FullHttpResponse response) || result.isDone()) {
                                return;
                            }
                            if (!HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
                                result.completeExceptionally(new TunnelException(TunnelException.Kind.UPGRADE_REFUSED,
                                        "the WebSocket upgrade was refused (HTTP " + response.status() + ")"));
                                ctx.close();
                                return;
                            }
                            try {
                                handshaker.finishHandshake(ctx.channel(), response);
                            } catch (RuntimeException e) {
                                result.completeExceptionally(new TunnelException(TunnelException.Kind.UPGRADE_REFUSED,
                                        "the WebSocket upgrade failed: " + e.getMessage(), e));
                                ctx.close();
                                return;
                            }
                            WsLink link = new WsLink(ctx.channel(), maxMessage);
                            ctx.pipeline().replace(this, "ws-aggregator", new WebSocketFrameAggregator(maxMessage));
                            ctx.pipeline().addLast("link", link.inbound());
                            link.start(handler);
                            result.complete(link);
                        } finally {
                            ReferenceCountUtil.release(msg);
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        if (!tunnelUp[0]) {
                            ctx.fireChannelInactive();
                            return;
                        }
                        result.completeExceptionally(new TunnelException(TunnelException.Kind.UPGRADE_REFUSED,
                                "the connection closed during the WebSocket upgrade"));
                        ctx.fireChannelInactive();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        if (!tunnelUp[0]) {
                            ctx.close();
                        } else if (!result.isDone()) {
                            result.completeExceptionally(new TunnelException(TunnelException.Kind.OTHER,
                                    "the WebSocket upgrade failed: " + cause.getMessage(), cause));
                            ctx.close();
                        } else {
                            ctx.fireExceptionCaught(cause);
                        }
                    }
                }))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.completeExceptionally(f.cause());
                        return;
                    }
                    Channel ch = (Channel) f.getNow();
                    tunnelUp[0] = true;
                    timeout(ch.eventLoop(), result, route, ch, null);
                    // Sent from a task of its own on the channel's event loop: the request's write listener
                    // (which adds the frame encoder next to the HTTP codec) then runs as soon as the request is
                    // written, before the answer can be read. Called from this listener, nested in other
                    // notifications, Netty may defer it to a later task, after the answer was read and
                    // finishing the handshake had removed the codec: the listener then failed and closed a link
                    // already given out ("the peer closed the connection" on both sides).
                    ch.eventLoop().execute(() -> handshaker.handshake(ch).addListener(h -> {
                        if (!h.isSuccess()) {
                            result.completeExceptionally(new TunnelException(TunnelException.Kind.OTHER,
                                    "cannot send the WebSocket upgrade: " + h.cause().getMessage(), h.cause()));
                            ch.close();
                        }
                    }));
                });
        return result;
    }

    /** Opens a streaming link (download {@code GET}, then upload {@code POST}); fails with a {@link TunnelException}. */
    CompletableFuture<Link> streaming(Route route, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        new StreamingAttempt(route, handler, result).start();
        return result;
    }

    /** Fails {@code result} and closes the channels if it is not complete after the route's timeout. */
    private static void timeout(EventLoop loop, CompletableFuture<Link> result, Route route, Channel a, Channel[] b) {
        loop.schedule(() -> {
            if (result.completeExceptionally(new TunnelException(TunnelException.Kind.OTHER,
                    "no answer within " + route.timeoutMillis / 1000 + " s"))) {
                a.close();
                if (b != null && b[0] != null) {
                    b[0].close();
                }
            }
        }, route.timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** One attempt at a streaming link; the download connection's last handler until the link opens. */
    private final class StreamingAttempt extends ChannelInboundHandlerAdapter implements FrameReader.Sink {
        private final Route route;
        private final LinkHandler handler;
        private final CompletableFuture<Link> result;
        private final FrameReader reader = new FrameReader(maxMessage, this);
        private final Channel[] up = new Channel[1];
        private Channel down;
        private StreamLink link;
        private FrameReader.Sink linkSink;

        StreamingAttempt(Route route, LinkHandler handler, CompletableFuture<Link> result) {
            this.route = route;
            this.handler = handler;
            this.result = result;
        }

        void start() {
            route.open(group, ch -> ch.pipeline().addLast("http", new HttpClientCodec()).addLast("down", this))
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            result.completeExceptionally(f.cause());
                            return;
                        }
                        down = (Channel) f.getNow();
                        timeout(down.eventLoop(), result, route, down, up);
                        HttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                                route.uri(route.path + "?tunnel=down"));
                        route.authorize(get.headers());
                        get.headers().set(HttpHeaderNames.ACCEPT, "application/octet-stream")
                                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                        down.writeAndFlush(get);
                    });
        }

        private void fail(TunnelException e) {
            if (result.completeExceptionally(e)) {
                reader.release();
                if (down != null) {
                    down.close();
                }
                if (up[0] != null) {
                    up[0].close();
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response) {
                if (response.decoderResult().isFailure()) {
                    ReferenceCountUtil.release(msg);
                    fail(new TunnelException(TunnelException.Kind.OTHER, "the answer is not HTTP: "
                            + response.decoderResult().cause().getMessage()));
                    return;
                }
                if (!HttpResponseStatus.OK.equals(response.status())) {
                    ReferenceCountUtil.release(msg);
                    fail(refused(response.status()));
                    return;
                }
                String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
                if (!type.startsWith("application/octet-stream")) {
                    ReferenceCountUtil.release(msg);
                    fail(new TunnelException(TunnelException.Kind.OTHER,
                            "the answer is not a Tandem stream (Content-Type '" + type + "'): is this a Tandem http endpoint?"));
                    return;
                }
            }
            if (!(msg instanceof HttpContent content)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                broken("the peer sent a malformed stream: " + content.decoderResult().cause().getMessage());
                return;
            }
            try {
                reader.feed(ctx.alloc(), content.content());
            } catch (TooLongFrameException e) {
                broken(e.getMessage());
                return;
            }
            if (content instanceof LastHttpContent) {
                broken("the peer ended the stream");
            }
        }

        private void broken(String reason) {
            if (down == null) {
                return; // the route is not ready: its failure is the one to report
            }
            reader.release();
            if (linkSink != null) {
                link.gone(reason);
            } else {
                fail(new TunnelException(TunnelException.Kind.OTHER, reason));
            }
        }

        private TunnelException refused(HttpResponseStatus status) {
            int code = status.code();
            if (code == 407 || route.forward && code != 400 && code != 404) {
                return route.proxyStatus(code, null);
            }
            if (code == 404) {
                return new TunnelException(TunnelException.Kind.OTHER,
                        "nothing listens for Tandem at path " + route.path + " there (HTTP 404)");
            }
            return new TunnelException(TunnelException.Kind.OTHER,
                    "the streaming request was refused (HTTP " + status + ")");
        }

        @Override
        public void message(io.netty.buffer.ByteBuf message) {
            if (linkSink != null) {
                linkSink.message(message);
            } else {
                message.release();
                fail(new TunnelException(TunnelException.Kind.OTHER, "the peer sent a message before the link opened"));
            }
        }

        @Override
        public void control(byte type, String text) {
            if (linkSink != null) {
                linkSink.control(type, text);
            } else if (type == FrameReader.TOKEN && up[0] == null) {
                openUpload(text);
            } else if (type == FrameReader.OPEN && link != null) {
                linkSink = link.inSink();
                link.start(handler);
                if (!result.complete(link)) {
                    link.close("the connection attempt was abandoned");
                }
            } else if (type == FrameReader.CLOSE) {
                fail(new TunnelException(TunnelException.Kind.OTHER, "the listener closed the link at once"
                        + (text.isEmpty() ? "" : ": " + text)));
            } else {
                fail(new TunnelException(TunnelException.Kind.OTHER, "the peer sent an unexpected control frame '" + (char) type + "'"));
            }
        }

        private void openUpload(String token) {
            if (!token.matches("[0-9a-f]{16,64}")) {
                fail(new TunnelException(TunnelException.Kind.OTHER, "the peer sent a malformed session token"));
                return;
            }
            route.open(down.eventLoop(), ch -> {
                up[0] = ch;
                link = new StreamLink(ch, down, maxMessage);
                ch.pipeline().addLast("http", new HttpClientCodec()).addLast("link", link.outWatcher());
            }).addListener(f -> {
                if (!f.isSuccess()) {
                    fail((TunnelException) f.cause());
                    return;
                }
                Channel ch = (Channel) f.getNow();
                HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                        route.uri(route.path + "?tunnel=up&session=" + token));
                route.authorize(post.headers());
                post.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                HttpUtil.setTransferEncodingChunked(post, true);
                ch.writeAndFlush(post);
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            broken("the peer closed the connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken("connection failed: " + cause.getMessage());
            ctx.close();
        }
    }
}
