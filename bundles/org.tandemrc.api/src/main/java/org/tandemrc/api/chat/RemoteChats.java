package org.tandemrc.api.chat;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/** Opens chats on a Guest's connections. Registered by the chat bundle. */
@ProviderType
public interface RemoteChats {

    /**
     * Opens a chat with the person at the Host, waiting while that person decides whether to accept.
     * The listener hears the Host's lines from the moment the Host accepts, then once why the chat ended.
     *
     * @throws GuestException       with {@link GuestException.Reason#SESSION_REFUSED} when the Host refuses
     *                              (role, the person declined, nobody there)
     * @throws InterruptedException when the calling thread is interrupted
     */
    RemoteChat open(HostConnection connection, RemoteChat.Listener listener) throws GuestException, InterruptedException;
}
