package org.tandemrc.comm.tcp.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.SendBacklog;
import org.tandemrc.support.comm.SendRefusal;

/**
 * A {@link Link} over one Netty channel whose pipeline frames messages; also the last inbound handler
 * of that pipeline, turning channel events into {@link LinkHandler} calls.
 */
final class NettyLink extends ChannelInboundHandlerAdapter implements Link {

    interface HandlerFactory {
        LinkHandler handlerFor(Link link);
    }

    private final Channel channel;
    private final int maxMessageSize;
    private final HandlerFactory factory;
    private LinkHandler handler;
    private volatile String closeReason;
    private boolean closedReported;
    private final SendBacklog backlog = new SendBacklog();

    NettyLink(Channel channel, int maxMessageSize, HandlerFactory factory) {
        this.channel = channel;
        this.maxMessageSize = maxMessageSize;
        this.factory = factory;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        int size = message.remaining();
        CompletableFuture<Void> refused = SendRefusal.of(size, maxMessageSize, channel.isActive(), remoteAddress());
        if (refused != null) {
            return refused;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Wrapped, not copied: the caller leaves the bytes alone until the write completes (see Link.send),
        // and the event loop copies them once into the socket's direct buffer.
        ByteBuf buf = Unpooled.wrappedBuffer(message);
        // Always through the event loop's queue, even from the event loop itself: a direct write from
        // the loop would overtake writes other threads queued before it, and a Link keeps the order
        // in which send() was called (the record layer above numbers its messages).
        backlog.queued(size);
        try {
            channel.eventLoop().execute(() -> {
                channel.writeAndFlush(buf).addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                });
                if (backlog.written(size, channel.isWritable()) && handler != null) {
                    handler.writable(this);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            backlog.written(size, false);
            buf.release();
            done.completeExceptionally(new IllegalStateException("link to " + remoteAddress() + " is closed"));
        }
        return done;
    }

    @Override
    public boolean congested() {
        return backlog.congested(channel::isWritable);
    }

    @Override
    public boolean pauseReceiving(boolean paused) {
        // Through the event loop like every write, so that pause and resume keep their order.
        try {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(!paused));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the device is stopping; the link goes away with it
        }
        return true;
    }

    @Override
    public void close(String reason) {
        if (closeReason == null) {
            closeReason = reason == null ? "closed" : reason;
        }
        // Queued behind the messages sent before, like every write (see send): what was sent before
        // close() still reaches the peer.
        try {
            channel.eventLoop().execute(() -> channel.close());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.close();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public String localAddress() {
        return TcpAddress.format(channel.localAddress());
    }

    @Override
    public String remoteAddress() {
        return TcpAddress.format(channel.remoteAddress());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        try {
            handler = factory.handlerFor(this);
            handler.opened(this);
        } catch (RuntimeException e) {
            close("could not accept the link: " + e.getMessage());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (handler != null && msg instanceof ByteBuf buf) {
                handler.received(this, buf.nioBuffer());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (handler != null && backlog.transportWritable(ctx.channel().isWritable())) {
            handler.writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handler != null && !closedReported) {
            closedReported = true;
            handler.closed(this, closeReason == null ? "the peer closed the connection" : closeReason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            close("the peer sent a message larger than " + maxMessageSize + " bytes");
        } else {
            close("connection failed: " + cause.getMessage());
        }
    }
}
