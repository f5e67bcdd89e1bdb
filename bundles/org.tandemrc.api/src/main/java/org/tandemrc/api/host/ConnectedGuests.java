package org.tandemrc.api.host;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Guests logged on to this Host, for the person at the Host (a desktop window, a tray): the Host
 * role provides it.
 */
@ProviderType
public interface ConnectedGuests {

    /** The Guests logged on now, in the order they logged on. */
    List<ConnectedGuest> list();

    /**
     * Ends one Guest's connection on behalf of the person at the Host; the Guest is told {@code reason}
     * and the Host records it.
     *
     * @return false when no such connection is open (any more)
     */
    boolean disconnect(String id, String reason);

    /** Ends every Guest's connection as {@link #disconnect} does; returns how many it ended. */
    int disconnectAll(String reason);

    /**
     * Takes keyboard and mouse back from one Guest on behalf of the person at the Host: its sessions that
     * control input end with {@code reason} and it keeps viewing. On this connection it may control again
     * only when its role has the person give control ({@code confirmControl}), and only once they give it.
     *
     * @return false when no such connection is open or it controlled nothing
     */
    boolean takeBackControl(String id, String reason);

    /**
     * Opens a chat with one Guest on behalf of the person at the Host, on its connection: the chat shows to
     * the person as one the Guest opened does, and the Host records it. The Guest takes it only when its
     * program shows chats the Host opens.
     *
     * @return completes once the Guest took the chat; exceptionally, with the reason to show the person, when
     *         there is no such connection, the Guest's role has no chat, or the Guest refused it
     * @since 1.1
     */
    CompletionStage<Void> chat(String id);
}
