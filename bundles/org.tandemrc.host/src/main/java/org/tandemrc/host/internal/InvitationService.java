package org.tandemrc.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.tandemrc.api.host.HostInvitations;
import org.tandemrc.support.invitation.Invitation;

/**
 * {@link HostInvitations} over the Host's {@link Invitations}: what the desktop's <em>Invite a
 * supporter</em> window and {@code tandem admin invitation} both use, so they make the same invitation.
 */
final class InvitationService implements HostInvitations {

    private final GuestAccess access;

    InvitationService(GuestAccess access) {
        this.access = access;
    }

    @Override
    public Handout create(char[] password, Duration expiry, String role) throws IOException {
        String r = role == null ? Roles.ATTENDED : role;
        if (!access.roles().containsKey(r)) {
            throw new IllegalArgumentException("there is no role '" + r + "'; roles: "
                    + String.join(", ", access.roles().keySet()));
        }
        // Checked before it is made: an invitation nobody could reach would only confuse.
        List<String> addresses = access.dialable();
        Invitations.Entry e = access.invitations.create(password, expiry, r);
        return handout(e, addresses);
    }

    @Override
    public List<Summary> list() throws IOException {
        Instant now = access.clock.instant();
        return access.invitations.list().stream().map(e -> summary(e, now)).toList();
    }

    @Override
    public Optional<Handout> resend(String id) throws IOException {
        List<String> addresses = access.dialable();
        Optional<Invitations.Entry> e = access.invitations.resend(id);
        return e.isEmpty() ? Optional.empty() : Optional.of(handout(e.get(), addresses));
    }

    @Override
    public boolean expire(String id) throws IOException {
        return access.invitations.expire(id);
    }

    @Override
    public boolean delete(String id) throws IOException {
        return access.invitations.delete(id);
    }

    private Handout handout(Invitations.Entry e, List<String> addresses) {
        Invitation inv = new Invitation(e.id(), access.hostName, addresses, access.identity.fingerprint(), e.expires());
        return new Handout(summary(e, access.clock.instant()), inv.text(),
                inv.mail(ZoneId.systemDefault(), Locale.getDefault()));
    }

    private static Summary summary(Invitations.Entry e, Instant now) {
        return new Summary(e.id(), e.role(), e.created(), e.expires(), e.state(now), e.open(now), e.failures());
    }
}
