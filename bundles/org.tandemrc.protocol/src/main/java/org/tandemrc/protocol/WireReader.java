package org.tandemrc.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads values from a message received from a peer. Every length is checked against what remains
 * and against a caller's limit before anything is allocated.
 */
public final class WireReader {

    private final ByteBuffer buf;

    public WireReader(ByteBuffer buf) {
        this.buf = buf.slice();
    }

    public int remaining() {
        return buf.remaining();
    }

    private void need(int n, String what) throws ProtocolException {
        if (n < 0 || buf.remaining() < n) {
            throw new ProtocolException("truncated message: " + what + " needs " + n + " bytes, "
                    + buf.remaining() + " left");
        }
    }

    public int u8(String what) throws ProtocolException {
        need(1, what);
        return buf.get() & 0xff;
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

    /** UTF-8 text with a 16-bit length of at most {@code max} bytes; malformed UTF-8 is refused. */
    public String text(String what, int max) throws ProtocolException {
        int n = u16(what + " length");
        if (n > max) {
            throw new ProtocolException(what + " of " + n + " bytes exceeds the limit of " + max);
        }
        byte[] b = bytes(n, what);
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

    /** The rest of the message. */
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
