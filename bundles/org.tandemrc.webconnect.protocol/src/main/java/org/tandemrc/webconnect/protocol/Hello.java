package org.tandemrc.webconnect.protocol;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * HELLO, the first frame each end of a link sends the other through a relay once RELAY_PAIRED arrived:
 * <pre>
 * HELLO  Host↔Guest  u8 version | bytes pairingId | u8 role | u64 lastReceivedSeq
 * </pre>
 * {@code role} is {@link Frames#ROLE_HOST} or {@link Frames#ROLE_GUEST}; {@code lastReceived} the number of the
 * last DATA message this end received, so the other sends again what is missing after a resume.
 */
public record Hello(int version, byte[] pairingId, int role, long lastReceived) {

    /** Reads a HELLO from a reader past the type byte. */
    public static Hello read(WireReader r) throws ProtocolException {
        return new Hello(r.u8("protocol version"), Fields.bytes(r, "pairing id"), r.u8("role"),
                r.i64("last received number"));
    }

    public ByteBuf frame() {
        return Frames.frame(Frames.HELLO, Fields.bytes(new WireWriter().u8(version), pairingId).u8(role).i64(lastReceived));
    }
}
