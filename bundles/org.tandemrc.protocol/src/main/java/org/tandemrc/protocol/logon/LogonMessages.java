package org.tandemrc.protocol.logon;

import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;

/**
 * The SRP logon's control messages, written and read in one place so that the Host, the Guest and the
 * tests that play either cannot drift apart: {@code auth.start} (method, and the Guest ID for
 * {@code guest-id}), {@code auth.challenge} (Argon2id {@code m}, {@code t}, {@code p}, {@code salt}, the
 * SRP value {@code B}) and {@code auth.proof} ({@code A}, {@code proof}).
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
}
