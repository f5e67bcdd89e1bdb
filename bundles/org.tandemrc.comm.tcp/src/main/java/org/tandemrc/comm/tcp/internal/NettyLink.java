package org.tandemrc.comm.tcp.internal;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.netty.link.ChannelLink;

/**
 * A {@link Link} over one Netty channel whose pipeline frames messages; its {@link #inbound} handler is
 * the last of that pipeline, turning channel events into {@link LinkHandler} calls.
 */
final class NettyLink extends ChannelLink {

    interface HandlerFactory {
        LinkHandler handlerFor(Link link);
    }

    private final HandlerFactory factory;
    private final ChannelInboundHandler inbound = new Inbound();

    NettyLink(Channel channel, int maxMessageSize, HandlerFactory factory) {
        super(channel, maxMessageSize);
        this.factory = factory;
    }

    /** The last handler of the channel's pipeline. */
    ChannelInboundHandler inbound() {
        return inbound;
    }

    @Override
    protected Object frame(ByteBuffer message, int size) {
        // The pipeline's LengthFieldPrepender adds the length; the event loop copies the bytes once into
        // the socket's direct buffer.
        return Unpooled.wrappedBuffer(message);
    }

    @Override
    protected boolean sending() {
        return out().isActive();
    }

    @Override
    public boolean pauseReceiving(boolean paused) {
        // Through the event loop like every write, so that pause and resume keep their order.
        try {
            loop().execute(() -> out().config().setAutoRead(!paused));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the device is stopping; the link goes away with it
        }
        return true;
    }

    @Override
    public void close(String reason) {
        closeReason(reason);
        // Queued behind the messages sent before, like every write (see send): what was sent before
        // close() still reaches the peer.
        try {
            loop().execute(() -> out().close());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out().close();
        }
    }

    @Override
    public boolean isOpen() {
        return out().isActive();
    }

    private final class Inbound extends OutHandler {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            try {
                handler = factory.handlerFor(NettyLink.this);
                handler.opened(NettyLink.this);
            } catch (RuntimeException e) {
                close("could not accept the link: " + e.getMessage());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (handler != null && msg instanceof ByteBuf buf) {
                    handler.received(NettyLink.this, buf.nioBuffer());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reportClosed("the peer closed the connection");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                close("the peer sent a message larger than " + maxMessageSize() + " bytes");
            } else {
                close("connection failed: " + cause.getMessage());
            }
        }
    }
}
