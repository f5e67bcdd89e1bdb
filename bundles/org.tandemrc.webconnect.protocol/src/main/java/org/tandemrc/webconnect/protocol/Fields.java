package org.tandemrc.webconnect.protocol;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Field codecs for frame payloads. Every read is bounded before anything is allocated: a hostile peer
 * gets a {@link ProtocolException}, never an oversized buffer.
 */
public final class Fields {

    /** Longest string field, in bytes. */
    public static final int MAX_STRING = 1024;
    /** Longest byte-array field. */
    public static final int MAX_BYTES = 4096;

    private Fields() {
    }

    /** A frame broke the wire format. */
    public static final class ProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }
    }

    public static void putString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING) {
            throw new IllegalArgumentException("string field longer than " + MAX_STRING + " bytes");
        }
        b.writeShort(bytes.length).writeBytes(bytes);
    }

    public static String getString(ByteBuf b) {
        need(b, 2);
        int n = b.readUnsignedShort();
        if (n > MAX_STRING) {
            throw new ProtocolException("string field of " + n + " bytes");
        }
        need(b, n);
        String s = b.toString(b.readerIndex(), n, StandardCharsets.UTF_8);
        b.skipBytes(n);
        return s;
    }

    public static void putBytes(ByteBuf b, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("byte field longer than " + MAX_BYTES + " bytes");
        }
        b.writeShort(bytes.length).writeBytes(bytes);
    }

    public static byte[] getBytes(ByteBuf b) {
        need(b, 2);
        int n = b.readUnsignedShort();
        if (n > MAX_BYTES) {
            throw new ProtocolException("byte field of " + n + " bytes");
        }
        need(b, n);
        byte[] out = new byte[n];
        b.readBytes(out);
        return out;
    }

    public static int getInt(ByteBuf b) {
        need(b, 4);
        return b.readInt();
    }

    public static long getLong(ByteBuf b) {
        need(b, 8);
        return b.readLong();
    }

    public static int getUnsignedByte(ByteBuf b) {
        need(b, 1);
        return b.readUnsignedByte();
    }

    public static int getUnsignedShort(ByteBuf b) {
        need(b, 2);
        return b.readUnsignedShort();
    }

    private static void need(ByteBuf b, int n) {
        if (b.readableBytes() < n) {
            throw new ProtocolException("frame ends early");
        }
    }
}
