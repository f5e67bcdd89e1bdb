package org.tandemrc.api.user;

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
     * Starts a conversation with a peer. Lines the person types go to {@code typed}, one call per
     * line, until the conversation ends.
     *
     * @param peer          the other side's name, shown with its lines
     * @param typed         receives each line the person types
     * @param endedByPerson called once if the person ends the conversation
     */
    Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson);
}
