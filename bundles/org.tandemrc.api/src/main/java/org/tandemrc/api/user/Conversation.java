package org.tandemrc.api.user;

import org.osgi.annotation.versioning.ConsumerType;

/** A conversation the person at this node holds with a peer. */
@ConsumerType
public interface Conversation {

    /** Shows a line the peer wrote. */
    void show(String from, String text);

    /** Ends the conversation, telling the person why. */
    void end(String reason);
}
