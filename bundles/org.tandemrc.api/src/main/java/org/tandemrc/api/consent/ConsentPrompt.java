package org.tandemrc.api.consent;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Asks the person at the Host (a console prompt, a desktop dialog, a tray notification). When
 * several prompts are registered, the Host uses the one with the highest service ranking.
 */
@ConsumerType
public interface ConsentPrompt {

    /**
     * Asks, without blocking the caller.
     *
     * @return completes with the answer, or with {@link ConsentDecision#TIMED_OUT} after the request's
     *         timeout; never exceptionally
     */
    CompletionStage<ConsentDecision> ask(ConsentRequest request);
}
