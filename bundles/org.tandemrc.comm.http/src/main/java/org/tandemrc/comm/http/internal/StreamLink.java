package org.tandemrc.comm.http.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.netty.link.ChannelLink;

/**
 * A {@link Link} over two streaming HTTP connections: the body of a long-lived {@code GET} response
 * carries the listening side's messages, the chunked body of a long-lived {@code POST} the connecting
 * side's, each message framed by {@link FrameReader}. {@code out} is the channel that carries this side's
 * messages (its writability is the link's congestion), {@code in} the one that brings the peer's.
 *
 * <p>The handler is called on one thread only, the event loop of {@code out}: events of {@code in} are
 * passed there in order (on the connecting side both channels share that loop anyway).
 */
final class StreamLink extends ChannelLink {

    /** How long the incoming stream may go on after the outgoing connection ended. */
    private static final int OUT_GONE_GRACE_SECONDS = 3;

    private final Channel in;

    StreamLink(Channel out, Channel in, int maxMessageSize) {
        super(out, maxMessageSize);
        this.in = in;
    }

    /** Opens the link: must run on {@link #loop()}, before any message is delivered. */
    void start(LinkHandler linkHandler) {
        handler = linkHandler;
        try {
            handler.opened(this);
        } catch (RuntimeException e) {
            close("could not accept the link: " + e.getMessage());
        }
        if (!out().isActive() || !in.isActive()) {
            gone("the peer closed the connection");
        }
    }

    @Override
    protected Object frame(ByteBuffer message, int size) {
        return new DefaultHttpContent(Unpooled.wrappedBuffer(Unpooled.buffer(4).writeInt(size), Unpooled.wrappedBuffer(message)));
    }

    @Override
    public void close(String reason) {
        closeReason(reason);
        closing = true;
        String text = closeReason;
        Channel out = out();
        try {
            loop().execute(() -> {
                if (out.isActive()) {
                    // Behind every message sent before: a close frame, the end of the body, then both connections go.
                    out.write(new DefaultHttpContent(FrameReader.control(out.alloc(), FrameReader.CLOSE, text)));
                    out.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> closeBoth(text));
                } else {
                    closeBoth(text);
                }
            });
        } catch (RejectedExecutionException e) {
            out.close();
            in.close();
        }
    }

    private void closeBoth(String reason) {
        out().close();
        in.close();
        reportClosed(reason);
    }

    @Override
    public boolean isOpen() {
        return sending() && in.isActive();
    }

    /** A message from the peer, from any thread; the link releases it. */
    void deliver(ByteBuf message) {
        try {
            loop().execute(() -> {
                try {
                    if (handler != null && !closedReported()) {
                        handler.received(this, message.nioBuffer());
                    }
                } finally {
                    message.release();
                }
            });
        } catch (RejectedExecutionException e) {
            message.release();
        }
    }

    /** The peer ended the link, or one of its connections failed, from any thread. */
    void gone(String reason) {
        try {
            loop().execute(() -> {
                if (closeReason != null) {
                    // Closing ourselves: the close in progress ends both connections after the last write.
                    return;
                }
                closing = true;
                out().close();
                in.close();
                reportClosed(reason);
            });
        } catch (RejectedExecutionException e) {
            out().close();
            in.close();
        }
    }

    /** The last handler of the {@code out} channel: writability, failures, and the end of the connection. */
    ChannelInboundHandlerAdapter outWatcher() {
        return new OutHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof HttpResponse response && !HttpResponseStatus.OK.equals(response.status())) {
                        gone("the peer ended the upload stream with " + response.status());
                    } else if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
                        gone("the peer sent malformed HTTP: " + o.decoderResult().cause().getMessage());
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                outGone();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                gone("connection failed: " + cause.getMessage());
                ctx.close();
            }
        };
    }

    /**
     * The connection carrying this side's messages ended. The peer closes both of its connections when the
     * link ends, and the end of the other one (its close frame, the end of its body) may still be on the way
     * with messages before it: that end decides, unless it does not come soon.
     */
    private void outGone() {
        if (!in.isActive()) {
            gone("the peer closed the connection");
            return;
        }
        try {
            loop().schedule(() -> gone("the peer closed the connection"), OUT_GONE_GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            in.close();
        }
    }

    /**
     * A sink for the frames of the {@code in} stream once the link exists: messages go to the handler,
     * a close frame ends the link.
     */
    FrameReader.Sink inSink() {
        return new FrameReader.Sink() {
            @Override
            public void message(ByteBuf message) {
                deliver(message);
            }

            @Override
            public void control(byte type, String text) {
                if (type == FrameReader.CLOSE) {
                    gone("the peer closed the link" + (text.isEmpty() ? "" : ": " + text));
                } else {
                    gone("the peer sent an unexpected control frame '" + (char) type + "'");
                }
            }
        };
    }

    /**
     * The last handler of the {@code in} channel on the listening side (the {@code POST} body), after the
     * request itself was handled.
     */
    ChannelInboundHandlerAdapter inReader(FrameReader reader) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!(msg instanceof HttpContent content)) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                DecoderResult result = content.decoderResult();
                if (result.isFailure()) {
                    content.release();
                    reader.release();
                    gone("the peer sent a malformed stream: " + result.cause().getMessage());
                    ctx.close();
                    return;
                }
                try {
                    reader.feed(ctx.alloc(), content.content());
                } catch (TooLongFrameException e) {
                    reader.release();
                    gone(e.getMessage());
                    ctx.close();
                    return;
                }
                if (content instanceof LastHttpContent) {
                    reader.release();
                    gone("the peer ended the stream");
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                reader.release();
                gone("the peer closed the connection");
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                reader.release();
                gone("connection failed: " + cause.getMessage());
                ctx.close();
            }
        };
    }
}
