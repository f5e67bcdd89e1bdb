package org.tandemrc.protocol.codec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.tandemrc.protocol.ProtocolException;

/**
 * Reads the fields of one message received from a peer, in the layout {@link WireWriter} writes. Every
 * length and count is checked against its declared maximum and against what remains of the message
 * before anything is allocated; every failure is a {@link ProtocolException} naming the field.
 */
public final class WireReader {

    private final ByteBuffer buf;

    /** Reads {@code message} from its position; the caller's buffer is not moved. */
    public WireReader(ByteBuffer message) {
        this.buf = message.slice();
    }

    /**
     * A reader of a whole message of at most {@code max} bytes.
     *
     * @throws ProtocolException when the message is larger
     */
    public static WireReader of(ByteBuffer message, int max, String what) throws ProtocolException {
        if (message.remaining() > max) {
            throw new ProtocolException(what + " of " + message.remaining() + " bytes exceeds the limit of " + max);
        }
        return new WireReader(message);
    }

    public int remaining() {
        return buf.remaining();
    }

    /** Whether the whole message was read. */
    public boolean done() {
        return !buf.hasRemaining();
    }

    private void need(long n, String what) throws ProtocolException {
        if (n < 0 || buf.remaining() < n) {
            throw new ProtocolException("truncated message: " + what + " needs " + n + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    public int u8(String what) throws ProtocolException {
        need(1, what);
        return buf.get() & 0xff;
    }

    /** A flag byte: 0 or 1, anything else is refused. */
    public boolean bool(String what) throws ProtocolException {
        int v = u8(what);
        if (v > 1) {
            throw new ProtocolException(what + " is a flag of " + v);
        }
        return v == 1;
    }

    /** A byte that is the ordinal of one of {@code values}. */
    public <E extends Enum<E>> E ordinal(E[] values, String what) throws ProtocolException {
        int v = u8(what);
        if (v >= values.length) {
            throw new ProtocolException("unknown " + what + " " + v);
        }
        return values[v];
    }

    public int u16(String what) throws ProtocolException {
        need(2, what);
        return buf.getShort() & 0xffff;
    }

    /** An unsigned 32-bit value that must not exceed {@code max}. */
    public int u32(String what, int max) throws ProtocolException {
        need(4, what);
        long v = buf.getInt() & 0xffffffffL;
        if (v > max) {
            throw new ProtocolException(what + " of " + v + " exceeds the limit of " + max);
        }
        return (int) v;
    }

    /** A signed 32-bit value, taken as it is (a coordinate, a sequence number). */
    public int i32(String what) throws ProtocolException {
        need(4, what);
        return buf.getInt();
    }

    /** A signed 64-bit value, taken as it is. */
    public long i64(String what) throws ProtocolException {
        need(8, what);
        return buf.getLong();
    }

    /**
     * A 32-bit count of items, each at least {@code minBytes} long on the wire, so no more than the rest
     * of the message can hold, and at most {@code max}.
     */
    public int count(String what, int minBytes, int max) throws ProtocolException {
        int n = u32(what, max);
        if ((long) n * Math.max(1, minBytes) > buf.remaining()) {
            throw new ProtocolException(what + " of " + n + " does not fit in the " + buf.remaining()
                    + " bytes left");
        }
        return n;
    }

    /** As {@link #count(String, int, int)}, with a 16-bit count. */
    public int shortCount(String what, int minBytes, int max) throws ProtocolException {
        int n = u16(what);
        if (n > max) {
            throw new ProtocolException(what + " of " + n + " exceeds the limit of " + max);
        }
        if ((long) n * Math.max(1, minBytes) > buf.remaining()) {
            throw new ProtocolException(what + " of " + n + " does not fit in the " + buf.remaining()
                    + " bytes left");
        }
        return n;
    }

    public byte[] bytes(int n, String what) throws ProtocolException {
        need(n, what);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    /** A byte string with a 32-bit length of at most {@code max}. */
    public byte[] blob(String what, int max) throws ProtocolException {
        return bytes(u32(what + " length", max), what);
    }

    /** A byte string with a 16-bit length of at most {@code max}. */
    public byte[] shortBlob(String what, int max) throws ProtocolException {
        int n = u16(what + " length");
        if (n > max) {
            throw new ProtocolException(what + " of " + n + " bytes exceeds the limit of " + max);
        }
        return bytes(n, what);
    }

    /** UTF-8 text with a 16-bit length of at most {@code max} bytes; malformed UTF-8 is refused. */
    public String text(String what, int max) throws ProtocolException {
        return utf8(shortBlob(what, max), what);
    }

    /** UTF-8 text with a 32-bit length of at most {@code max} bytes; malformed UTF-8 is refused. */
    public String longText(String what, int max) throws ProtocolException {
        return utf8(blob(what, max), what);
    }

    /** UTF-8 text that fills the rest of the message, at most {@code max} bytes; malformed UTF-8 is refused. */
    public String restText(String what, int max) throws ProtocolException {
        if (buf.remaining() > max) {
            throw new ProtocolException(what + " of " + buf.remaining() + " bytes exceeds the limit of " + max);
        }
        return utf8(bytes(buf.remaining(), what), what);
    }

    private static String utf8(byte[] b, String what) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(what + " is not valid UTF-8");
        }
    }

    /** A non-negative big integer of at most {@code maxBytes} bytes. */
    public BigInteger positive(String what, int maxBytes) throws ProtocolException {
        return new BigInteger(1, blob(what, maxBytes));
    }

    /** The rest of the message, without copying. */
    public ByteBuffer rest() {
        ByteBuffer r = buf.slice();
        buf.position(buf.limit());
        return r;
    }

    /** Fails unless the whole message was read. */
    public void end(String what) throws ProtocolException {
        if (buf.hasRemaining()) {
            throw new ProtocolException(what + " has " + buf.remaining() + " unexpected trailing bytes");
        }
    }
}
