package org.tandemrc.comm.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import org.tandemrc.api.comm.SendBacklog;
import org.tandemrc.support.comm.SendRefusal;

/**
 * A {@link Link} over one WebSocket connection: each message is one binary WebSocket message (the
 * pipeline before this handler aggregates continuation frames up to the limit). Also the last inbound
 * handler of that pipeline. Every write goes through the channel's event loop queue so that the order
 * of {@link #send} calls is kept and {@link #close} comes after what was sent before it.
 */
final class WsLink extends ChannelInboundHandlerAdapter implements Link {

    private final Channel channel;
    private final int maxMessageSize;
    private LinkHandler handler;
    private volatile String closeReason;
    private volatile boolean closing;
    private String peerReason;
    private boolean closedReported;
    private final SendBacklog backlog = new SendBacklog();
    /** Messages that arrived before the handler was known (the peer may send at once after the handshake). */
    private final java.util.ArrayDeque<io.netty.buffer.ByteBuf> early = new java.util.ArrayDeque<>();

    WsLink(Channel channel, int maxMessageSize) {
        this.channel = channel;
        this.maxMessageSize = maxMessageSize;
    }

    /** Called on the channel's event loop once the handshake is done: the link is open. */
    void start(LinkHandler linkHandler) {
        handler = linkHandler;
        try {
            handler.opened(this);
            for (io.netty.buffer.ByteBuf b = early.poll(); b != null; b = early.poll()) {
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
        if (!channel.isActive()) {
            reportClosed();
        }
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        int size = message.remaining();
        CompletableFuture<Void> refused = SendRefusal.of(size, maxMessageSize, !closing && channel.isActive(), remoteAddress());
        if (refused != null) {
            return refused;
        }
        BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message));
        return OrderedWrite.write(channel.eventLoop(), channel, frame, size, backlog, this::tellWritable,
                "link to " + remoteAddress() + " is closed");
    }

    private void tellWritable() {
        if (handler != null && !closing) {
            handler.writable(this);
        }
    }

    @Override
    public boolean congested() {
        return backlog.congested(channel::isWritable);
    }

    @Override
    public void close(String reason) {
        if (closeReason == null) {
            closeReason = reason == null ? "closed" : reason;
        }
        closing = true;
        String text = truncate(closeReason);
        try {
            channel.eventLoop().execute(() -> {
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
        return !closing && channel.isActive();
    }

    @Override
    public String localAddress() {
        return HttpAddress.format(channel.localAddress());
    }

    @Override
    public String remoteAddress() {
        return HttpAddress.format(channel.remoteAddress());
    }

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
                    handler.received(this, frame.content().nioBuffer());
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
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (handler != null && !closing && backlog.transportWritable(ctx.channel().isWritable())) {
            handler.writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (io.netty.buffer.ByteBuf b = early.poll(); b != null; b = early.poll()) {
            b.release();
        }
        reportClosed();
        ctx.fireChannelInactive();
    }

    private void reportClosed() {
        if (handler != null && !closedReported) {
            closedReported = true;
            closing = true;
            String reason = closeReason != null ? closeReason
                    : peerReason != null ? peerReason : "the peer closed the connection";
            handler.closed(this, reason);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException
                && String.valueOf(cause.getMessage()).contains("Max frame length")) {
            peerReason = "the peer sent a message larger than " + maxMessageSize + " bytes";
        } else {
            peerReason = "connection failed: " + cause.getMessage();
        }
        if (closeReason == null) {
            closeReason = peerReason;
        }
        closing = true;
        ctx.close();
    }
}
