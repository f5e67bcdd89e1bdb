package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Sent by the Host to the Guest: the Argon2id parameters and salt of the stored verifier, and the SRP
 * server public value B. The record does not bound its values because it may come from a hostile
 * Host; {@link SrpClient} checks them with {@link #checkBounds} before doing any work.
 *
 * @param memoryKiB Argon2id memory in KiB
 * @param iterations Argon2id iterations
 * @param parallelism Argon2id lanes
 * @param salt the verifier's salt
 * @param serverPublic the SRP public value B
 */
public record Challenge(int memoryKiB, int iterations, int parallelism, byte[] salt, BigInteger serverPublic) {

    /**
     * Creates a challenge; the salt array is copied.
     *
     * @param memoryKiB Argon2id memory in KiB
     * @param iterations Argon2id iterations
     * @param parallelism Argon2id lanes
     * @param salt the verifier's salt
     * @param serverPublic the SRP public value B
     */
    public Challenge {
        salt = Objects.requireNonNull(salt, "salt").clone();
        Objects.requireNonNull(serverPublic, "serverPublic");
    }

    /**
     * Returns the salt.
     *
     * @return a copy of the salt
     */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /**
     * Checks Argon2id parameters and salt length against the accepted bounds: memory 1024..1048576 KiB,
     * iterations 1..10, parallelism 1..4, salt 16..64 bytes. Used for stored verifiers and for
     * challenges received from a Host, so that a hostile Host cannot make a Guest allocate unbounded
     * memory or spin for a long time.
     *
     * @param memoryKiB Argon2id memory in KiB
     * @param iterations Argon2id iterations
     * @param parallelism Argon2id lanes
     * @param saltLength salt length in bytes
     * @throws IllegalArgumentException naming the first value out of range
     */
    public static void checkBounds(int memoryKiB, int iterations, int parallelism, int saltLength) {
        checkRange("memory (m, KiB)", memoryKiB, Srp6a.MIN_MEMORY_KIB, Srp6a.MAX_MEMORY_KIB);
        checkRange("iterations (t)", iterations, Srp6a.MIN_ITERATIONS, Srp6a.MAX_ITERATIONS);
        checkRange("parallelism (p)", parallelism, Srp6a.MIN_PARALLELISM, Srp6a.MAX_PARALLELISM);
        checkRange("salt length (bytes)", saltLength, Srp6a.MIN_SALT_LENGTH, Srp6a.MAX_SALT_LENGTH);
    }

    static void checkRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " out of range " + min + ".." + max);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Challenge other
                && memoryKiB == other.memoryKiB
                && iterations == other.iterations
                && parallelism == other.parallelism
                && Arrays.equals(salt, other.salt)
                && serverPublic.equals(other.serverPublic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memoryKiB, iterations, parallelism, Arrays.hashCode(salt), serverPublic);
    }

    @Override
    public String toString() {
        return "Challenge[m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism + ", salt="
                + Base64.getEncoder().encodeToString(salt) + ", serverPublic=" + serverPublic.toString(16) + "]";
    }
}
