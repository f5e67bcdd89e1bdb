package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The handshake layer of a {@link Connection}: the two hellos in clear, the Host's signature of both,
 * and the record keys and binding derived from the X25519 secret with the transcript hash as salt.
 * One instance per connection, used on the link's thread only; it sends nothing itself, the connection
 * sends what it returns.
 *
 * <p>Wire layout: {@code "TNDM", u8 version, u8 kind}, then by kind: 1 HELLO (Guest)
 * {@code 32 ephemeral, 32 nonce, text name (255), text capabilities (4096)}; 2 SERVER_HELLO (Host) the
 * same with {@code 32 identity key} after the nonce and a 64-byte Ed25519 signature of
 * SHA-256(Guest hello, unsigned Host hello) at the end; 3 REFUSE {@code text reason (1024)}.
 */
final class Handshake {

    private static final byte[] MAGIC = "TNDM".getBytes(StandardCharsets.US_ASCII);
    private static final int HELLO = 1;
    private static final int SERVER_HELLO = 2;
    private static final int REFUSE = 3;

    /** The keys of one connection, both directions, and the binding that proofs include. */
    record Keys(RecordCipher sealer, RecordCipher opener, byte[] binding) {
    }

    /** What one handshake message from the peer leads to. */
    sealed interface Step {
    }

    /** The peer refused this side; close without a word. */
    record Refused(String reason) implements Step {
    }

    /** The peer speaks another version: send {@code refusal}, then close. */
    record Unsupported(String reason, byte[] refusal) implements Step {
    }

    /**
     * The peer's hello checked: the connection records who the peer is, then derives the keys with
     * {@link Handshake#keys}; {@code reply} (the Host's hello, or null on the Guest) goes out after.
     */
    record Hello(String peerName, String peerCapabilities, byte[] hostKey, byte[] peerEphemeral,
            byte[] transcript, byte[] reply) implements Step {
    }

    private final boolean host;
    private final String localName;
    private final String localCapabilities;
    private final HostIdentity identity;
    private final SecureRandom random;
    private X25519PrivateKeyParameters ephemeral;
    private byte[] clientHello;

    Handshake(boolean host, String localName, String localCapabilities, HostIdentity identity,
            SecureRandom random) {
        this.host = host;
        this.localName = localName;
        this.localCapabilities = localCapabilities;
        this.identity = identity;
        this.random = random;
    }

    /** The Guest's hello, which opens the handshake. */
    byte[] guestHello() {
        ephemeral = new X25519PrivateKeyParameters(random);
        clientHello = hello(HELLO, null);
        return clientHello;
    }

    /** Reads the peer's handshake message. */
    Step receive(ByteBuffer message) throws ProtocolException {
        WireReader r = new WireReader(message);
        byte[] magic = r.bytes(4, "protocol magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ProtocolException("the peer does not speak the Tandem protocol");
        }
        int version = r.u8("version");
        int kind = r.u8("hello kind");
        if (kind == REFUSE) {
            return new Refused("the Host refused the connection: " + r.text("reason", 1024));
        }
        if (version != Connection.VERSION) {
            String why = "protocol version " + version + " is not supported; this node speaks version "
                    + Connection.VERSION;
            return new Unsupported(why,
                    new WireWriter().bytes(MAGIC).u8(Connection.VERSION).u8(REFUSE).text(Connection.clip(why))
                            .toByteArray());
        }
        return host ? readGuestHello(r, kind, message) : readHostHello(r, kind, message);
    }

    private Hello readGuestHello(WireReader r, int kind, ByteBuffer message) throws ProtocolException {
        if (kind != HELLO || clientHello != null) {
            throw new ProtocolException("expected a Guest hello");
        }
        byte[] guestEphemeral = r.bytes(32, "ephemeral key");
        r.bytes(32, "nonce");
        String name = r.text("guest name", 255);
        String caps = r.text("capabilities", 4096);
        r.end("hello");
        clientHello = toArray(message);
        ephemeral = new X25519PrivateKeyParameters(random);
        byte[] unsigned = hello(SERVER_HELLO, identity.publicKey());
        byte[] serverHello = new WireWriter().bytes(unsigned).bytes(identity.sign(transcriptHash(unsigned)))
                .toByteArray();
        return new Hello(name, caps, null, guestEphemeral, transcriptHash(serverHello), serverHello);
    }

    private Hello readHostHello(WireReader r, int kind, ByteBuffer message) throws ProtocolException {
        if (kind != SERVER_HELLO || clientHello == null) {
            throw new ProtocolException("expected a Host hello");
        }
        byte[] hostEphemeral = r.bytes(32, "ephemeral key");
        r.bytes(32, "nonce");
        byte[] hostKey = r.bytes(32, "host identity");
        String name = r.text("host name", 255);
        String caps = r.text("capabilities", 4096);
        int signed = r.remaining();
        byte[] signature = r.bytes(64, "signature");
        r.end("host hello");
        byte[] all = toArray(message);
        byte[] unsigned = Arrays.copyOf(all, all.length - signed);
        if (!HostIdentity.verify(hostKey, transcriptHash(unsigned), signature)) {
            throw new ProtocolException("the Host's signature of the key exchange is invalid");
        }
        return new Hello(name, caps, hostKey, hostEphemeral, transcriptHash(all), null);
    }

    /** Both directions' keys and the binding, from the peer's ephemeral key and the transcript hash. */
    Keys keys(Hello hello) throws ProtocolException {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(ephemeral);
        byte[] shared = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(hello.peerEphemeral(), 0), shared, 0);
        } catch (IllegalStateException e) {
            throw new ProtocolException("the peer's key exchange value is invalid");
        }
        byte[] prk = RecordCipher.Kdf.extract(hello.transcript(), shared);
        Arrays.fill(shared, (byte) 0);
        byte[] g2h = RecordCipher.Kdf.expand(prk, "tandem v1 guest to host", 32);
        byte[] h2g = RecordCipher.Kdf.expand(prk, "tandem v1 host to guest", 32);
        byte[] binding = RecordCipher.Kdf.expand(prk, "tandem v1 binding", 32);
        ephemeral = null;
        return new Keys(new RecordCipher(host ? h2g : g2h, true), new RecordCipher(host ? g2h : h2g, false), binding);
    }

    /** A hello of this side, with a fresh nonce; the Host's carries its identity key. */
    private byte[] hello(int kind, byte[] identityKey) {
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        WireWriter w = new WireWriter().bytes(MAGIC).u8(Connection.VERSION).u8(kind)
                .bytes(ephemeral.generatePublicKey().getEncoded()).bytes(nonce);
        if (identityKey != null) {
            w.bytes(identityKey);
        }
        return w.text(WireText.clip(localName, 255)).text(WireText.clip(localCapabilities, 4096)).toByteArray();
    }

    /** SHA-256 of the Guest's hello followed by {@code hostPart}. */
    private byte[] transcriptHash(byte[] hostPart) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(clientHello);
        return md.digest(hostPart);
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
