package org.tandemrc.webconnect.protocol;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The frames that put a Host and a Guest on one relay, as the manager and its clients write and read them
 * (each {@code read} takes a reader past the type byte):
 * <pre>
 * REGISTER  Host→M  str hostName | str instanceId | u16 n | n × bytes pairingId (the links still alive)
 * OFFER     M→Host  bytes pairingId | u8 resume | str relayId | str relayAddress | bytes token
 * PAIRED    M→Guest bytes pairingId | str relayId | str relayAddress | bytes token | str hostName
 * </pre>
 */
public final class Pairing {

    /** The most 16-byte pairing ids one REGISTER can carry in a control frame. */
    public static final int MAX_LIVE = Frames.MAX_CONTROL_FRAME / (2 + 16);

    private Pairing() {
    }

    /** REGISTER: a Host's name, its instance, and the pairings whose links it still has. */
    public record Register(String hostName, String instance, List<byte[]> live) {
        public static Register read(WireReader r) throws ProtocolException {
            String name = Fields.string(r, "Host name");
            String instance = Fields.string(r, "Host instance");
            int n = Fields.count(r, "live pairings", 2, MAX_LIVE);
            List<byte[]> live = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                live.add(Fields.bytes(r, "pairing id"));
            }
            return new Register(name, instance, live);
        }

        public ByteBuf frame() {
            WireWriter w = Fields.string(Fields.string(new WireWriter(), hostName), instance).u16(live.size());
            live.forEach(id -> Fields.bytes(w, id));
            return Frames.frame(Frames.REGISTER, w);
        }
    }

    /** OFFER: a Guest wants this Host; dial the relay with the token. */
    public record Offer(byte[] pairingId, boolean resume, String relayId, String relayAddress, byte[] token) {
        public static Offer read(WireReader r) throws ProtocolException {
            return new Offer(Fields.bytes(r, "pairing id"), r.bool("resume"), Fields.string(r, "relay id"),
                    Fields.string(r, "relay address"), Fields.bytes(r, "token"));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.bytes(new WireWriter(), pairingId).bool(resume);
            Fields.string(w, relayId);
            Fields.string(w, relayAddress);
            return Frames.frame(Frames.OFFER, Fields.bytes(w, token));
        }
    }

    /** PAIRED: the Guest's side of an offer. */
    public record Paired(byte[] pairingId, String relayId, String relayAddress, byte[] token, String hostName) {
        public static Paired read(WireReader r) throws ProtocolException {
            return new Paired(Fields.bytes(r, "pairing id"), Fields.string(r, "relay id"),
                    Fields.string(r, "relay address"), Fields.bytes(r, "token"), Fields.string(r, "Host name"));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.bytes(new WireWriter(), pairingId);
            Fields.string(w, relayId);
            Fields.string(w, relayAddress);
            Fields.bytes(w, token);
            return Frames.frame(Frames.PAIRED, Fields.string(w, hostName));
        }
    }
}
