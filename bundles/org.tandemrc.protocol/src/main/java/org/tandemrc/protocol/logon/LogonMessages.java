package org.tandemrc.protocol.logon;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;

/**
 * The SRP logon's control messages, written and read in one place so that the Host, the Guest and the
 * tests that play either cannot drift apart: {@code auth.start} (method, and the Guest ID for
 * {@code guest-id}), {@code auth.challenge} (Argon2id {@code m}, {@code t}, {@code p}, {@code salt}, the
 * SRP value {@code B}) and {@code auth.proof} ({@code A}, {@code proof}); or, for a method that must see
 * the password itself ({@link PasswordLogon}), {@code auth.challenge} with {@code kind=password} and
 * {@code auth.proof} with {@code password}. Either challenge may carry {@code otp=1}, and then its proof
 * the one-time code {@code otp}.
 */
public final class LogonMessages {

    /** The longest SRP public value accepted, in bytes: the group is 3072 bits (384 bytes). */
    public static final int MAX_PUBLIC_BYTES = 384;

    private LogonMessages() {
    }

    /**
     * The Guest's first logon message.
     *
     * @param guestId the Guest ID, or null for the shared password
     * @return {@code auth.start}
     */
    public static ControlMessage start(String guestId) {
        ControlMessage start = ControlMessage.of("auth.start").with("method", guestId == null ? "shared-password" : "guest-id");
        return guestId == null ? start : start.with("id", guestId);
    }

    /**
     * The Host's challenge on the wire.
     *
     * @param challenge the challenge of the stored verifier
     * @return {@code auth.challenge}
     */
    public static ControlMessage challenge(Challenge challenge) {
        return ControlMessage.of("auth.challenge").with("m", challenge.memoryKiB()).with("t", challenge.iterations())
                .with("p", challenge.parallelism()).with("salt", challenge.salt()).with("B", challenge.serverPublic());
    }

    /**
     * Reads a challenge a Host sent; its values are checked again by {@code SrpClient} before any work.
     *
     * @param message an {@code auth.challenge}
     * @return the challenge
     * @throws ProtocolException when a field is missing, not a number or too long
     */
    public static Challenge challenge(ControlMessage message) throws ProtocolException {
        return new Challenge(message.integer("m", 1, Integer.MAX_VALUE), message.integer("t", 1, Integer.MAX_VALUE),
                message.integer("p", 1, Integer.MAX_VALUE), message.bytes("salt"),
                message.bigInteger("B", MAX_PUBLIC_BYTES));
    }

    /**
     * The Guest's answer to a challenge.
     *
     * @param response the SRP client's response
     * @return {@code auth.proof}
     */
    public static ControlMessage proof(ClientResponse response) {
        return ControlMessage.of("auth.proof").with("A", response.clientPublic()).with("proof", response.proof());
    }

    /**
     * Reads the Guest's answer to a challenge.
     *
     * @param message an {@code auth.proof}
     * @return the response
     * @throws ProtocolException when a field is missing or too long
     */
    public static ClientResponse proof(ControlMessage message) throws ProtocolException {
        return new ClientResponse(message.bigInteger("A", MAX_PUBLIC_BYTES), message.bytes("proof"));
    }

    /**
     * The Host's challenge on the wire for the values of its access method: SRP, or the password itself
     * ({@link PasswordLogon#asksForPassword}); either with {@code otp=1} when the method asks for a code.
     *
     * @throws IllegalArgumentException when the values are neither: a method this wire cannot carry
     */
    public static ControlMessage challenge(Map<String, byte[]> values) {
        ControlMessage m = PasswordLogon.asksForPassword(values)
                ? ControlMessage.of("auth.challenge").with(PasswordLogon.KIND, PasswordLogon.KIND_PASSWORD)
                : challenge(SrpAuthenticator.challenge(values));
        return PasswordLogon.asksForCode(values) ? m.with(PasswordLogon.OTP, "1") : m;
    }

    /** The named values of a challenge a Host sent, for {@link PasswordLogon#asksForPassword} and its kin. */
    public static Map<String, byte[]> values(ControlMessage challenge) {
        Map<String, byte[]> v = new LinkedHashMap<>();
        for (String name : new String[] {PasswordLogon.KIND, PasswordLogon.OTP}) {
            byte[] b = challenge.fields().get(name);
            if (b != null) {
                v.put(name, b.clone());
            }
        }
        return v;
    }

    /**
     * The Guest's answer to a password challenge: the password in UTF-8, and the code when given. The
     * caller sends it and then {@link #clear clears} it.
     *
     * @param code the one-time code, or null
     */
    public static ControlMessage passwordProof(char[] password, String code) {
        byte[] b = PasswordLogon.utf8(password);
        ControlMessage m = ControlMessage.of("auth.proof").with(PasswordLogon.PASSWORD, b);
        Arrays.fill(b, (byte) 0);
        return code == null ? m : m.with(PasswordLogon.OTP, code);
    }

    /** Overwrites every value of a message that held a secret, once it was sent or read. */
    public static void clear(ControlMessage m) {
        m.fields().values().forEach(b -> Arrays.fill(b, (byte) 0));
    }

    /**
     * Reads the Guest's answer to a challenge into the named values the access method checks: the SRP
     * values ({@code A}, {@code M1}) or the password, with the one-time code when the challenge asked for
     * one. Every bound is checked here, before the method sees a byte.
     *
     * @param password whether the challenge asked for the password itself
     * @param code     whether the challenge asked for a one-time code
     * @throws ProtocolException when a value is missing, too long, or (the password) holds a NUL or is
     *                           not what the challenge asked for; its message never holds a value
     */
    public static Map<String, byte[]> proofValues(ControlMessage message, boolean password, boolean code)
            throws ProtocolException {
        Map<String, byte[]> v = new LinkedHashMap<>();
        if (password) {
            byte[] p = message.bytes(PasswordLogon.PASSWORD);
            if (message.fields().containsKey(SrpAuthenticator.CLIENT_PUBLIC)) {
                throw new ProtocolException("an SRP proof answered a password challenge");
            }
            v.put(PasswordLogon.PASSWORD, p);
            var checked = PasswordLogon.password(v);
            if (checked.isEmpty()) {
                Arrays.fill(p, (byte) 0);
                throw new ProtocolException("the password is empty, longer than " + PasswordLogon.MAX_PASSWORD_BYTES
                        + " bytes or holds a NUL");
            }
            Arrays.fill(checked.get(), '\0');
        } else {
            ClientResponse r = proof(message);
            if (r.proof().length > 64) {
                throw new ProtocolException("proof longer than 64 bytes");
            }
            v.putAll(SrpAuthenticator.values(r));
        }
        if (code) {
            v.put(PasswordLogon.OTP, message.bytes(PasswordLogon.OTP));
            if (PasswordLogon.code(v).isEmpty()) {
                v.values().forEach(b -> Arrays.fill(b, (byte) 0));
                throw new ProtocolException("the one-time code is not 6 to 8 digits");
            }
        }
        return v;
    }
}
