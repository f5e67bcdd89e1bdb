package org.tandemrc.webconnect.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * A registered Host's cheap way back after its control connection was lost (a manager restart, a network
 * drop): instead of a full SRP logon it presents the resumption ticket the manager gave it with its last
 * REGISTERED, and proves it holds the ticket's secret over a fresh nonce of the manager:
 * <pre>
 * RESUME_LOGON     Host→M  u8 version | str account | str hostName | bytes ticket
 * RESUME_CHALLENGE M→Host  bytes nonce(32)
 * RESUME_PROOF     Host→M  bytes proof(32)        then REGISTER at once, without waiting
 * RESUMED          M→Host  bytes serverProof(32) | str managerId
 * </pre>
 * The ticket is sealed by the managers (AES-256-GCM under a key kept in their shared database) and opaque to
 * the Host: it names the account, the Host name, its expiry, a digest of the account's verifier (so a new
 * password or a removed account revokes it) and the <em>secret</em>. The secret never crosses the wire: both
 * sides derive it from the SRP session key of the full logon ({@link #afterLogon}), and after each resumption
 * from the previous secret and that resumption's nonce ({@link #next}); the ticket issued on the next
 * REGISTERED carries the new one. A ticket copied off the wire is useless without the secret, and a proof
 * copied off the wire is bound to one nonce and so to one connection.
 *
 * <p>A manager too busy with full logons answers RETRY with the milliseconds to wait; a Host waits at least
 * that long, plus its own jittered backoff ({@link Backoff}).
 */
public final class Resumption {

    /** Bytes of the secret, the nonce and both proofs. */
    public static final int SIZE = 32;
    /** Longest ticket a manager issues or reads. */
    public static final int MAX_TICKET = 512;
    /** How the reason of a refused resumption starts: the Host drops its ticket and logs on in full. */
    public static final String REFUSED = "resumption refused: ";
    /** Longest wait a RETRY may ask for; longer is read as this. */
    public static final int MAX_RETRY_MILLIS = 600_000;

    private Resumption() {
    }

    /** RESUME_LOGON. */
    public record Request(int version, String account, String hostName, byte[] ticket) {
        public static Request read(WireReader r) throws ProtocolException {
            int version = r.u8("protocol version");
            String account = Fields.string(r, "account");
            String host = Fields.string(r, "host name");
            return new Request(version, account, host, r.shortBlob("resumption ticket", MAX_TICKET));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.string(Fields.string(new WireWriter().u8(version), account), hostName);
            return Frames.frame(Frames.RESUME_LOGON, w.shortBlob(ticket, MAX_TICKET));
        }
    }

    /** RESUME_CHALLENGE: the manager's nonce. */
    public static ByteBuf challenge(byte[] nonce) {
        return Frames.frame(Frames.RESUME_CHALLENGE, Fields.bytes(new WireWriter(), nonce));
    }

    /** The nonce of a RESUME_CHALLENGE; anything but {@value #SIZE} bytes is refused. */
    public static byte[] readChallenge(WireReader r) throws ProtocolException {
        return exact(r, "resumption nonce");
    }

    /** RESUME_PROOF as the Host writes it. */
    public static ByteBuf proof(byte[] proof) {
        return Frames.frame(Frames.RESUME_PROOF, Fields.bytes(new WireWriter(), proof));
    }

    /** The proof of a RESUME_PROOF. */
    public static byte[] readProof(WireReader r) throws ProtocolException {
        return exact(r, "resumption proof");
    }

    /** RESUMED: the manager's proof and its id. */
    public record Resumed(byte[] serverProof, String managerId) {
        public static Resumed read(WireReader r) throws ProtocolException {
            return new Resumed(exact(r, "server proof"), Fields.string(r, "manager id"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.RESUMED, Fields.string(Fields.bytes(new WireWriter(), serverProof), managerId));
        }
    }

    /** RETRY: how long to wait before the next attempt, and why. */
    public record Retry(int millis, String reason) {
        public static Retry read(WireReader r) throws ProtocolException {
            long m = r.i32("retry milliseconds") & 0xffffffffL;
            return new Retry((int) Math.min(m, MAX_RETRY_MILLIS), Fields.string(r, "reason"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.RETRY, Fields.string(new WireWriter().u32(millis), reason));
        }
    }

    /** A ticket as REGISTERED carries it, and when it expires. */
    public record Issued(byte[] ticket, long expiresAtMillis) {
    }

    /** REGISTERED with a ticket (null: none). */
    public static ByteBuf registered(String hostName, String address, Issued ticket) {
        WireWriter w = Fields.string(Fields.string(new WireWriter(), hostName), address);
        if (ticket != null) {
            w.shortBlob(ticket.ticket(), MAX_TICKET).i64(ticket.expiresAtMillis());
        }
        return Frames.frame(Frames.REGISTERED, w);
    }

    /**
     * The ticket of a REGISTERED frame read past its type byte, or null when it has none (an older manager,
     * tickets off, a temporary Host).
     */
    public static Issued readRegistered(WireReader r) throws ProtocolException {
        Fields.string(r, "host name");
        Fields.string(r, "address");
        if (r.remaining() == 0) {
            return null;
        }
        byte[] ticket = r.shortBlob("resumption ticket", MAX_TICKET);
        return new Issued(ticket, r.i64("ticket expiry"));
    }

    /** The secret after a full logon: from the SRP session key, the logon's nonce and the account. */
    public static byte[] afterLogon(byte[] sessionKey, byte[] nonce, String account) {
        return mac(sessionKey, "tandem webconnect resumption v1 secret", nonce, text(account));
    }

    /** The secret after a resumption with {@code nonce}: the one the ticket issued next carries. */
    public static byte[] next(byte[] secret, byte[] nonce) {
        return mac(secret, "tandem webconnect resumption v1 next", nonce);
    }

    /** The Host's proof: the secret over the nonce, the account, the Host name and the ticket. */
    public static byte[] clientProof(byte[] secret, byte[] nonce, String account, String hostName, byte[] ticket) {
        return mac(secret, "tandem webconnect resumption v1 client", nonce, text(account), text(hostName), sha256(ticket));
    }

    /** The manager's proof that it opened the ticket, over the same. */
    public static byte[] serverProof(byte[] secret, byte[] nonce, String account, String hostName, byte[] ticket) {
        return mac(secret, "tandem webconnect resumption v1 server", nonce, text(account), text(hostName), sha256(ticket));
    }

    /** Compares proofs in constant time. */
    public static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static byte[] exact(WireReader r, String what) throws ProtocolException {
        byte[] b = r.shortBlob(what, SIZE);
        if (b.length != SIZE) {
            throw new ProtocolException(what + " of " + b.length + " bytes, not " + SIZE);
        }
        return b;
    }

    private static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that two fields cannot be cut differently to the same bytes.
        byte[] out = new byte[2 + b.length];
        out[0] = (byte) (b.length >>> 8);
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(byte[] key, String label, byte[]... parts) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(label.getBytes(StandardCharsets.US_ASCII));
            m.update((byte) 0);
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
