package org.tandemrc.api.comm;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An ordered, reliable, full-duplex pipe of whole messages between two nodes. Messages arrive
 * whole and in the order sent, or the link closes.
 */
@ConsumerType
public interface Link {

    /** The largest message, in bytes, this link carries; larger ones are refused by both ends. */
    int maxMessageSize();

    /**
     * Sends one message. The buffer's remaining bytes are copied or consumed before the returned stage
     * completes; the caller must not change them until then.
     *
     * @return completes when the message was handed to the transport, exceptionally when the link is
     *         closed or the message is larger than {@link #maxMessageSize()}
     */
    CompletionStage<Void> send(ByteBuffer message);

    /**
     * Whether more than the device's write buffer is waiting to be sent. A sender that produces bulk
     * data stops while this is true and resumes on {@link LinkHandler#writable(Link)}.
     */
    boolean congested();

    /**
     * Asks the link to stop (or resume) delivering received messages, so that a relay that forwards
     * them to a slower link can push back on the sender instead of buffering: the device stops reading
     * from its transport, the transport's window fills, and the peer's link becomes congested. Messages
     * already read may still arrive. Resuming delivers what waited, in order.
     *
     * @param paused true to stop delivering, false to go on
     * @return whether this link honours the request; a link that does not keeps delivering, and the
     *         caller must bound what it buffers some other way
     */
    default boolean pauseReceiving(boolean paused) {
        return false;
    }

    /** Closes the link; the peer's handler sees {@link LinkHandler#closed(Link, String)}. */
    void close(String reason);

    /** Whether the link can still send. */
    boolean isOpen();

    /** This side's address, in the device's syntax. */
    String localAddress();

    /** The peer's address, in the device's syntax (for a TCP link {@code ip:port}). */
    String remoteAddress();
}
