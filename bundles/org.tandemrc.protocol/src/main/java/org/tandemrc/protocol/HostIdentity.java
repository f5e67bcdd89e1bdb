package org.tandemrc.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A Host's long-term Ed25519 identity. The Host signs every key exchange with it; Guests pin its
 * {@link #fingerprint(byte[]) fingerprint} on first contact.
 */
public final class HostIdentity {

    private static final String HEADER = "tandem-host-identity ed25519 ";

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private HostIdentity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    /** A new random identity (tests, or a Host's first start). */
    public static HostIdentity generate(SecureRandom random) {
        return new HostIdentity(new Ed25519PrivateKeyParameters(random));
    }

    /**
     * Reads the identity from {@code file}, or creates it there (readable by the owner only) when the
     * file does not exist yet.
     */
    public static HostIdentity loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!text.startsWith(HEADER)) {
                throw new IOException(file + " is not a Tandem host identity");
            }
            byte[] seed;
            try {
                seed = Base64.getDecoder().decode(text.substring(HEADER.length()).trim());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is damaged: " + e.getMessage());
            }
            if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                throw new IOException(file + " is damaged: wrong key length");
            }
            return new HostIdentity(new Ed25519PrivateKeyParameters(seed, 0));
        }
        HostIdentity id = generate(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HEADER + Base64.getEncoder().encodeToString(id.privateKey.getEncoded()) + "\n",
                StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** The 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** This identity's fingerprint. */
    public String fingerprint() {
        return fingerprint(publicKey);
    }

    /** Signs data. */
    public byte[] sign(byte[] data) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** Whether {@code signature} is {@code publicKey}'s signature of {@code data}. */
    public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE || signature.length != 64) {
            return false;
        }
        Ed25519Signer signer = new Ed25519Signer();
        try {
            signer.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        } catch (IllegalArgumentException e) {
            return false; // not a point on the curve
        }
        signer.update(data, 0, data.length);
        return signer.verifySignature(signature);
    }

    /** {@code SHA256:} and the unpadded base64 of the key's SHA-256, as people compare them. */
    public static String fingerprint(byte[] publicKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
