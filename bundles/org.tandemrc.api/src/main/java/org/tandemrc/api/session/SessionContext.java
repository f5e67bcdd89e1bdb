package org.tandemrc.api.session;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.security.Privilege;

/** What a session knows about the connection it runs on. */
@ProviderType
public interface SessionContext {

    /** The side this handler runs on. */
    Side side();

    /** The channel to the other side. */
    Channel channel();

    /** The Guest's name as the Host proved it (user or Guest ID). */
    String guestName();

    /** The Host's name. */
    String hostName();

    /**
     * The other side's address as the connection sees it (e.g. {@code 192.0.2.7:40122}), for the peer
     * column of the events a session records; empty when not known.
     */
    default String peerAddress() {
        return "";
    }

    /**
     * On the Host, the name of the Guest's role (e.g. {@code Helpdesk}), for a session whose own settings
     * differ per role (the ports a tunnel may reach); empty on the Guest.
     */
    default String roleName() {
        return "";
    }

    /** What the Guest may do on this Host; enforced by the Host, shown by the Guest. */
    Set<Privilege> privileges();

    /**
     * On the Guest, what the user gave when starting the session (e.g. the text of a message);
     * empty on the Host.
     */
    java.util.List<String> arguments();
}
