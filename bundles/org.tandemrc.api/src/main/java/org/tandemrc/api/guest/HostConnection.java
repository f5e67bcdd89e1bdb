package org.tandemrc.api.guest;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;

/** An authenticated, encrypted connection from this Guest to a Host. */
@ProviderType
public interface HostConnection extends AutoCloseable {

    /** The address connected to, as given. */
    String address();

    /** The Host's name. */
    String hostName();

    /** The fingerprint of the Host's identity key. */
    String fingerprint();

    /** What the pinning check found, e.g. "matches the pinned key". */
    String keyNote();

    /** The role the Host granted. */
    String role();

    /** What the role allows; the Host enforces it, this is for showing. */
    Set<Privilege> privileges();

    /**
     * Whether the role allows keyboard and mouse once the person at the Host gives them: {@link #privileges()}
     * then lacks {@link Privilege#CONTROL_INPUT}, and the first keystroke or click asks the person.
     *
     * @since 1.2
     */
    default boolean controlOnConsent() {
        return false;
    }

    /**
     * Opens a session channel of a type the Host offers. Once the Host accepts, {@code handler} is
     * given the session's context and returns the handler of the Host's messages (none is lost in
     * between).
     *
     * @param arguments what the user gave for the session, seen by its Guest side (e.g. a message's text)
     * @return the session's context: its channel, names and privileges
     * @throws GuestException when the Host refuses the session (role, consent) or does not answer
     */
    SessionContext open(String sessionType, ChannelPriority priority, List<String> arguments,
            Function<SessionContext, SessionHandler> handler) throws GuestException, InterruptedException;

    /**
     * Takes sessions of {@code sessionType} that the Host opens on this connection (the person at the Host
     * starts a chat), until the returned action runs. Without an answer for its type, and for every type a
     * Guest does not let a Host open (anything but {@code chat}), the Guest refuses what the Host opens. One
     * session the Host opened is open at a time. {@code handler} gets each session's context and returns
     * the handler of the Host's messages (none is lost in between), or null to refuse it; it runs on the
     * connection's thread and must not block. A later answer for the same type replaces this one.
     *
     * @return stops taking them (sessions open go on)
     * @throws GuestException with {@link GuestException.Reason#INVALID_REQUEST} for a type a Host may not open
     * @since 1.2
     */
    default Runnable answer(String sessionType, Function<SessionContext, @Nullable SessionHandler> handler)
            throws GuestException {
        throw new GuestException(GuestException.Reason.NOT_INSTALLED, "this connection takes no sessions the Host opens");
    }

    /** Whether the connection is still up. */
    boolean isOpen();

    /** Completes with the reason once the connection closed, from either side. */
    CompletionStage<String> closed();

    /** Closes the connection and all its sessions. */
    void close(String reason);

    @Override
    default void close() {
        close("the Guest disconnected");
    }
}
