package org.tandemrc.api.session;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/** One side of one running session. Methods are called one at a time and must not block. */
@ConsumerType
public interface SessionHandler {

    /** A message from the other side; the buffer is valid only during the call. */
    void received(ByteBuffer message);

    /**
     * The session ended: the other side closed it, the connection dropped, or the session type's
     * bundle is being stopped. Called once.
     */
    void closed(String reason);
}
