package org.tandemrc.comm.http.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts the body of a streaming request or response into frames. A frame is a 4-byte big-endian length
 * and that many bytes. With the high bit of the length clear the frame is a Tandem message; with it
 * set it is a control frame of the tunnel itself, whose first byte says what it is
 * ({@link #TOKEN}, {@link #OPEN}, {@link #CLOSE}) and whose rest is UTF-8 text.
 */
final class FrameReader {

    static final byte TOKEN = 'T';
    static final byte OPEN = 'O';
    static final byte CLOSE = 'C';
    static final int MAX_CONTROL = 4096;

    interface Sink {
        /** A message; the sink owns (and releases) the buffer. */
        void message(ByteBuf message);

        void control(byte type, String text);
    }

    private final int maxMessage;
    private final Sink sink;
    private ByteBuf cumulation;

    FrameReader(int maxMessage, Sink sink) {
        this.maxMessage = maxMessage;
        this.sink = sink;
    }

    /**
     * Takes ownership of {@code content} and hands every complete frame to the sink.
     *
     * @throws TooLongFrameException when the peer announces a message over the limit
     */
    void feed(ByteBufAllocator alloc, ByteBuf content) {
        if (cumulation == null) {
            cumulation = content;
        } else {
            cumulation = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, content);
        }
        try {
            while (cumulation.readableBytes() >= 4) {
                int header = cumulation.getInt(cumulation.readerIndex());
                boolean control = header < 0;
                int size = header & 0x7fffffff;
                if (control ? size < 1 || size > MAX_CONTROL : size > maxMessage) {
                    throw new TooLongFrameException(control
                            ? "the peer sent a malformed control frame of " + size + " bytes"
                            : "the peer announced a message of " + size + " bytes, larger than the limit of " + maxMessage);
                }
                if (cumulation.readableBytes() < 4 + size) {
                    break;
                }
                cumulation.skipBytes(4);
                if (control) {
                    byte type = cumulation.readByte();
                    String text = cumulation.readCharSequence(size - 1, StandardCharsets.UTF_8).toString();
                    sink.control(type, text);
                } else {
                    sink.message(cumulation.readRetainedSlice(size));
                }
            }
        } finally {
            if (cumulation != null) {
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                } else if (cumulation.refCnt() == 1) {
                    cumulation.discardSomeReadBytes();
                }
            }
        }
    }

    void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** The header of a message frame of {@code size} bytes. */
    static ByteBuf messageHeader(ByteBufAllocator alloc, int size) {
        return alloc.buffer(4).writeInt(size);
    }

    /** A whole control frame. */
    static ByteBuf control(ByteBufAllocator alloc, byte type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_CONTROL - 1);
        ByteBuf buf = alloc.buffer(5 + length);
        buf.writeInt(0x80000000 | (length + 1)).writeByte(type).writeBytes(bytes, 0, length);
        return buf;
    }
}
