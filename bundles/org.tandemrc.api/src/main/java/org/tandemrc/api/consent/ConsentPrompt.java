package org.tandemrc.api.consent;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Asks whether to save a file a Guest offers, and where, without blocking the caller. The Host writes
     * exactly there (refusing a link or a folder in the way) and writes nothing when the answer is empty.
     *
     * @return completes with the file to write (an absolute path the person chose or accepted), or empty when
     *         they cancelled, nobody answered within the request's timeout, or this prompt cannot choose a place
     *         (the default); never exceptionally
     */
    default CompletionStage<Optional<Path>> save(FileOffer offer) {
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
