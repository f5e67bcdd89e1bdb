package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.agreement.srp.SRP6Util;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * The password-derived part of an SRP answer, x = H(salt | H(identity ":" Argon2id(password))) and
 * g^x, computed for the Argon2id parameters and salt a Guest expects before the Host's {@link Challenge}
 * arrives, so that the Argon2id cost overlaps the connection's round trips instead of following them.
 * {@link SrpClient#respond(Challenge, byte[], Prehash)} uses it only when the challenge asks for exactly
 * these parameters and salt, and clears it either way: it lives no longer than the logon it was made
 * for. The parameters are bounded like a challenge's before any work. Thread-safe.
 */
public final class Prehash {

    private final byte[] identityBytes;
    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final byte[] salt;
    /** Guarded by this; null once cleared. */
    private BigInteger x;
    private BigInteger gx;

    private Prehash(byte[] identityBytes, int memoryKiB, int iterations, int parallelism, byte[] salt, BigInteger x,
            BigInteger gx) {
        this.identityBytes = identityBytes;
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.salt = salt;
        this.x = x;
        this.gx = gx;
    }

    /**
     * Runs Argon2id and derives x and g^x (the cost of a whole pre-hash; run it off any network thread).
     *
     * @param identity the identity the Guest logs on as
     * @param password not modified; the caller clears it
     * @throws IllegalArgumentException when a parameter is out of the bounds of {@link Challenge#checkBounds}
     *                                  (checked before any work) or the password is not valid Unicode
     */
    public static Prehash compute(String identity, char[] password, int memoryKiB, int iterations, int parallelism,
            byte[] salt) {
        Objects.requireNonNull(password, "password");
        byte[] identityBytes = Srp6a.identityBytes(identity);
        byte[] s = Objects.requireNonNull(salt, "salt").clone();
        Challenge.checkBounds(memoryKiB, iterations, parallelism, s.length);
        byte[] hash = Srp6a.argon2id(password, s, memoryKiB, iterations, parallelism);
        try {
            BigInteger x = SRP6Util.calculateX(new SHA256Digest(), Srp6a.N, s, identityBytes, hash);
            return new Prehash(identityBytes, memoryKiB, iterations, parallelism, s, x, Srp6a.GROUP.getG().modPow(x, Srp6a.N));
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /** Whether this pre-hash was made for {@code identity} and the challenge's parameters and salt, and is not cleared. */
    synchronized boolean matches(byte[] identity, Challenge c) {
        return x != null && Arrays.equals(identityBytes, identity) && c.memoryKiB() == memoryKiB
                && c.iterations() == iterations && c.parallelism() == parallelism
                && Arrays.equals(c.salt(), salt);
    }

    /** x and g^x, or null once cleared. */
    synchronized BigInteger[] values() {
        return x == null ? null : new BigInteger[] {x, gx};
    }

    /** Drops the password-derived values. */
    public synchronized void clear() {
        x = null;
        gx = null;
    }

    /** Whether {@link #clear} ran (a logon used or discarded this pre-hash). */
    public synchronized boolean isCleared() {
        return x == null;
    }

    @Override
    public String toString() {
        return "Prehash[m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism + (isCleared() ? ", cleared]" : "]");
    }
}
