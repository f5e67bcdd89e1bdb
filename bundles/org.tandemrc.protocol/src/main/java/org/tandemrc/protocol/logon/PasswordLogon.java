package org.tandemrc.protocol.logon;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;

/**
 * The values of a logon whose method must see the password itself (a directory bind, PAM) and of a
 * second factor, in the names an {@link org.tandemrc.api.security.Authenticator} and the Guest share.
 * Such a password travels only inside the connection's encryption, and only to a Host whose key the Guest
 * has pinned; the method must never store or log it.
 *
 * <ul>
 * <li>challenge {@value #KIND} = {@value #KIND_PASSWORD}: the Guest answers with {@value #PASSWORD}
 * (UTF-8) instead of an SRP proof. Absent: the SRP challenge of {@link SrpAuthenticator}.
 * <li>challenge {@value #OTP} = {@code 1}: the proof must also carry {@value #OTP}, the one-time code
 * (6 to 8 digits), whatever the kind.
 * </ul>
 */
public final class PasswordLogon {

    public static final String KIND = "kind";
    public static final String KIND_PASSWORD = "password";
    public static final String PASSWORD = "password";
    public static final String OTP = "otp";
    /** The longest password accepted, in UTF-8 bytes. */
    public static final int MAX_PASSWORD_BYTES = 512;

    private PasswordLogon() {
    }

    /** A challenge asking for the password itself, and a one-time code when {@code otp}. */
    public static Map<String, byte[]> challenge(boolean otp) {
        return otp ? Map.of(KIND, bytes(KIND_PASSWORD), OTP, bytes("1")) : Map.of(KIND, bytes(KIND_PASSWORD));
    }

    /** Whether a challenge asks for the password itself. */
    public static boolean asksForPassword(Map<String, byte[]> challenge) {
        return Arrays.equals(challenge.get(KIND), bytes(KIND_PASSWORD));
    }

    /** Whether a challenge asks for a one-time code too. */
    public static boolean asksForCode(Map<String, byte[]> challenge) {
        return Arrays.equals(challenge.get(OTP), bytes("1"));
    }

    /**
     * The password of a proof, as characters the caller clears after use.
     *
     * @return empty when the proof carries none, or one longer than {@value #MAX_PASSWORD_BYTES} bytes or
     *         with a NUL (a directory would cut it there)
     */
    public static Optional<char[]> password(Map<String, byte[]> proof) {
        byte[] b = proof.get(PASSWORD);
        if (b == null || b.length == 0 || b.length > MAX_PASSWORD_BYTES) {
            return Optional.empty();
        }
        for (byte x : b) {
            if (x == 0) {
                return Optional.empty();
            }
        }
        java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(b));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        Arrays.fill(chars.array(), '\0');
        return Optional.of(out);
    }

    /** The one-time code of a proof: 6 to 8 ASCII digits, else empty. */
    public static Optional<String> code(Map<String, byte[]> proof) {
        byte[] b = proof.get(OTP);
        if (b == null || b.length < 6 || b.length > 8) {
            return Optional.empty();
        }
        for (byte x : b) {
            if (x < '0' || x > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(new String(b, StandardCharsets.US_ASCII));
    }

    /**
     * The exchange of a method that must see the password (a directory, PAM): its challenge asks for the
     * password (a second factor is for whoever adds one), a proof without a usable password is denied
     * without calling {@code check}, and the password's characters are cleared once {@code check} returns.
     *
     * @param check the method's check of the password; never keeps or logs it
     */
    public static Authenticator.Exchange exchange(Function<char[], AuthResult> check) {
        return new Authenticator.Exchange() {
            @Override
            public Map<String, byte[]> challenge() {
                return PasswordLogon.challenge(false);
            }

            @Override
            public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                Optional<char[]> password = password(proof);
                if (password.isEmpty()) {
                    return AuthResult.denied("malformed proof: no password");
                }
                try {
                    return check.apply(password.get());
                } finally {
                    Arrays.fill(password.get(), '\0');
                }
            }
        };
    }

    /** A password's UTF-8 bytes (as the wire and C libraries take it); the caller clears them after use. */
    public static byte[] utf8(char[] password) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
