package org.tandemrc.webconnect.protocol;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The WebConnect field layout on the codec kit ({@link WireReader}, {@link WireWriter}): a string is
 * {@code u16 length | UTF-8}, at most {@value #MAX_STRING} bytes; a byte field is {@code u16 length | bytes},
 * at most {@value #MAX_BYTES}; a list is {@code u16 count | items}, its count bounded by its own maximum and
 * by what is left of the frame; numbers are big-endian. What a peer sent that breaks this is the kit's
 * {@link ProtocolException}.
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

    public static String string(WireReader r, String what) throws ProtocolException {
        return r.text(what, MAX_STRING);
    }

    public static byte[] bytes(WireReader r, String what) throws ProtocolException {
        return r.shortBlob(what, MAX_BYTES);
    }

    /** A {@code u16} count of items of at least {@code minBytes} each, at most {@code max}. */
    public static int count(WireReader r, String what, int minBytes, int max)
            throws ProtocolException {
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
}
