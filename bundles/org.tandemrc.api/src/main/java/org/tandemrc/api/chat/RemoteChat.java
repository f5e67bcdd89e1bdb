package org.tandemrc.api.chat;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;

/** One open chat with the person at a Host. */
@ProviderType
public interface RemoteChat {

    /** What the chat tells its front end; called on the connection's thread, so return quickly. */
    @ConsumerType
    interface Listener {

        /** A line the person at the Host wrote, checked as text; {@code from} is the Host's name. */
        void line(String from, String text);

        /** The chat ended, from either side or with the connection; called once. */
        void ended(String reason);
    }

    /** The Host's name, as its lines are signed. */
    String hostName();

    /**
     * Sends a line; a line longer than one chat message allows goes in pieces. A blank line is not sent.
     *
     * @throws GuestException with {@link GuestException.Reason#CLOSED} once the chat has ended
     */
    void send(String line) throws GuestException;

    /** Whether the chat is still open. */
    boolean isOpen();

    /** Ends the chat; the Host's person is told the reason, the listener hears it as the end. */
    void close(String reason);
}
