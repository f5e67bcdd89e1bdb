package org.tandemrc.api.consent;

import java.time.Duration;
import java.util.Objects;

/**
 * A question for the person at the Host.
 *
 * @param kind      what is asked
 * @param guestName who asks, as authenticated
 * @param detail    more context in one sentence (the session type, the files), may be empty
 * @param timeout   how long to wait before the request counts as {@link ConsentDecision#TIMED_OUT}
 */
public record ConsentRequest(ConsentKind kind, String guestName, String detail, Duration timeout) {
    public ConsentRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(guestName, "guestName");
        Objects.requireNonNull(detail, "detail");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive");
        }
    }
}
