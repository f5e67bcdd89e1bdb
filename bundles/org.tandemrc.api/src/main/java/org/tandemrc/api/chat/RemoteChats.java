package org.tandemrc.api.chat;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
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

    /**
     * Takes the chats the person at the Host opens on this connection, until the returned action runs;
     * without it the Guest refuses them. Each chat is handed to {@code opened}, which returns the listener
     * of its lines, or null to refuse it (one chat at a time, say); it runs on the connection's thread and
     * must not block. Lines are checked and bounded as in a chat the Guest opened.
     *
     * @return stops taking them (a chat open goes on)
     * @throws GuestException when the connection takes no sessions from the Host
     * @since 1.1
     */
    Runnable answer(HostConnection connection, Function<RemoteChat, RemoteChat.@Nullable Listener> opened)
            throws GuestException;
}
