package org.tandemrc.api.security;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one authentication attempt.
 *
 * @param identity present when the attempt succeeded
 * @param failure  present when it failed: why, in words that may be shown to the Guest without
 *                 helping an attacker (no "unknown user" versus "wrong password")
 */
public record AuthResult(Optional<Identity> identity, Optional<String> failure) {

    public AuthResult {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(failure, "failure");
        if (identity.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("exactly one of identity and failure");
        }
    }

    /** A successful attempt. */
    public static AuthResult granted(Identity identity) {
        return new AuthResult(Optional.of(identity), Optional.empty());
    }

    /** A failed attempt. */
    public static AuthResult denied(String why) {
        return new AuthResult(Optional.empty(), Optional.of(why));
    }

    /** Whether the attempt succeeded. */
    public boolean granted() {
        return identity.isPresent();
    }
}
