package org.tandemrc.api.session;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.tandemrc.api.security.Privilege;

/**
 * A kind of session: remote control, file transfer, chat, message, clipboard, tunnel, inventory, run
 * program, execute command, demonstrate, audio. Registered as a service with {@value #ID_PROPERTY};
 * the same bundle serves the Guest side and the Host side.
 */
@ConsumerType
public interface SessionType {

    /** Service property carrying {@link #id()}. */
    String ID_PROPERTY = "tandem.session.type";

    /** A stable id, e.g. {@code chat}, used on the wire. */
    String id();

    /** The name a person sees, e.g. "Chat". */
    String title();

    /** The privileges a Guest needs to open this session; the Host refuses the session otherwise. */
    Set<Privilege> requiredPrivileges();

    /** Whether the Host's confirm-access rule applies (a one-way message, for one, is exempt). */
    default boolean needsConsent() {
        return true;
    }

    /**
     * Starts this side of a session once the Host has authorized it.
     *
     * @return the handler of the other side's messages
     */
    SessionHandler open(SessionContext context);
}
