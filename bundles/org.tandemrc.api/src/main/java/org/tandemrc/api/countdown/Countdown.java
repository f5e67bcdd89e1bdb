package org.tandemrc.api.countdown;

import java.time.Duration;
import java.util.Objects;

/**
 * What the person at the Host is told before it happens.
 *
 * @param what      what will happen, in words ("The computer restarts")
 * @param message   the Guest's own words, shown as plain text (never markup)
 * @param guestName who asked, in words: the Guest's name where the tool has it (a stream's), else what it
 *                  knows ("A Guest")
 * @param left      how long until it happens
 * @param postpone  how long "Postpone" delays it; {@link Duration#ZERO} when the person may not postpone
 */
public record Countdown(String what, String message, String guestName, Duration left, Duration postpone) {
    public Countdown {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(guestName, "guestName");
        if (left.isNegative() || postpone.isNegative()) {
            throw new IllegalArgumentException("a countdown does not run backwards");
        }
    }

    /** Whether the person may postpone it. */
    public boolean postponable() {
        return !postpone.isZero();
    }
}
