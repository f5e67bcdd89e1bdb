package org.tandemrc.api.countdown;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Shows a {@link Countdown} to the person at the Host, where a desktop can show it (a service only while
 * there is one).
 */
@ProviderType
public interface CountdownNotice {

    /** How the countdown ended for the person at the Host. */
    enum Answer {
        /** It ran out (or the person chose to go ahead now): it happens. */
        ELAPSED,
        /** The person postponed it by {@link Countdown#postpone()}. */
        POSTPONED
    }

    /**
     * Shows the countdown until it runs out or the person answers. Cancelling the returned future (the
     * Guest called it off) closes the window.
     */
    CompletableFuture<Answer> show(Countdown countdown);
}
