package org.tandemrc.comm.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.netty.link.ChannelLink;

/**
 * A {@link Link} over one WebSocket connection: each message is one binary WebSocket message (the
 * pipeline before {@link #inbound} aggregates continuation frames up to the limit). {@link #close}
 * comes after what was sent before it, as every write goes through the channel's event loop queue.
 */
final class WsLink extends ChannelLink {

    private final ChannelInboundHandler inbound = new Inbound();
    private String peerReason;
    /** Messages that arrived before the handler was known (the peer may send at once after the handshake). */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

    WsLink(Channel channel, int maxMessageSize) {
        super(channel, maxMessageSize);
    }

    /** The last handler of the channel's pipeline. */
    ChannelInboundHandler inbound() {
        return inbound;
    }

    /** Called on the channel's event loop once the handshake is done: the link is open. */
    void start(LinkHandler linkHandler) {
        handler = linkHandler;
        try {
            handler.opened(this);
            for (ByteBuf b = early.poll(); b != null; b = early.poll()) {
                try {
                    if (!closing) {
                        handler.received(this, b.nioBuffer());
                    }
                } finally {
                    b.release();
                }
            }
        } catch (RuntimeException e) {
            close("could not accept the link: " + e.getMessage());
        }
        if (!out().isActive()) {
            reportClosed();
        }
    }

    @Override
    protected Object frame(ByteBuffer message, int size) {
        return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message));
    }

    @Override
    public void close(String reason) {
        closeReason(reason);
        closing = true;
        String text = truncate(closeReason);
        Channel channel = out();
        try {
            loop().execute(() -> {
                if (channel.isActive()) {
                    channel.writeAndFlush(new CloseWebSocketFrame(1000, text)).addListener(ChannelFutureListener.CLOSE);
                } else {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException e) {
            channel.close();
        }
    }

    /** A close frame's reason holds at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        String s = reason;
        while (s.getBytes(StandardCharsets.UTF_8).length > 123) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public boolean isOpen() {
        return sending();
    }

    private void reportClosed() {
        reportClosed(peerReason != null ? peerReason : "the peer closed the connection");
    }

    private final class Inbound extends OutHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof WebSocketFrame)) {
                    return;
                }
                if (msg instanceof BinaryWebSocketFrame frame) {
                    if (handler == null && !closing) {
                        early.add(frame.content().retain());
                    } else if (!closing) {
                        handler.received(WsLink.this, frame.content().nioBuffer());
                    }
                } else if (msg instanceof PingWebSocketFrame ping) {
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                } else if (msg instanceof CloseWebSocketFrame close) {
                    String text = close.reasonText();
                    peerReason = "the peer closed the link" + (text == null || text.isEmpty() ? "" : ": " + text);
                    closing = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                } else if (!(msg instanceof PongWebSocketFrame)) {
                    peerReason = "the peer sent a text WebSocket message; Tandem sends binary ones only";
                    close(peerReason);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (ByteBuf b = early.poll(); b != null; b = early.poll()) {
                b.release();
            }
            reportClosed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException
                    && String.valueOf(cause.getMessage()).contains("Max frame length")) {
                peerReason = "the peer sent a message larger than " + maxMessageSize() + " bytes";
            } else {
                peerReason = "connection failed: " + cause.getMessage();
            }
            closeReason(peerReason);
            closing = true;
            ctx.close();
        }
    }
}
