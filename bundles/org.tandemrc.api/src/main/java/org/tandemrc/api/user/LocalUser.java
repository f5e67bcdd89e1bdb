package org.tandemrc.api.user;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The person at this node, as one service. When several are registered, the one with the highest
 * service ranking is used.
 */
@ConsumerType
public interface LocalUser {

    /** Shows a one-way message, e.g. a Guest's "Send Message". Must not block. */
    void showMessage(String from, String text);

    /**
     * Shows a one-way message and tells when the person can see it, so that a Host confirms "delivered"
     * only then: a window on screen, a line printed. Must not block. By default the message counts as
     * seen once {@link #showMessage} returned (a terminal prints before it returns); a desktop, whose
     * windows appear later on another thread, completes the stage when the window is on screen.
     *
     * @return completes once the message is shown, exceptionally when it cannot be shown
     */
    default CompletionStage<Void> deliverMessage(String from, String text) {
        showMessage(from, text);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Starts a conversation with a peer. Lines the person types go to {@code typed}, one call per
     * line, until the conversation ends.
     *
     * @param peer          the other side's name, shown with its lines
     * @param typed         receives each line the person types
     * @param endedByPerson called once if the person ends the conversation
     */
    Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson);
}
