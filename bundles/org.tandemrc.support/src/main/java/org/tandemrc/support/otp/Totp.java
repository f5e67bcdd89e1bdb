package org.tandemrc.support.otp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.OptionalLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time codes (RFC 6238): HMAC over the number of {@link #STEP_SECONDS}-second steps since
 * the epoch, truncated to {@link #DIGITS} digits as RFC 4226 says. A code is accepted for the step before
 * and after the current one (clocks drift), and {@link #check} returns the step it matched so that the
 * caller can refuse that step and every earlier one next time: a code is good once.
 *
 * @param secret    the shared secret (20 bytes for SHA-1, as authenticator apps expect)
 * @param algorithm {@code HmacSHA1}, {@code HmacSHA256} or {@code HmacSHA512}
 * @param digits    6 to 8
 */
public record Totp(byte[] secret, String algorithm, int digits) {

    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public Totp {
        secret = secret.clone();
        if (secret.length < 10) {
            throw new IllegalArgumentException("a TOTP secret must have at least 10 bytes");
        }
        if (!algorithm.equals("HmacSHA1") && !algorithm.equals("HmacSHA256") && !algorithm.equals("HmacSHA512")) {
            throw new IllegalArgumentException("unsupported TOTP algorithm " + algorithm);
        }
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("TOTP codes have 6 to 8 digits");
        }
    }

    /** The common form: HMAC-SHA1, 6 digits, 30-second steps. */
    public static Totp of(byte[] secret) {
        return new Totp(secret, "HmacSHA1", DIGITS);
    }

    /** A new random 20-byte secret. */
    public static byte[] newSecret(SecureRandom random) {
        byte[] s = new byte[20];
        random.nextBytes(s);
        return s;
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The step a time falls in. */
    public static long step(long epochSeconds) {
        return Math.floorDiv(epochSeconds, STEP_SECONDS);
    }

    /** The code of one step. */
    public String code(long step) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, algorithm));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            int mod = (int) Math.pow(10, digits);
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a code against the steps around {@code epochSeconds}, every candidate compared in the same
     * time whether it matches or not.
     *
     * @param lastUsed the step of the last code accepted for this secret, or -1: that step and earlier
     *                 ones are refused, so a code seen by someone else is worth nothing after its use
     * @return the step the code matched, or empty
     */
    public OptionalLong check(String code, long epochSeconds, long lastUsed) {
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long now = step(epochSeconds);
        long matched = -1;
        for (long s = now - 1; s <= now + 1; s++) {
            boolean same = MessageDigest.isEqual(given, code(s).getBytes(StandardCharsets.US_ASCII));
            if (same && s > lastUsed && matched < 0) {
                matched = s;
            }
        }
        return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /**
     * The URI an authenticator app enrols from (Google Authenticator's Key Uri Format), usually shown as a
     * QR code: {@code otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=...&digits=...&period=30}.
     */
    public String uri(String issuer, String account) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + encode(issuer) + "&algorithm="
                + algorithm.substring(4) + "&digits=" + digits + "&period=" + STEP_SECONDS;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** RFC 4648 base32 without padding, as authenticator apps take secrets. */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /**
     * Reads base32 (case, blanks and padding ignored).
     *
     * @throws IllegalArgumentException for a character outside the alphabet
     */
    public static byte[] fromBase32(String text) {
        String s = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: '" + c + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
