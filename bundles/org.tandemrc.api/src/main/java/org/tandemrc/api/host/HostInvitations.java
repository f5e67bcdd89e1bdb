package org.tandemrc.api.host;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The invitations the person at the Host makes for a supporter (Remote Assistance the other way
 * round): protected by a password they choose, of which the Host keeps only a verifier, and an expiry
 * they see. Registered by the Host; front ends on the Host (its desktop, its admin command) use it.
 *
 * @since 1.2
 */
@ProviderType
public interface HostInvitations {

    /**
     * One invitation as the person sees it.
     *
     * @param state          {@code open}, or {@code expired by time}, {@code expired by the person at the
     *                       Host}, {@code expired after 3 wrong passwords}
     * @param wrongPasswords wrong passwords given for it so far
     */
    record Summary(String id, String role, Instant created, Instant expires, String state, boolean open,
            int wrongPasswords) {
    }

    /**
     * What the person hands the supporter: the invitation file's text, and the mail text with the
     * invitation as one copyable line. Neither holds the password.
     */
    record Handout(Summary invitation, String fileText, String mail) {
    }

    /**
     * A new invitation; the caller clears the password afterwards.
     *
     * @param expiry 1 minute to 24 hours
     * @param role   the role it gives, or null for <em>Attended support</em> (the person confirms access and control)
     * @throws IllegalArgumentException when the password is shorter than 8 characters, the expiry or the
     *                                  role not valid, or the Host listens nowhere a supporter could reach
     */
    Handout create(char[] password, Duration expiry, @Nullable String role) throws IOException;

    /** Every invitation still listed (ended ones for a day), oldest first. */
    List<Summary> list() throws IOException;

    /** The file and mail of an open invitation again, same ID and expiry; empty when it is not open. */
    Optional<Handout> resend(String id) throws IOException;

    /** Ends an open invitation now; false when there is no open one of that ID. */
    boolean expire(String id) throws IOException;

    /** Forgets an invitation; false when there is none of that ID. */
    boolean delete(String id) throws IOException;
}
