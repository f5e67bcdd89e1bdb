package org.tandemrc.api.message;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/** Sends messages to the person at a Host. Registered by the message bundle. */
@ProviderType
public interface RemoteMessages {

    /**
     * Sends one message and waits until the Host confirms that it showed it. Returning normally means
     * delivered; every other outcome is a {@link GuestException} whose reason says which.
     *
     * @param text    the message, not blank, at most {@link org.tandemrc.protocol.codec.WireText#MAX_CHARS}
     *                characters
     * @param timeout how long to wait for the Host's confirmation
     * @throws GuestException       {@link GuestException.Reason#INVALID_REQUEST} for a blank or too long text,
     *                              {@link GuestException.Reason#SESSION_REFUSED} when the role may not send
     *                              messages, {@link GuestException.Reason#NOT_DONE} when the Host could not show
     *                              it (the message says why), {@link GuestException.Reason#NO_ANSWER} without a
     *                              confirmation in time
     * @throws InterruptedException when the calling thread is interrupted
     */
    void send(HostConnection connection, String text, Duration timeout) throws GuestException, InterruptedException;
}
