package org.tandemrc.protocol.gateway;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;

/**
 * The messages a Gateway and the {@code gateway} device exchange before the route is spliced. Each is
 * one Link message of at most {@value #MAX_CONTROL} bytes: {@code 'T' 'G' 'W'}, version 1, type, then the
 * fields in the {@link org.tandemrc.protocol.codec codec kit}'s layout (text as a 16-bit length and UTF-8;
 * byte strings and SRP values as a 32-bit length and bytes; nonces and MACs of fixed size without a
 * length). Every length is bounded before anything is allocated.
 *
 * <pre>
 * device                                   Gateway
 * HELLO     user, 32-byte nonce  ------&gt;
 *           &lt;------  CHALLENGE  32-byte nonce, Argon2id m t p, salt, SRP B
 * RESPONSE  SRP A, client proof  ------&gt;
 *           &lt;------  ACCEPTED   server proof                     (or REFUSED)
 * ROUTE     group, target, mac   ------&gt;                           (or GROUPS? mac)
 *           &lt;------  ROUTED     mac                              (or REFUSED reason, text)
 * ... from here on every message of either side is the session's, forwarded unchanged ...
 * </pre>
 *
 * The SRP proofs are bound to {@link #binding}: SHA-256 over a label, both nonces and the user, so a
 * proof is worth nothing on another connection. The route request and the answer carry an
 * HMAC-SHA256 with the SRP session key, so neither can be altered or made up by someone on the path.
 */
public final class GatewayWire {

    /** The protocol version this codec speaks. */
    public static final int VERSION = 1;
    /** The largest control message, in bytes. */
    public static final int MAX_CONTROL = 8192;
    /** Bounds of the fields. */
    public static final int MAX_USER = 64;
    public static final int MAX_GROUP = 64;
    public static final int MAX_TARGET = 512;
    public static final int MAX_REASON = 1024;
    public static final int MAX_GROUPS = 256;
    public static final int NONCE = 32;
    private static final int MAC = 32;
    private static final int MAX_SRP_VALUE = 385;
    private static final int MAX_SALT = 64;
    private static final int MAX_PROOF = 64;

    private static final int HELLO = 1;
    private static final int CHALLENGE = 2;
    private static final int RESPONSE = 3;
    private static final int ACCEPTED = 4;
    private static final int ROUTE = 5;
    private static final int ROUTED = 6;
    private static final int REFUSED = 7;
    private static final int LIST = 8;
    private static final int GROUPS = 9;

    private GatewayWire() {
    }

    /** Why a Gateway refused; the text that comes with it says more. */
    public enum Refusal {
        /** Wrong user name or password (the two are not told apart). */
        LOGON_FAILED,
        /** Too many wrong passwords from this address: locked out for a while. */
        LOCKED_OUT,
        /** The Gateway has no device group of that name. */
        UNKNOWN_GROUP,
        /** The user may not use that device group. */
        GROUP_NOT_ALLOWED,
        /** The user may not reach that address. */
        TARGET_NOT_ALLOWED,
        /** The target could not be reached through the group; the text says why. */
        UNREACHABLE,
        /** The peer broke the protocol. */
        PROTOCOL,
        /** The Gateway cannot serve now (stopping, group without usable profile...). */
        UNAVAILABLE
    }

    /** One control message. */
    public sealed interface Message permits Hello, ChallengeMessage, Response, Accepted, Route, Routed, Refused,
            ListGroups, Groups {
    }

    /** Device to Gateway: who logs on. */
    public record Hello(String user, byte[] nonce) implements Message {
        public Hello {
            Objects.requireNonNull(user, "user");
            nonce = nonce.clone();
        }
    }

    /** Gateway to device: the SRP challenge for the user. */
    public record ChallengeMessage(byte[] nonce, Challenge challenge) implements Message {
        public ChallengeMessage {
            nonce = nonce.clone();
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /** Device to Gateway: SRP A and the client proof. */
    public record Response(ClientResponse response) implements Message {
    }

    /** Gateway to device: the logon succeeded; the server proof. */
    public record Accepted(byte[] serverProof) implements Message {
    }

    /** Device to Gateway: open a route through a device group. */
    public record Route(String group, String target, byte[] mac) implements Message {
    }

    /** Gateway to device: the route is open; session messages follow. */
    public record Routed(byte[] mac) implements Message {
    }

    /** Gateway to device: refused, and why. The Gateway closes the link after it. */
    public record Refused(Refusal refusal, String reason) implements Message {
    }

    /** Device to Gateway: which device groups may I use? */
    public record ListGroups(byte[] mac) implements Message {
    }

    /** Gateway to device: the groups the user may use. The Gateway closes the link after it. */
    public record Groups(List<String> groups, byte[] mac) implements Message {
        public Groups {
            groups = List.copyOf(groups);
        }
    }

    /** The message's bytes. */
    public static ByteBuffer encode(Message m) {
        WireWriter w = new WireWriter().u8('T').u8('G').u8('W').u8(VERSION);
        if (m instanceof Hello h) {
            w.u8(HELLO).text(h.user()).bytes(h.nonce());
        } else if (m instanceof ChallengeMessage c) {
            Challenge ch = c.challenge();
            w.u8(CHALLENGE).bytes(c.nonce()).u32(ch.memoryKiB()).u32(ch.iterations()).u32(ch.parallelism())
                    .blob(ch.salt()).positive(ch.serverPublic());
        } else if (m instanceof Response r) {
            w.u8(RESPONSE).positive(r.response().clientPublic()).blob(r.response().proof());
        } else if (m instanceof Accepted a) {
            w.u8(ACCEPTED).blob(a.serverProof());
        } else if (m instanceof Route r) {
            w.u8(ROUTE).text(r.group()).text(r.target()).bytes(r.mac());
        } else if (m instanceof Routed r) {
            w.u8(ROUTED).bytes(r.mac());
        } else if (m instanceof Refused r) {
            String reason = r.reason();
            if (reason.length() > MAX_REASON / 4) {
                reason = reason.substring(0, MAX_REASON / 4 - 3) + "...";
            }
            w.u8(REFUSED).u8(r.refusal().ordinal()).text(reason);
        } else if (m instanceof ListGroups l) {
            w.u8(LIST).bytes(l.mac());
        } else if (m instanceof Groups g) {
            w.u8(GROUPS).u16(g.groups().size());
            for (String s : g.groups()) {
                w.text(s);
            }
            w.bytes(g.mac());
        }
        return ByteBuffer.wrap(w.toByteArray());
    }

    /**
     * Reads one control message.
     *
     * @throws ProtocolException when the bytes are not a well-formed message of this protocol
     */
    public static Message decode(ByteBuffer message) throws ProtocolException {
        WireReader r = WireReader.of(message, MAX_CONTROL, "a Gateway control message");
        if (r.u8("magic") != 'T' || r.u8("magic") != 'G' || r.u8("magic") != 'W') {
            throw new ProtocolException("not the Gateway protocol (is the address a Gateway?)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw new ProtocolException("Gateway protocol version " + version + " is not supported (this side speaks "
                    + VERSION + ")");
        }
        int type = r.u8("type");
        Message m;
        switch (type) {
            case HELLO -> m = new Hello(r.text("user", MAX_USER), r.bytes(NONCE, "nonce"));
            case CHALLENGE -> {
                byte[] nonce = r.bytes(NONCE, "nonce");
                int mem = r.u32("memory", Integer.MAX_VALUE);
                int it = r.u32("iterations", Integer.MAX_VALUE);
                int par = r.u32("parallelism", Integer.MAX_VALUE);
                byte[] salt = r.blob("salt", MAX_SALT);
                BigInteger b = r.positive("B", MAX_SRP_VALUE);
                m = new ChallengeMessage(nonce, new Challenge(mem, it, par, salt, b));
            }
            case RESPONSE -> m = new Response(new ClientResponse(r.positive("A", MAX_SRP_VALUE), r.blob("proof", MAX_PROOF)));
            case ACCEPTED -> m = new Accepted(r.blob("server proof", MAX_PROOF));
            case ROUTE -> m = new Route(r.text("group", MAX_GROUP), r.text("target", MAX_TARGET), r.bytes(MAC, "mac"));
            case ROUTED -> m = new Routed(r.bytes(MAC, "mac"));
            case REFUSED -> {
                int code = r.u8("refusal");
                Refusal[] all = Refusal.values();
                m = new Refused(code < all.length ? all[code] : Refusal.UNAVAILABLE, r.text("reason", MAX_REASON));
            }
            case LIST -> m = new ListGroups(r.bytes(MAC, "mac"));
            case GROUPS -> {
                int n = r.shortCount("group count", 2, MAX_GROUPS);
                List<String> groups = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    groups.add(r.text("group", MAX_GROUP));
                }
                m = new Groups(groups, r.bytes(MAC, "mac"));
            }
            default -> throw new ProtocolException("unknown Gateway message type " + type);
        }
        r.end("Gateway message");
        return m;
    }

    /** The 32 bytes the SRP proofs of one logon are bound to. */
    public static byte[] binding(byte[] clientNonce, byte[] serverNonce, String user) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("tandem gateway logon v1".getBytes(StandardCharsets.US_ASCII));
            d.update(clientNonce);
            d.update(serverNonce);
            d.update(user.getBytes(StandardCharsets.UTF_8));
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MAC of a route request. */
    public static byte[] routeMac(byte[] key, String group, String target) {
        return mac(key, "route", group, target);
    }

    /** The MAC of the Gateway's answer that the route is open. */
    public static byte[] routedMac(byte[] key, String group, String target) {
        return mac(key, "routed", group, target);
    }

    /** The MAC of a group list request. */
    public static byte[] listMac(byte[] key) {
        return mac(key, "list");
    }

    /** The MAC of a group list. */
    public static byte[] groupsMac(byte[] key, List<String> groups) {
        return mac(key, "groups", String.join("\n", groups));
    }

    /** Compares MACs in constant time. */
    public static boolean macEquals(byte[] expected, byte[] got) {
        return MessageDigest.isEqual(expected, got);
    }

    private static byte[] mac(byte[] key, String label, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(("tandem gateway " + label).getBytes(StandardCharsets.US_ASCII));
            for (String p : parts) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(b.length).array());
                mac.update(b);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
