package org.tandemrc.api.consent;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.security.Role;

/**
 * A question for the person at the Host.
 *
 * @param kind      what is asked
 * @param guestName who asks, as authenticated
 * @param detail    more context in one sentence (the session type, the files), may be empty
 * @param timeout   how long to wait before the request counts as {@link ConsentDecision#TIMED_OUT}
 * @param address   where the Guest connects from, as its link reports it; may be empty
 * @param role      the Guest's role on this Host (what it allows), or null when the asker does not know it
 */
public record ConsentRequest(ConsentKind kind, String guestName, String detail, Duration timeout, String address,
        @Nullable Role role) {
    public ConsentRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(guestName, "guestName");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(address, "address");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
    }

    /** A question that names neither the Guest's address nor its role. */
    public ConsentRequest(ConsentKind kind, String guestName, String detail, Duration timeout) {
        this(kind, guestName, detail, timeout, "", null);
    }
}
