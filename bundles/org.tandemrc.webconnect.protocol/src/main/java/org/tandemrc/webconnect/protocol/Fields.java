package org.tandemrc.webconnect.protocol;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The WebConnect field layout on the codec kit ({@link WireReader}, {@link WireWriter}): a string is
 * {@code u16 length | UTF-8}, at most {@value #MAX_STRING} bytes; a byte field is {@code u16 length | bytes},
 * at most {@value #MAX_BYTES}; a list is {@code u16 count | items}, its count bounded by its own maximum and
 * by what is left of the frame; numbers are big-endian. What a peer sent that breaks this is the kit's
 * {@link org.tandemrc.protocol.ProtocolException}.
 */
public final class Fields {

    /** Longest string field, in bytes. */
    public static final int MAX_STRING = 1024;
    /** Longest byte-array field. */
    public static final int MAX_BYTES = 4096;

    private Fields() {
    }

    /**
     * A reader of what is left of a received frame, from its reader index (its type byte, when nothing was
     * read yet). The frame's own reader index does not move; the frame stays the caller's to release.
     */
    public static WireReader reader(ByteBuf frame) {
        return new WireReader(frame.nioBuffer());
    }

    public static String string(WireReader r, String what) throws org.tandemrc.protocol.ProtocolException {
        return r.text(what, MAX_STRING);
    }

    public static byte[] bytes(WireReader r, String what) throws org.tandemrc.protocol.ProtocolException {
        return r.shortBlob(what, MAX_BYTES);
    }

    /** A {@code u16} count of items of at least {@code minBytes} each, at most {@code max}. */
    public static int count(WireReader r, String what, int minBytes, int max)
            throws org.tandemrc.protocol.ProtocolException {
        return r.shortCount(what, minBytes, max);
    }

    /** Writes a string field; one longer than {@value #MAX_STRING} bytes is this side's mistake. */
    public static WireWriter string(WireWriter w, String s) {
        return w.shortBlob(s.getBytes(StandardCharsets.UTF_8), MAX_STRING);
    }

    /** Writes a byte field; one longer than {@value #MAX_BYTES} bytes is this side's mistake. */
    public static WireWriter bytes(WireWriter w, byte[] b) {
        return w.shortBlob(b, MAX_BYTES);
    }

    /**
     * A frame broke the wire format, as the ByteBuf readers below report it.
     *
     * @deprecated read frames with {@link #reader}, which reports the kit's checked
     *             {@link org.tandemrc.protocol.ProtocolException}
     */
    @Deprecated
    public static final class ProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProtocolException(String message) {
            super(message);
        }

        ProtocolException(org.tandemrc.protocol.ProtocolException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** What the deprecated ByteBuf readers do: one kit read, then the frame's reader index moved past it. */
    @FunctionalInterface
    private interface Read<T> {
        T from(WireReader r) throws org.tandemrc.protocol.ProtocolException;
    }

    /** Reads one field of at most {@code longest} bytes, so that a view of a large frame is never copied whole. */
    private static <T> T read(ByteBuf b, int longest, Read<T> field) {
        WireReader r = new WireReader(b.nioBuffer(b.readerIndex(), Math.min(b.readableBytes(), longest)));
        int before = r.remaining();
        try {
            T value = field.from(r);
            b.skipBytes(before - r.remaining());
            return value;
        } catch (org.tandemrc.protocol.ProtocolException e) {
            throw new ProtocolException(e);
        }
    }

    /** @deprecated write with {@link #string(WireWriter, String)} */
    @Deprecated
    public static void putString(ByteBuf b, String s) {
        b.writeBytes(string(new WireWriter(), s).toByteArray());
    }

    /** @deprecated read with {@link #string(WireReader, String)} */
    @Deprecated
    public static String getString(ByteBuf b) {
        return read(b, 2 + MAX_STRING, r -> string(r, "string field"));
    }

    /** @deprecated write with {@link #bytes(WireWriter, byte[])} */
    @Deprecated
    public static void putBytes(ByteBuf b, byte[] bytes) {
        b.writeBytes(bytes(new WireWriter(), bytes).toByteArray());
    }

    /** @deprecated read with {@link #bytes(WireReader, String)} */
    @Deprecated
    public static byte[] getBytes(ByteBuf b) {
        return read(b, 2 + MAX_BYTES, r -> bytes(r, "byte field"));
    }

    /** @deprecated read with {@link WireReader#i32} */
    @Deprecated
    public static int getInt(ByteBuf b) {
        return read(b, 4, r -> r.i32("int field"));
    }

    /** @deprecated read with {@link WireReader#i64} */
    @Deprecated
    public static long getLong(ByteBuf b) {
        return read(b, 8, r -> r.i64("long field"));
    }

    /** @deprecated read with {@link WireReader#u8} */
    @Deprecated
    public static int getUnsignedByte(ByteBuf b) {
        return read(b, 1, r -> r.u8("byte"));
    }

    /** @deprecated read with {@link WireReader#u16} */
    @Deprecated
    public static int getUnsignedShort(ByteBuf b) {
        return read(b, 2, r -> r.u16("u16 field"));
    }
}
