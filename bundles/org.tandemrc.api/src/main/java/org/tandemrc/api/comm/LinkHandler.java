package org.tandemrc.api.comm;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the events of one link. A device calls these methods from one thread at a time per link,
 * in order; they must not block.
 */
@ConsumerType
public interface LinkHandler {

    /** The link is open; called once, before any message. */
    default void opened(Link link) {
    }

    /**
     * One whole message arrived. The buffer is valid only during the call: copy what must be kept.
     */
    void received(Link link, ByteBuffer message);

    /** The link is no longer {@link Link#congested() congested}. */
    default void writable(Link link) {
    }

    /**
     * The link closed, by either side or because the transport failed; called once.
     *
     * @param reason a sentence a person can read, e.g. "peer closed the connection"
     */
    void closed(Link link, String reason);
}
