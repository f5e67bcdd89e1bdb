package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.agreement.srp.SRP6Util;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * One password authentication attempt on the Guest. {@link #respond} answers the Host's
 * {@link Challenge} (validating its bounds before running Argon2id), then {@link #verifyServer} checks
 * that the Host knows the verifier and the same binding; only then is {@link #sessionKey()} available.
 * The password copy is cleared once {@link #respond} has used it, or by {@link #clear()}.
 * Not thread-safe; not reusable.
 */
public final class SrpClient {

    private enum State { NEW, RESPONDED, SUCCEEDED, FAILED }

    private final byte[] identityBytes;
    private final char[] password;
    private final SecureRandom random;
    private State state = State.NEW;
    private BigInteger privateValue;
    private BigInteger clientPublic;
    private byte[] expectedServerProof;
    private byte[] sessionKey;

    /**
     * Starts an attempt.
     *
     * @param identity the identity to log in as
     * @param password the password; copied, the caller may clear its array
     * @param random source of the ephemeral secret a
     */
    public SrpClient(String identity, char[] password, SecureRandom random) {
        this.identityBytes = Srp6a.identityBytes(identity);
        this.password = Objects.requireNonNull(password, "password").clone();
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Chooses the ephemeral secret a and computes A = g^a mod N, which depend on nothing from the Host
     * or the password: a Guest may compute them while the connection is being made. {@link #respond}
     * calls it when it was not called. It may run on another thread than {@code respond} when the two
     * are ordered by a happens-before edge (a future's result).
     *
     * @return A
     * @throws IllegalStateException after {@link #respond} or {@link #clear()}
     */
    public BigInteger prepare() {
        if (state != State.NEW) {
            throw new IllegalStateException("attempt already used or cleared");
        }
        return ephemeral();
    }

    private BigInteger ephemeral() {
        if (clientPublic == null) {
            BigInteger a = Srp6a.ephemeralSecret(random);
            clientPublic = Srp6a.GROUP.getG().modPow(a, Srp6a.N);
            privateValue = a;
        }
        return clientPublic;
    }

    /**
     * Computes A and the client proof for the Host's challenge.
     *
     * @param challenge the Host's challenge
     * @param binding the 32-byte key-exchange transcript hash this side computed
     * @return the response to send to the Host
     * @throws AuthenticationFailed if the challenge is out of bounds or B mod N = 0
     * @throws IllegalStateException if called twice or after {@link #clear()}
     */
    public ClientResponse respond(Challenge challenge, byte[] binding) throws AuthenticationFailed {
        return respond(challenge, binding, null);
    }

    /**
     * Computes A and the client proof for the Host's challenge, with the pre-hash computed ahead when it
     * was made for this identity and exactly the challenge's parameters and salt; otherwise Argon2id runs
     * here. The challenge's bounds are checked first, before any work; {@code ahead} is cleared in any case.
     *
     * @param challenge the Host's challenge
     * @param binding the 32-byte key-exchange transcript hash this side computed
     * @param ahead the pre-hash computed ahead, or null
     * @return the response to send to the Host
     * @throws AuthenticationFailed if the challenge is out of bounds or B mod N = 0
     * @throws IllegalStateException if called twice or after {@link #clear()}
     */
    public ClientResponse respond(Challenge challenge, byte[] binding, Prehash ahead) throws AuthenticationFailed {
        try {
            Objects.requireNonNull(challenge, "challenge");
            Srp6a.checkBinding(binding);
            if (state != State.NEW) {
                throw new IllegalStateException("attempt already used or cleared");
            }
            state = State.FAILED;
            byte[] salt = challenge.salt();
            try {
                Challenge.checkBounds(challenge.memoryKiB(), challenge.iterations(), challenge.parallelism(),
                        salt.length);
            } catch (IllegalArgumentException e) {
                throw new AuthenticationFailed("Host sent unacceptable password parameters: " + e.getMessage());
            }
            BigInteger b = challenge.serverPublic();
            if (!Srp6a.inGroupRange(b)) {
                throw new AuthenticationFailed("invalid server public value");
            }
            BigInteger[] xv = ahead != null && ahead.matches(identityBytes, challenge) ? ahead.values() : null;
            if (xv == null) {
                byte[] hash = Srp6a.argon2id(password, salt, challenge.memoryKiB(), challenge.iterations(),
                        challenge.parallelism());
                try {
                    BigInteger x = SRP6Util.calculateX(new SHA256Digest(), Srp6a.N, salt, identityBytes, hash);
                    xv = new BigInteger[] {x, Srp6a.GROUP.getG().modPow(x, Srp6a.N)};
                } finally {
                    Arrays.fill(hash, (byte) 0);
                }
            }
            BigInteger a = ephemeral();
            BigInteger ephemeral = privateValue;
            privateValue = null;
            BigInteger u = SRP6Util.calculateU(new SHA256Digest(), Srp6a.N, a, b);
            if (u.signum() == 0) {
                throw new AuthenticationFailed("invalid server public value");
            }
            // S = (B - k g^x)^(a + u x) mod N, as BouncyCastle's SRP6Client computes it
            BigInteger base = b.subtract(Srp6a.K.multiply(xv[1]).mod(Srp6a.N)).mod(Srp6a.N);
            if (base.signum() == 0) {
                throw new AuthenticationFailed("invalid server public value");
            }
            BigInteger secret = base.modPow(u.multiply(xv[0]).add(ephemeral), Srp6a.N);
            byte[] k = Srp6a.sessionHash(secret);
            try {
                byte[] proof = Srp6a.clientProof(k, binding, a, b);
                expectedServerProof = Srp6a.serverProof(k, binding, a, b, proof);
                sessionKey = Srp6a.sessionKey(k, binding);
                state = State.RESPONDED;
                return new ClientResponse(a, proof);
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        } finally {
            Arrays.fill(password, '\0');
            if (ahead != null) {
                ahead.clear();
            }
        }
    }

    /**
     * Checks the Host's proof, which shows the Host holds the verifier and the same binding.
     *
     * @param serverProof the proof returned by the Host's {@link SrpServer#verify}
     * @throws AuthenticationFailed if the proof is wrong
     * @throws IllegalStateException unless {@link #respond} succeeded and this was not yet called
     */
    public void verifyServer(byte[] serverProof) throws AuthenticationFailed {
        Objects.requireNonNull(serverProof, "serverProof");
        if (state != State.RESPONDED) {
            throw new IllegalStateException("no response pending");
        }
        boolean ok = MessageDigest.isEqual(expectedServerProof, serverProof);
        Arrays.fill(expectedServerProof, (byte) 0);
        if (!ok) {
            state = State.FAILED;
            Arrays.fill(sessionKey, (byte) 0);
            throw new AuthenticationFailed("Host could not prove knowledge of the password verifier");
        }
        state = State.SUCCEEDED;
    }

    /**
     * The 32-byte session key, equal to the Host's {@link SrpServer#sessionKey()}.
     *
     * @return a copy of the key
     * @throws IllegalStateException unless {@link #verifyServer} succeeded
     */
    public byte[] sessionKey() {
        if (state != State.SUCCEEDED) {
            throw new IllegalStateException("Host not verified");
        }
        return sessionKey.clone();
    }

    /** Clears the password copy and any derived key material; the attempt can no longer be used. */
    public void clear() {
        Arrays.fill(password, '\0');
        privateValue = null;
        if (expectedServerProof != null) {
            Arrays.fill(expectedServerProof, (byte) 0);
        }
        if (sessionKey != null) {
            Arrays.fill(sessionKey, (byte) 0);
        }
        state = State.FAILED;
    }

    @Override
    public String toString() {
        return "SrpClient[" + state + "]";
    }
}
