package org.tandemrc.webconnect.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a manager gives each side of a pairing to present to a relay: which pairing, which side, which
 * relay, until when, signed by the manager with Ed25519 (the JDK's provider). A relay accepts a token
 * only when the signature verifies with the public key of the manager named in it, the relay id is its
 * own and the token has not expired.
 *
 * <p>Encoding: {@code u8 version | bytes16 pairingId | u8 role | str relayId | u64 expiresAtMillis |
 * str managerId | bytes64 signature}, the signature over everything before it.
 *
 * @param pairingId 16 random bytes naming the pairing (the same on both sides and across relays)
 * @param role      {@link Frames#ROLE_HOST} or {@link Frames#ROLE_GUEST}
 * @param relayId   the relay the token is good for
 * @param expiresAt epoch milliseconds after which relays refuse it
 * @param managerId the manager that signed it
 */
public record PairingToken(byte[] pairingId, byte role, String relayId, long expiresAt, String managerId) {

    private static final int SIGNATURE = 64;
    private static final int MAX_TOKEN = 1200;

    public PairingToken {
        if (pairingId.length != 16) {
            throw new IllegalArgumentException("a pairing id has 16 bytes");
        }
        pairingId = pairingId.clone();
    }

    @Override
    public byte[] pairingId() {
        return pairingId.clone();
    }

    /** The pairing id as 32 hex digits. */
    public String pairingHex() {
        return HexFormat.of().formatHex(pairingId);
    }

    private byte[] body() {
        byte[] relay = relayId.getBytes(StandardCharsets.UTF_8);
        byte[] manager = managerId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 16 + 1 + 2 + relay.length + 8 + 2 + manager.length);
        b.put((byte) 1).put(pairingId).put(role).putShort((short) relay.length).put(relay).putLong(expiresAt)
                .putShort((short) manager.length).put(manager);
        return b.array();
    }

    /** The signed token. */
    public byte[] sign(PrivateKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            byte[] body = body();
            s.update(body);
            byte[] sig = s.sign();
            byte[] out = Arrays.copyOf(body, body.length + sig.length);
            System.arraycopy(sig, 0, out, body.length, sig.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a pairing token", e);
        }
    }

    /**
     * Parses and verifies a token.
     *
     * @param token     the bytes a client presented
     * @param publicKey the public key of a manager by its id, empty when the manager is unknown
     * @param now       the current time, epoch milliseconds
     * @throws SecurityException naming why the token is refused
     */
    public static PairingToken verify(byte[] token, Function<String, Optional<PublicKey>> publicKey, long now) {
        if (token.length < 1 + 16 + 1 + 2 + 8 + 2 + SIGNATURE || token.length > MAX_TOKEN) {
            throw new SecurityException("malformed pairing token");
        }
        ByteBuffer b = ByteBuffer.wrap(token, 0, token.length - SIGNATURE);
        try {
            if (b.get() != 1) {
                throw new SecurityException("unknown pairing token version");
            }
            byte[] pairing = new byte[16];
            b.get(pairing);
            byte role = b.get();
            String relay = string(b);
            long expires = b.getLong();
            String manager = string(b);
            if (b.hasRemaining()) {
                throw new SecurityException("malformed pairing token");
            }
            if (role != Frames.ROLE_HOST && role != Frames.ROLE_GUEST) {
                throw new SecurityException("pairing token names no valid role");
            }
            PublicKey key = publicKey.apply(manager)
                    .orElseThrow(() -> new SecurityException("pairing token signed by unknown manager '" + manager + "'"));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(token, 0, token.length - SIGNATURE);
            if (!s.verify(token, token.length - SIGNATURE, SIGNATURE)) {
                throw new SecurityException("pairing token signature is not valid");
            }
            if (now > expires) {
                throw new SecurityException("pairing token expired");
            }
            return new PairingToken(pairing, role, relay, expires, manager);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new SecurityException("malformed pairing token");
        } catch (GeneralSecurityException e) {
            throw new SecurityException("pairing token signature is not valid");
        }
    }

    private static String string(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        if (n > 256) {
            throw new SecurityException("malformed pairing token");
        }
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** An Ed25519 public key from its X.509 encoding in Base64 (as stored in the database). */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The Base64 X.509 encoding of a public key. */
    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairingToken t && Arrays.equals(pairingId, t.pairingId) && role == t.role
                && relayId.equals(t.relayId) && expiresAt == t.expiresAt && managerId.equals(t.managerId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pairingId) * 31 + relayId.hashCode();
    }

    @Override
    public String toString() {
        return "token(" + pairingHex() + ", role " + role + ", relay " + relayId + ", manager " + managerId + ")";
    }
}
