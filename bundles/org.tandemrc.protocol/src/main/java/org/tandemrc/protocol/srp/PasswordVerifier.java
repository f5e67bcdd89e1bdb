package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import org.bouncycastle.crypto.agreement.srp.SRP6VerifierGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.BigIntegers;

/**
 * What a Host stores for one identity instead of a password: the Argon2id parameters and salt, and the
 * SRP-6a verifier v = g^x mod N where x is derived from the identity and the Argon2id hash of the
 * password. Knowing a verifier does not let anyone log in without an offline dictionary attack.
 *
 * <p>Text form (one line): {@code srp6a-argon2id$m=19456,t=2,p=1$<salt base64>$<verifier base64>}.
 */
public final class PasswordVerifier {

    private static final String SCHEME = "srp6a-argon2id";
    /** Longest acceptable text; checked before any parsing. */
    private static final int MAX_TEXT_LENGTH = 1024;
    private static final int MAX_SALT_BASE64 = 4 * ((Srp6a.MAX_SALT_LENGTH + 2) / 3);
    private static final int MAX_VERIFIER_BASE64 = 4 * ((Srp6a.PAD_LENGTH + 2) / 3);

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final byte[] salt;
    private final BigInteger verifier;

    private PasswordVerifier(int memoryKiB, int iterations, int parallelism, byte[] salt, BigInteger verifier) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.salt = salt;
        this.verifier = verifier;
    }

    /**
     * Creates a verifier with the default Argon2id parameters (19456 KiB, 2 iterations, 1 lane) and a
     * fresh 16-byte salt. Takes about a tenth of a second.
     *
     * @param identity the identity the Guest will log in with
     * @param password the password; not modified, the caller should clear it
     * @param random source of the salt
     * @return the verifier to store
     */
    public static PasswordVerifier create(String identity, char[] password, SecureRandom random) {
        return create(identity, password, random,
                Srp6a.DEFAULT_MEMORY_KIB, Srp6a.DEFAULT_ITERATIONS, Srp6a.DEFAULT_PARALLELISM);
    }

    /**
     * Creates a verifier with explicit Argon2id parameters and a fresh 16-byte salt.
     *
     * @param identity the identity the Guest will log in with
     * @param password the password; not modified, the caller should clear it
     * @param random source of the salt
     * @param memoryKiB Argon2id memory, 1024..1048576 KiB
     * @param iterations Argon2id iterations, 1..10
     * @param parallelism Argon2id lanes, 1..4
     * @return the verifier to store
     * @throws IllegalArgumentException if a parameter is out of range or the password is not valid Unicode
     */
    public static PasswordVerifier create(String identity, char[] password, SecureRandom random,
            int memoryKiB, int iterations, int parallelism) {
        Challenge.checkBounds(memoryKiB, iterations, parallelism, Srp6a.DEFAULT_SALT_LENGTH);
        byte[] identityBytes = Srp6a.identityBytes(identity);
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[Srp6a.DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        byte[] hash = Srp6a.argon2id(password, salt, memoryKiB, iterations, parallelism);
        try {
            BigInteger v = generate(salt, identityBytes, hash);
            return new PasswordVerifier(memoryKiB, iterations, parallelism, salt, v);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /**
     * Reassembles a verifier from its parts, with the same bounds as {@link #decode}.
     *
     * @param memoryKiB Argon2id memory, 1024..1048576 KiB
     * @param iterations Argon2id iterations, 1..10
     * @param parallelism Argon2id lanes, 1..4
     * @param salt 16..64 bytes; copied
     * @param verifier the SRP verifier, 0 &lt; v &lt; N
     * @return the verifier
     * @throws IllegalArgumentException if a value is out of range
     */
    public static PasswordVerifier of(int memoryKiB, int iterations, int parallelism, byte[] salt,
            BigInteger verifier) {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(verifier, "verifier");
        Challenge.checkBounds(memoryKiB, iterations, parallelism, salt.length);
        if (!Srp6a.inGroupRange(verifier)) {
            throw new IllegalArgumentException("verifier must satisfy 0 < v < N");
        }
        return new PasswordVerifier(memoryKiB, iterations, parallelism, salt.clone(), verifier);
    }

    /** v = g^x mod N with BouncyCastle's x = H(salt | H(identity ":" argon2id(password))). */
    static BigInteger generate(byte[] salt, byte[] identityBytes, byte[] argonOutput) {
        SRP6VerifierGenerator generator = new SRP6VerifierGenerator();
        generator.init(Srp6a.GROUP, new SHA256Digest());
        return generator.generateVerifier(salt, identityBytes, argonOutput);
    }

    /**
     * Parses the text form strictly. All bounds (m 1024..1048576 KiB, t 1..10, p 1..4, salt 16..64
     * bytes, verifier 1..384 bytes with 0 &lt; v &lt; N) are checked before anything is allocated
     * according to them.
     *
     * @param text the output of {@link #encode()}
     * @return the verifier
     * @throws IllegalArgumentException with a message naming what is malformed
     */
    public static PasswordVerifier decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("verifier text is missing");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("verifier text longer than " + MAX_TEXT_LENGTH + " characters");
        }
        String[] fields = text.split("\\$", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException(
                    "verifier text must have 4 '$'-separated fields, found " + fields.length);
        }
        if (!SCHEME.equals(fields[0])) {
            throw new IllegalArgumentException("unknown verifier scheme, expected " + SCHEME);
        }
        String[] params = fields[1].split(",", -1);
        if (params.length != 3) {
            throw new IllegalArgumentException("parameters must be m=<KiB>,t=<iterations>,p=<lanes>");
        }
        long m = parseParam(params[0], "m");
        long t = parseParam(params[1], "t");
        long p = parseParam(params[2], "p");
        Challenge.checkRange("memory (m, KiB)", m, Srp6a.MIN_MEMORY_KIB, Srp6a.MAX_MEMORY_KIB);
        Challenge.checkRange("iterations (t)", t, Srp6a.MIN_ITERATIONS, Srp6a.MAX_ITERATIONS);
        Challenge.checkRange("parallelism (p)", p, Srp6a.MIN_PARALLELISM, Srp6a.MAX_PARALLELISM);

        byte[] salt = decodeBase64(fields[2], "salt", MAX_SALT_BASE64);
        Challenge.checkRange("salt length (bytes)", salt.length, Srp6a.MIN_SALT_LENGTH, Srp6a.MAX_SALT_LENGTH);
        byte[] v = decodeBase64(fields[3], "verifier", MAX_VERIFIER_BASE64);
        Challenge.checkRange("verifier length (bytes)", v.length, 1, Srp6a.PAD_LENGTH);
        if (v[0] == 0) {
            throw new IllegalArgumentException("verifier has a leading zero byte (not canonical)");
        }
        BigInteger verifier = new BigInteger(1, v);
        if (!Srp6a.inGroupRange(verifier)) {
            throw new IllegalArgumentException("verifier must satisfy 0 < v < N");
        }
        return new PasswordVerifier((int) m, (int) t, (int) p, salt, verifier);
    }

    private static long parseParam(String field, String name) {
        String prefix = name + "=";
        if (!field.startsWith(prefix)) {
            throw new IllegalArgumentException("expected parameter " + prefix + "<number>, found '"
                    + abbreviate(field) + "'");
        }
        String digits = field.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 10) {
            throw new IllegalArgumentException("parameter " + name + " must be a decimal number of 1 to 10 digits");
        }
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            throw new IllegalArgumentException("parameter " + name + " has leading zeros");
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("parameter " + name + " must be a decimal number");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] decodeBase64(String field, String name, int maxChars) {
        if (field.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        if (field.length() > maxChars) {
            throw new IllegalArgumentException(name + " too long: more than " + maxChars + " base64 characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(field)) {
            throw new IllegalArgumentException(name + " is not canonical padded base64");
        }
        return bytes;
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }

    /**
     * Returns the text form, one line without secrets beyond the verifier itself.
     *
     * @return {@code srp6a-argon2id$m=..,t=..,p=..$<salt base64>$<verifier base64>}
     */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(BigIntegers.asUnsignedByteArray(verifier));
    }

    /**
     * Argon2id memory.
     *
     * @return memory in KiB
     */
    public int memoryKiB() {
        return memoryKiB;
    }

    /**
     * Argon2id iterations.
     *
     * @return the iteration count
     */
    public int iterations() {
        return iterations;
    }

    /**
     * Argon2id lanes.
     *
     * @return the parallelism
     */
    public int parallelism() {
        return parallelism;
    }

    /**
     * The salt of Argon2id and of SRP's x.
     *
     * @return a copy of the salt
     */
    public byte[] salt() {
        return salt.clone();
    }

    /**
     * The SRP verifier v.
     *
     * @return v, 0 &lt; v &lt; N
     */
    public BigInteger verifier() {
        return verifier;
    }

    byte[] saltUnsafe() {
        return salt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordVerifier other
                && memoryKiB == other.memoryKiB
                && iterations == other.iterations
                && parallelism == other.parallelism
                && Arrays.equals(salt, other.salt)
                && verifier.equals(other.verifier);
    }

    @Override
    public int hashCode() {
        return Objects.hash(memoryKiB, iterations, parallelism, Arrays.hashCode(salt), verifier);
    }

    /** Describes the parameters only; never the verifier (nor the salt). */
    @Override
    public String toString() {
        return "PasswordVerifier[" + SCHEME + ", m=" + memoryKiB + ", t=" + iterations + ", p=" + parallelism + "]";
    }
}
