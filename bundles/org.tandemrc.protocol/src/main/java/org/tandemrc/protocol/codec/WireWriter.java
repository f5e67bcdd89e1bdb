package org.tandemrc.protocol.codec;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds one message in the layout {@link WireReader} reads. A value that does not fit its field is this
 * side's mistake, an {@link IllegalArgumentException}, never something sent.
 */
public final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    public WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** Any 32-bit value; {@link WireReader} reads it back as {@code u32} or {@code i32}. */
    public WireWriter u32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public WireWriter i64(long v) {
        return u32((int) (v >>> 32)).u32((int) v);
    }

    public WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public WireWriter bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        if (d.hasArray()) {
            out.write(d.array(), d.arrayOffset() + d.position(), d.remaining());
        } else {
            byte[] a = new byte[d.remaining()];
            d.get(a);
            out.writeBytes(a);
        }
        return this;
    }

    /** A byte string with a 32-bit length. */
    public WireWriter blob(byte[] b) {
        return u32(b.length).bytes(b);
    }

    /** A byte string with a 16-bit length of at most {@code max}. */
    public WireWriter shortBlob(byte[] b, int max) {
        if (b.length > max) {
            throw new IllegalArgumentException("a field of " + b.length + " bytes (at most " + max + ")");
        }
        return u16(b.length).bytes(b);
    }

    /** UTF-8 text with a 16-bit length. */
    public WireWriter text(String s) {
        return shortBlob(s.getBytes(StandardCharsets.UTF_8), 0xffff);
    }

    /** UTF-8 text without a length, for a text that fills the rest of the message. */
    public WireWriter restText(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 text with a 32-bit length; null is written as the empty text. */
    public WireWriter longText(String s) {
        return longText(s, Integer.MAX_VALUE);
    }

    /** UTF-8 text with a 32-bit length of at most {@code max} bytes; null is written as the empty text. */
    public WireWriter longText(String s, int max) {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException("a text of " + b.length + " bytes (at most " + max + ")");
        }
        return blob(b);
    }

    public WireWriter positive(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            byte[] t = new byte[b.length - 1];
            System.arraycopy(b, 1, t, 0, t.length);
            b = t;
        }
        return blob(b);
    }

    /** The bytes written so far. */
    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public ByteBuffer toBuffer() {
        return ByteBuffer.wrap(out.toByteArray());
    }
}
