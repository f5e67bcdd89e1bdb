package org.tandemrc.webconnect.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * Joins a device {@link Link} (in practice one of the {@code http} device) to one end of a Netty
 * {@link LocalChannel} pair whose other end carries the ordinary WebConnect pipeline (TLS, frame decoder,
 * handlers): what that pipeline writes arrives here and is sent over the link in messages of at most
 * {@link #CHUNK} bytes; what the link delivers is written into the pipeline. The link's message
 * boundaries mean nothing: WebConnect frames its own byte stream.
 *
 * <p>Closing either side closes the other. Backpressure: this end keeps reading what the pipeline writes
 * (stopping would lose bytes still queued when the pipeline closes its end, e.g. a relay's last frames
 * before it closes a spliced connection); what can pile up in the link is bounded by WebConnect's own
 * end-to-end window (a sender stops at 4 MiB unacknowledged per link) and control frames are small. A
 * link's {@link Link#congested()} is reported by {@link #congested()} for diagnostics. Links of the
 * {@code http} device do not implement {@link Link#pauseReceiving(boolean)}; when the pipeline's channel
 * stops being writable the bridge asks anyway and resumes when it is writable again.
 */
public final class LinkBridge extends ChannelInboundHandlerAdapter implements LinkHandler {

    /** The largest message sent over the link; the {@code http} device carries up to 1 MiB by default. */
    public static final int CHUNK = 64 * 1024;

    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconnect.protocol");
    private final Object lock = new Object();
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private volatile Link link;
    private Channel channel;
    private boolean linkClosed;
    private String linkReason;
    private boolean channelGone;

    private LinkBridge() {
    }

    /** The bridged link (null before it opened). */
    public Link link() {
        return link;
    }

    /** Whether the link holds more than its device's write buffer. */
    public boolean congested() {
        Link l = link;
        return l != null && l.congested();
    }

    /**
     * Server side: a link the device accepted becomes a connection to {@code server}, a {@link LocalServerChannel}
     * whose child handler is the same initializer the TCP listener uses.
     *
     * @return the handler to give the device for the link
     */
    public static LinkHandler accept(Link link, EventLoopGroup group, LocalAddress server) {
        LinkBridge bridge = new LinkBridge();
        bridge.link = link;
        new Bootstrap().group(group).channel(LocalChannel.class).handler(bridge).connect(server)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        link.close("the server behind the tunnel is not listening: " + f.cause());
                    }
                });
        return bridge;
    }

    /**
     * Client side: opens a link with {@code device} to {@code address} and joins it to a fresh
     * {@link LocalChannel} set up by {@code initializer}, as a TCP bootstrap's handler would set up a socket.
     *
     * @return completes with that channel, connected, once the link is open; exceptionally with the
     *         device's reason (which names the profile, the address and any proxy) when it cannot connect
     */
    public static CompletableFuture<Channel> connect(CommunicationDevice device, CommunicationProfile profile,
            String address, EventLoopGroup group, ChannelHandler initializer) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        LinkBridge bridge = new LinkBridge();
        device.connect(profile, address, bridge).whenComplete((link, failure) -> {
            if (failure != null) {
                Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                result.completeExceptionally(t instanceof IOException ? t : new IOException(t.getMessage(), t));
                return;
            }
            bridge.link = link;
            new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(bridge)
                    .bind(LocalAddress.ANY).addListener((ChannelFutureListener) bound -> {
                        if (!bound.isSuccess()) {
                            link.close("cannot set up the local end of the tunnel");
                            result.completeExceptionally(new IOException("cannot set up the local end of the tunnel", bound.cause()));
                            return;
                        }
                        Channel server = bound.channel();
                        new Bootstrap().group(group).channel(LocalChannel.class).handler(initializer)
                                .connect(server.localAddress()).addListener((ChannelFutureListener) c -> {
                                    server.close();
                                    if (c.isSuccess()) {
                                        result.complete(c.channel());
                                    } else {
                                        link.close("cannot set up the local end of the tunnel");
                                        result.completeExceptionally(new IOException("cannot set up the local end of the tunnel",
                                                c.cause()));
                                    }
                                });
                    });
        });
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // The link's side (called by its device, one call at a time)

    @Override
    public void opened(Link l) {
        link = l;
    }

    @Override
    public void received(Link l, ByteBuffer message) {
        byte[] copy = new byte[message.remaining()];
        message.get(copy);
        ByteBuf buf = Unpooled.wrappedBuffer(copy);
        Channel ch;
        synchronized (lock) {
            ch = channel;
            if (ch == null) {
                if (channelGone) {
                    return;
                }
                early.add(buf);
                return;
            }
        }
        ch.writeAndFlush(buf, ch.voidPromise());
    }

    @Override
    public void writable(Link l) {
        // nothing waits for it: see the class comment
    }

    @Override
    public void closed(Link l, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "tunnel " + l.localAddress() + " -> " + l.remoteAddress() + " closed: " + reason);
        Channel ch;
        synchronized (lock) {
            linkClosed = true;
            linkReason = reason;
            ch = channel;
        }
        if (ch != null) {
            // after what the link delivered before
            ch.eventLoop().execute(() -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The channel's side

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        boolean close;
        synchronized (lock) {
            channel = ctx.channel();
            while (!early.isEmpty()) {
                ctx.write(early.poll(), ctx.voidPromise());
            }
            close = linkClosed;
        }
        ctx.flush();
        if (close) {
            ctx.close();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            Link l = link;
            while (data.isReadable()) {
                byte[] chunk = new byte[Math.min(CHUNK, data.readableBytes())];
                data.readBytes(chunk);
                l.send(ByteBuffer.wrap(chunk));
            }
        } finally {
            ReferenceCountUtil.release(data);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Link l = link;
        if (l != null) {
            l.pauseReceiving(!ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String reason;
        synchronized (lock) {
            channelGone = true;
            channel = null;
            while (!early.isEmpty()) {
                early.poll().release();
            }
            reason = linkReason;
        }
        Link l = link;
        if (l != null && reason == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> "tunnel " + l.localAddress() + " -> " + l.remoteAddress()
                    + ": the WebConnect connection closed");
            l.close("the WebConnect connection closed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "tunnel " + link + ": " + cause);
        ctx.close();
    }
}
