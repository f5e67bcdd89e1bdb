package org.tandemrc.api.security;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one authentication attempt.
 *
 * @param identity present when the attempt succeeded
 * @param failure  present when it failed: why, for the node's event log ({@code unknown user},
 *                 {@code wrong password}); the client is told only the node's one wording for every
 *                 failure, so that it cannot tell an unknown name from a wrong password
 * @param answer   on success, what the node sends back or keeps (for SRP the server proof {@code M2}
 *                 and the session key {@code K}); empty on failure
 */
public record AuthResult(Optional<Identity> identity, Optional<String> failure, Map<String, byte[]> answer) {

    public AuthResult {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(failure, "failure");
        if (identity.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("exactly one of identity and failure");
        }
        answer = Map.copyOf(answer);
    }

    /** A successful attempt, with what the node answers or keeps. */
    public static AuthResult granted(Identity identity, Map<String, byte[]> answer) {
        return new AuthResult(Optional.of(identity), Optional.empty(), answer);
    }

    /** A successful attempt with nothing to answer. */
    public static AuthResult granted(Identity identity) {
        return granted(identity, Map.of());
    }

    /** A failed attempt. */
    public static AuthResult denied(String why) {
        return new AuthResult(Optional.empty(), Optional.of(why), Map.of());
    }

    /** Whether the attempt succeeded. */
    public boolean granted() {
        return identity.isPresent();
    }
}
