package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.SRP6GroupParameters;
import org.bouncycastle.util.BigIntegers;

/** Shared constants and primitives of the SRP-6a exchange (package-private). */
final class Srp6a {

    static final SRP6GroupParameters GROUP = SRP6StandardGroups.rfc5054_3072;
    static final BigInteger N = GROUP.getN();
    /** The SRP-6a multiplier k = H(N | pad(g)). */
    static final BigInteger K = org.bouncycastle.crypto.agreement.srp.SRP6Util.calculateK(new SHA256Digest(), N,
            GROUP.getG());
    /**
     * Bits of the ephemeral secrets a and b: 384, above RFC 5054's "at least 256 bits" and RFC 7919's 275
     * bits for a 3072-bit group; the best attack on such an exponent (Pollard's kangaroo, 2^192) costs more
     * than the group's own 128-bit strength. A full-length exponent (3072 bits) bought no strength and cost
     * eight times as much in each of the four large exponentiations of a logon.
     */
    static final int EPHEMERAL_BITS = 384;
    /** Length of N in bytes; every group element is padded to this length. */
    static final int PAD_LENGTH = 3072 / 8;
    static final int HASH_LENGTH = 32;
    static final int ARGON2_OUTPUT_LENGTH = 32;

    static final int DEFAULT_MEMORY_KIB = 19456;
    static final int DEFAULT_ITERATIONS = 2;
    static final int DEFAULT_PARALLELISM = 1;
    static final int DEFAULT_SALT_LENGTH = 16;

    static final int MIN_MEMORY_KIB = 1024;
    static final int MAX_MEMORY_KIB = 1048576;
    static final int MIN_ITERATIONS = 1;
    static final int MAX_ITERATIONS = 10;
    static final int MIN_PARALLELISM = 1;
    static final int MAX_PARALLELISM = 4;
    static final int MIN_SALT_LENGTH = 16;
    static final int MAX_SALT_LENGTH = 64;

    private static final byte[] CLIENT_LABEL = ascii("tandem srp client");
    private static final byte[] SERVER_LABEL = ascii("tandem srp server");
    private static final byte[] KEY_LABEL = ascii("tandem srp key");

    private Srp6a() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] identityBytes(String identity) {
        if (identity == null) {
            throw new NullPointerException("identity");
        }
        return identity.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh ephemeral secret of exactly {@link #EPHEMERAL_BITS} bits (top bit set). */
    static BigInteger ephemeralSecret(java.security.SecureRandom random) {
        return new BigInteger(EPHEMERAL_BITS - 1, random).setBit(EPHEMERAL_BITS - 1);
    }

    /** True if {@code value} is a group element usable as a public value: 0 &lt; value &lt; N. */
    static boolean inGroupRange(BigInteger value) {
        return value != null && value.signum() > 0 && value.compareTo(N) < 0;
    }

    /** Fixed-length unsigned big-endian encoding; {@code value} must be in [0, 2^3072). */
    static byte[] pad(BigInteger value) {
        return BigIntegers.asUnsignedByteArray(PAD_LENGTH, value);
    }

    /** Strict UTF-8 encoding of a password into a fresh array the caller must clear. */
    static byte[] utf8(char[] password) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password is not valid Unicode text");
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return out;
    }

    /** Argon2id (version 0x13) of the UTF-8 password; returns 32 bytes the caller must clear. */
    static byte[] argon2id(char[] password, byte[] salt, int memoryKiB, int iterations, int parallelism) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism);
        Argon2Parameters parameters = builder.build();
        byte[] passwordBytes = utf8(password);
        byte[] out = new byte[ARGON2_OUTPUT_LENGTH];
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            generator.generateBytes(passwordBytes, out);
            return out;
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            parameters.clear();
            builder.clear();
        }
    }

    /** K = SHA-256(pad(S)). */
    static byte[] sessionHash(BigInteger secret) {
        byte[] padded = pad(secret);
        SHA256Digest digest = new SHA256Digest();
        digest.update(padded, 0, padded.length);
        byte[] out = new byte[HASH_LENGTH];
        digest.doFinal(out, 0);
        Arrays.fill(padded, (byte) 0);
        return out;
    }

    static byte[] clientProof(byte[] k, byte[] binding, BigInteger a, BigInteger b) {
        return hmac(k, CLIENT_LABEL, binding, pad(a), pad(b));
    }

    static byte[] serverProof(byte[] k, byte[] binding, BigInteger a, BigInteger b, byte[] clientProof) {
        return hmac(k, SERVER_LABEL, binding, pad(a), pad(b), clientProof);
    }

    static byte[] sessionKey(byte[] k, byte[] binding) {
        return hmac(k, KEY_LABEL, binding);
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    static void checkBinding(byte[] binding) {
        if (binding == null || binding.length != HASH_LENGTH) {
            throw new IllegalArgumentException("binding must be " + HASH_LENGTH + " bytes");
        }
    }
}
