package org.tandemrc.comm.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.LinkAcceptor;

/**
 * The first handler of every connection an {@code http} endpoint accepts: it reads the request and turns
 * the connection into a WebSocket link, the download half ({@code GET PATH?tunnel=down}) or the upload half
 * ({@code POST PATH?tunnel=up&session=TOKEN}) of a streaming link, a 404, or a short page for a browser.
 */
final class ServerRouter extends ChannelInboundHandlerAdapter {

    /** Download halves waiting for their upload half, by session token; one map per endpoint. */
    static final class Sessions {
        final Map<String, Channel> waiting = new ConcurrentHashMap<>();
        private final SecureRandom random = new SecureRandom();

        String newToken() {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    static final String PAGE = "This address is a Tandem remote-control endpoint (the http communication device).\n"
            + "It carries Tandem messages over WebSocket or streaming HTTP requests and has nothing to show in a browser.\n"
            + "Connect with a Tandem Guest to http:HOST:PORT instead.\n";

    private final Settings settings;
    private final LinkAcceptor acceptor;
    private final Sessions sessions;
    private final boolean websocket;
    private boolean routed;

    ServerRouter(Settings settings, LinkAcceptor acceptor, Sessions sessions) {
        this.settings = settings;
        this.acceptor = acceptor;
        this.sessions = sessions;
        this.websocket = settings.mode != Settings.Mode.HTTP;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (routed || !(msg instanceof HttpRequest request)) {
            // The rest of a request already answered (or refused): nothing more to read from it.
            ReferenceCountUtil.release(msg);
            return;
        }
        routed = true;
        try {
            route(ctx, request);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void route(ChannelHandlerContext ctx, HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request.\n");
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(originForm(request.uri()));
        if (!query.path().equals(settings.path)) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "Nothing here.\n");
            return;
        }
        String tunnel = first(query.parameters(), "tunnel");
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if (HttpMethod.GET.equals(request.method()) && upgrade && tunnel == null) {
            if (!websocket) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "WebSocket is switched off here (mode=http): use streaming requests.\n");
                return;
            }
            upgradeToWebSocket(ctx, request);
        } else if (HttpMethod.GET.equals(request.method()) && "down".equals(tunnel)) {
            openDownload(ctx);
        } else if (HttpMethod.POST.equals(request.method()) && "up".equals(tunnel)) {
            attachUpload(ctx, first(query.parameters(), "session"));
        } else {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, PAGE);
        }
    }

    /** A forward proxy may pass the absolute URI on; the path is what counts. */
    private static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme > 0 && scheme < 8) {
            int slash = uri.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    private static String first(Map<String, List<String>> parameters, String key) {
        List<String> values = parameters.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private void upgradeToWebSocket(ChannelHandlerContext ctx, HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxMessage)
                .allowExtensions(false)
                .expectMaskedFrames(true)
                .closeOnProtocolViolation(true)
                .build();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://" + host + settings.path, null, config);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        Channel channel = ctx.channel();
        WsLink link = new WsLink(channel, settings.maxMessage);
        handshaker.handshake(channel, full).addListener(f -> {
            if (f.isSuccess()) {
                link.start(acceptor.accepted(link));
            } else {
                channel.close();
            }
        });
        ctx.pipeline().replace(this, "ws-aggregator", new WebSocketFrameAggregator(settings.maxMessage));
        ctx.pipeline().addLast("link", link.inbound());
    }

    private void openDownload(ChannelHandlerContext ctx) {
        Channel down = ctx.channel();
        String token = sessions.newToken();
        sessions.waiting.put(token, down);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store, no-transform")
                .set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.write(response);
        ctx.writeAndFlush(new DefaultHttpContent(FrameReader.control(ctx.alloc(), FrameReader.TOKEN, token)));
        // The upload half must follow soon; a download half left alone goes away.
        ctx.executor().schedule(() -> {
            if (sessions.waiting.remove(token, down)) {
                down.close();
            }
        }, settings.connectTimeoutSeconds * 2L, TimeUnit.SECONDS);
        down.closeFuture().addListener(f -> sessions.waiting.remove(token, down));
    }

    private void attachUpload(ChannelHandlerContext ctx, String token) {
        Channel down = token == null ? null : sessions.waiting.remove(token);
        if (down == null || !down.isActive()) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "No such Tandem session (it ended or timed out).\n");
            return;
        }
        Channel up = ctx.channel();
        StreamLink link = new StreamLink(down, up, settings.maxMessage);
        FrameReader reader = new FrameReader(settings.maxMessage, link.inSink());
        // The open frame, then the handler, both queued on the download half's loop before any message.
        link.loop().execute(() -> {
            ServerRouter router = down.pipeline().get(ServerRouter.class);
            if (router != null) {
                down.pipeline().replace(router, "link", link.outWatcher());
            }
            down.writeAndFlush(new DefaultHttpContent(FrameReader.control(down.alloc(), FrameReader.OPEN, "")));
            link.start(acceptor.accepted(link));
        });
        ctx.pipeline().replace(this, "link", link.inReader(reader));
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
