package org.tandemrc.api.session;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One session's pipe on an authenticated, encrypted connection. The connection multiplexes many
 * channels with flow control; a channel carries the messages of exactly one session.
 */
@ProviderType
public interface Channel {

    /** The largest message this channel carries. */
    int maxMessageSize();

    /**
     * Sends one message to the other side's {@link SessionHandler}. The message's bytes are read, or
     * copied, before this returns: the caller may use its buffer again at once.
     *
     * @return completes when the message is queued within the channel's credit; a sender of bulk data
     *         waits for it before sending more
     */
    CompletionStage<Void> send(ByteBuffer message);

    /** Ends the session on both sides with a reason each side can show. */
    void close(String reason);
}
