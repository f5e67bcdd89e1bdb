package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.srp.SRP6Server;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * One password authentication attempt on the Host. Call {@link #challenge()} once, send it to the
 * Guest, then pass the Guest's {@link ClientResponse} to {@link #verify}; on success send the returned
 * server proof back and use {@link #sessionKey()}. Not thread-safe; not reusable.
 *
 * <p>For an identity the Host does not know, use {@link #decoy(String, byte[], SecureRandom)}: it
 * answers with a plausible challenge and always fails in {@link #verify}, with the same message as a
 * wrong password.
 */
public final class SrpServer {

    private static final String REJECTED = "password proof rejected";
    private static final byte[] DECOY_SALT_LABEL = Srp6a.ascii("tandem srp decoy salt");
    private static final byte[] DECOY_VERIFIER_LABEL = Srp6a.ascii("tandem srp decoy verifier");

    private enum State { NEW, CHALLENGED, SUCCEEDED, FAILED }

    private final PasswordVerifier verifier;
    private final boolean decoy;
    private final SecureRandom random;
    private final SRP6Server srp = new SRP6Server() {
        @Override
        protected BigInteger selectPrivateValue() {
            return Srp6a.ephemeralSecret(random);
        }
    };
    private State state = State.NEW;
    private BigInteger serverPublic;
    private byte[] sessionKey;

    /**
     * Starts an attempt for a known identity.
     *
     * @param identity the identity the Guest claims; the verifier must have been made for it
     * @param verifier the stored verifier
     * @param random source of the ephemeral secret b
     */
    public SrpServer(String identity, PasswordVerifier verifier, SecureRandom random) {
        this(identity, verifier, random, false);
    }

    private SrpServer(String identity, PasswordVerifier verifier, SecureRandom random, boolean decoy) {
        Objects.requireNonNull(identity, "identity");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.random = Objects.requireNonNull(random, "random");
        this.decoy = decoy;
    }

    /**
     * An attempt for an unknown identity whose challenge is indistinguishable from a real one and
     * stable across attempts: salt and fake verifier are derived from the identity and a per-Host
     * secret, so repeated probes see the same salt, as they would for a real account. Uses the
     * default Argon2id parameters. {@link #verify} always fails.
     *
     * @param identity the claimed identity
     * @param hostSecret a secret of this Host, at least 16 bytes, kept constant across attempts
     * @param random source of the ephemeral secret b
     * @return an attempt that never succeeds
     */
    /**
     * The node's secret for {@link #decoy(String, byte[], SecureRandom)}: read from {@code file}, or 32
     * random bytes written there (owner-only) on first use or when the file holds too few.
     */
    public static byte[] decoySecret(java.nio.file.Path file) throws java.io.IOException {
        if (java.nio.file.Files.exists(file)) {
            byte[] b = java.nio.file.Files.readAllBytes(file);
            if (b.length >= 32) {
                return b;
            }
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.deleteIfExists(file);
        java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.nio.file.Files.write(file, b);
        return b;
    }

    public static SrpServer decoy(String identity, byte[] hostSecret, SecureRandom random) {
        Objects.requireNonNull(hostSecret, "hostSecret");
        if (hostSecret.length < 16) {
            throw new IllegalArgumentException("hostSecret must be at least 16 bytes");
        }
        byte[] identityBytes = Srp6a.identityBytes(identity);
        byte[] salt = Arrays.copyOf(Srp6a.hmac(hostSecret, DECOY_SALT_LABEL, identityBytes),
                Srp6a.DEFAULT_SALT_LENGTH);
        byte[] fakeHash = Srp6a.hmac(hostSecret, DECOY_VERIFIER_LABEL, identityBytes);
        return decoy(identity, salt, fakeHash, random);
    }

    /**
     * An attempt for an unknown identity with a random salt and random fake verifier. Simpler than
     * {@link #decoy(String, byte[], SecureRandom)}, but a prober asking twice sees two different salts
     * and so can tell the identity is unknown; prefer the host-secret variant.
     *
     * @param identity the claimed identity
     * @param random source of salt, fake verifier and ephemeral secret
     * @return an attempt that never succeeds
     */
    public static SrpServer decoy(String identity, SecureRandom random) {
        Srp6a.identityBytes(identity);
        byte[] salt = new byte[Srp6a.DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        byte[] fakeHash = new byte[Srp6a.ARGON2_OUTPUT_LENGTH];
        random.nextBytes(fakeHash);
        return decoy(identity, salt, fakeHash, random);
    }

    private static SrpServer decoy(String identity, byte[] salt, byte[] fakeHash, SecureRandom random) {
        BigInteger v = PasswordVerifier.generate(salt, Srp6a.identityBytes(identity), fakeHash);
        Arrays.fill(fakeHash, (byte) 0);
        PasswordVerifier fake = PasswordVerifier.of(Srp6a.DEFAULT_MEMORY_KIB, Srp6a.DEFAULT_ITERATIONS,
                Srp6a.DEFAULT_PARALLELISM, salt, v);
        return new SrpServer(identity, fake, random, true);
    }

    /**
     * Generates B and returns the challenge for the Guest. Call exactly once.
     *
     * @return the challenge
     * @throws IllegalStateException if called twice
     */
    public Challenge challenge() {
        if (state != State.NEW) {
            throw new IllegalStateException("challenge already issued");
        }
        srp.init(Srp6a.GROUP, verifier.verifier(), new SHA256Digest(), random);
        serverPublic = srp.generateServerCredentials();
        state = State.CHALLENGED;
        return new Challenge(verifier.memoryKiB(), verifier.iterations(), verifier.parallelism(),
                verifier.saltUnsafe(), serverPublic);
    }

    /**
     * Checks the Guest's proof. Rejects A with A mod N = 0 (and any A outside 1..N-1), a wrong proof,
     * and a proof made with a different binding. A failed attempt cannot be retried.
     *
     * @param response the Guest's response
     * @param binding the 32-byte key-exchange transcript hash this side computed
     * @return the server proof to send to the Guest
     * @throws AuthenticationFailed if the Guest did not prove knowledge of the password
     * @throws IllegalStateException if {@link #challenge()} was not called or verify was already called
     */
    public byte[] verify(ClientResponse response, byte[] binding) throws AuthenticationFailed {
        Objects.requireNonNull(response, "response");
        Srp6a.checkBinding(binding);
        if (state != State.CHALLENGED) {
            throw new IllegalStateException(state == State.NEW ? "challenge() not called" : "attempt already used");
        }
        state = State.FAILED;
        BigInteger a = response.clientPublic();
        if (!Srp6a.inGroupRange(a)) {
            throw new AuthenticationFailed("invalid client public value");
        }
        BigInteger secret;
        try {
            secret = srp.calculateSecret(a);
        } catch (CryptoException e) {
            throw new AuthenticationFailed("invalid client public value");
        }
        byte[] k = Srp6a.sessionHash(secret);
        try {
            byte[] expected = Srp6a.clientProof(k, binding, a, serverPublic);
            boolean ok = MessageDigest.isEqual(expected, response.proof());
            if (!ok || decoy) {
                throw new AuthenticationFailed(REJECTED);
            }
            byte[] serverProof = Srp6a.serverProof(k, binding, a, serverPublic, expected);
            sessionKey = Srp6a.sessionKey(k, binding);
            state = State.SUCCEEDED;
            return serverProof;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * The 32-byte session key, HMAC-SHA256(K, "tandem srp key" || binding).
     *
     * @return a copy of the key
     * @throws IllegalStateException unless {@link #verify} succeeded
     */
    public byte[] sessionKey() {
        if (state != State.SUCCEEDED) {
            throw new IllegalStateException("no successful authentication");
        }
        return sessionKey.clone();
    }

    @Override
    public String toString() {
        return "SrpServer[" + state + "]";
    }
}
