package org.tandemrc.netty.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

/**
 * Cuts a link's byte stream into length-prefixed frames ({@code u32 length | body}, passing on the body),
 * for every device whose links frame messages this way (tcp, and WebConnect's relayed links), copying each
 * byte at most once: a frame within one read is
 * passed on as a slice of it; a frame split over reads is copied into a buffer of its own size as its pieces
 * arrive. (A cumulating decoder copies what it holds again each time its buffer grows: about two copies per
 * byte for 64 KiB messages over 64 KiB reads, and a fresh pool chunk to zero now and then.)
 *
 * <p>The length is checked before anything is allocated; a buffer for an announced frame starts at most at
 * {@link #FIRST_BUFFER} and grows only as the peer actually sends its bytes.
 */
public final class FrameDecoder extends ChannelInboundHandlerAdapter {

    /** The most a frame announced but not sent yet makes this side allocate. */
    static final int FIRST_BUFFER = 256 << 10;

    private final int maxFrame;
    /** The frame being filled (its length is its max capacity), or null. */
    private ByteBuf partial;
    /** Length bytes read so far of the next frame (0-3) and their value. */
    private int lengthBytes;
    private int length;

    /** @param maxFrame the largest frame (type + payload); a longer one fails the channel */
    public FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            while (in.isReadable() && ctx.channel().isOpen()) {
                if (partial != null) {
                    int n = Math.min(partial.maxWritableBytes(), in.readableBytes());
                    partial.writeBytes(in, n);
                    if (partial.writerIndex() == partial.maxCapacity()) {
                        ByteBuf frame = partial;
                        partial = null;
                        ctx.fireChannelRead(frame);
                    }
                    continue;
                }
                if (lengthBytes == 0 && in.readableBytes() >= 4) {
                    length = in.readInt();
                } else {
                    length = length << 8 | in.readUnsignedByte();
                    if (++lengthBytes < 4) {
                        continue;
                    }
                }
                lengthBytes = 0;
                if (length < 0 || length > maxFrame) {
                    in.skipBytes(in.readableBytes());
                    throw new TooLongFrameException("frame of " + Integer.toUnsignedString(length)
                            + " bytes is longer than " + maxFrame);
                }
                if (in.readableBytes() >= length) {
                    ByteBuf frame = in.retainedSlice(in.readerIndex(), length);
                    in.skipBytes(length);
                    ctx.fireChannelRead(frame);
                } else {
                    partial = ctx.alloc().directBuffer(Math.min(length, FIRST_BUFFER), length);
                    partial.writeBytes(in);
                }
            }
        } finally {
            ReferenceCountUtil.release(in);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }
}
