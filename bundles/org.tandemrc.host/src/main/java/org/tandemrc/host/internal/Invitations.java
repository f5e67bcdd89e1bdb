package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.logon.VerifierFile;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.support.invitation.Invitation;
import org.tandemrc.support.password.PasswordFile;

/**
 * The invitations the person at this Host made for a supporter (Remote Assistance the other way
 * round), in {@code data/invitations} (owner-only, written whole and moved into place, so they outlive
 * a restart): per invitation its random ID, the role it gives, when it was made and ends, its wrong
 * passwords, how it ended, and an SRP verifier of the password (never the password). A Guest logs on as
 * {@code invitation:ID} with the password, through the same SRP logon and limits as every password.
 */
final class Invitations {

    /** Wrong passwords after which an invitation is expired: a supporter who got it right types it in time. */
    static final int MAX_FAILURES = 3;
    static final int MIN_PASSWORD = 8;
    static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(60);
    static final Duration MAX_EXPIRY = Duration.ofHours(24);
    /** How long an ended invitation stays listed (so the person sees why it ended) before it is swept. */
    static final Duration KEPT_AFTER_END = Duration.ofHours(24);
    /** An open invitation's {@link Entry#ended()}. */
    static final String OPEN = "-";

    /** How an invitation ended, as its entry and the event say it. */
    enum End {
        PERSON("by the person at the Host"), TIME("by time"), FAILURES("after " + MAX_FAILURES + " wrong passwords");

        final String text;

        End(String text) {
            this.text = text;
        }
    }

    /**
     * One invitation.
     *
     * @param ended {@value #OPEN} while it may be used, else the name of its {@link End}
     */
    record Entry(String id, String role, Instant created, Instant expires, int failures, String ended,
            PasswordVerifier verifier) {

        boolean open(Instant now) {
            return ended.equals(OPEN) && now.isBefore(expires);
        }

        String state(Instant now) {
            if (!ended.equals(OPEN)) {
                return "expired " + End.valueOf(ended).text;
            }
            return now.isBefore(expires) ? "open" : "expired by time";
        }

        Entry with(int failures, String ended) {
            return new Entry(id, role, created, expires, failures, ended, verifier);
        }
    }

    private static final VerifierFile.Format<Entry> FORMAT = new VerifierFile.Format<>(7,
            "ID, role, created, expires, wrong passwords, ended and verifier",
            List.of("# Tandem invitations for supporters, as SRP verifiers (no password is stored).",
                    "# Managed by 'tandem admin invitation ...' and the Invite a supporter window."),
            f -> new Entry(f[0], f[1], instant(f[2]), instant(f[3]), Integer.parseInt(f[4]), ended(f[5]),
                    PasswordVerifier.decode(f[6])),
            e -> List.of(e.id(), e.role(), e.created().toString(), e.expires().toString(),
                    Integer.toString(e.failures()), e.ended(), e.verifier().encode()));

    private final VerifierFile<Entry> file;
    private final EventRecorder audit;
    private final SecureRandom random;
    private final Clock clock;

    Invitations(Path file, EventRecorder audit, SecureRandom random, Clock clock) {
        this.file = new VerifierFile<>(file, FORMAT);
        this.audit = audit;
        this.random = random;
        this.clock = clock;
    }

    /** The name a Guest logs on with. */
    static String logonName(String id) {
        return Invitation.LOGON_PREFIX + id;
    }

    private static Instant instant(String f) {
        try {
            return Instant.parse(f);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("'" + f + "' is not a time");
        }
    }

    private static String ended(String f) {
        if (!f.equals(OPEN)) {
            End.valueOf(f); // a damaged file is refused, not read as an open invitation
        }
        return f;
    }

    Path file() {
        return file.file();
    }

    /**
     * A new invitation for the password (which the caller clears).
     *
     * @throws IllegalArgumentException when the password is too short or long, or the expiry out of range
     */
    synchronized Entry create(char[] password, Duration expiry, String role) throws IOException {
        if (password.length < MIN_PASSWORD || password.length > PasswordFile.MAX_CHARS) {
            throw new IllegalArgumentException("an invitation's password has " + MIN_PASSWORD + " to "
                    + PasswordFile.MAX_CHARS + " characters");
        }
        if (expiry.compareTo(Duration.ofMinutes(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("an invitation expires after 1 to " + MAX_EXPIRY.toMinutes() + " minutes");
        }
        byte[] b = new byte[16];
        random.nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        PasswordVerifier v = PasswordVerifier.create(logonName(id), password, random);
        Entry e = new Entry(id, role, now, now.plus(expiry), 0, OPEN, v);
        file.put(e);
        audit.record(EventCodes.HOST_INVITATION_CREATED, Severity.SECURITY, "", logonName(id),
                "valid until " + e.expires() + ", role " + role);
        return e;
    }

    /** Every invitation still listed, after the sweep. */
    synchronized List<Entry> list() throws IOException {
        sweep();
        return new ArrayList<>(file.read().values());
    }

    synchronized Optional<Entry> find(String id) throws IOException {
        return file.find(id);
    }

    /**
     * The invitation a Guest's logon name names, when it may be used now; otherwise why not, which the
     * Host tells the Guest and records.
     */
    synchronized Optional<String> refusal(String id) throws IOException {
        Optional<Entry> e = Invitation.validId(id) ? file.find(id) : Optional.empty();
        if (e.isEmpty()) {
            return Optional.of("this invitation is not known here (it was deleted, or is not for this Host)");
        }
        if (!e.get().open(clock.instant())) {
            sweep();
            return Optional.of("this invitation has " + e.get().state(clock.instant()));
        }
        return Optional.empty();
    }

    /** The SRP account of a logon name {@code invitation:ID}, while the invitation may be used. */
    synchronized Optional<SrpAuthenticator.Account> account(String logonName) throws IOException {
        if (!logonName.startsWith(Invitation.LOGON_PREFIX)) {
            return Optional.empty();
        }
        Optional<Entry> e = file.find(logonName.substring(Invitation.LOGON_PREFIX.length()));
        return e.filter(x -> x.open(clock.instant()))
                .map(x -> new SrpAuthenticator.Account(x.verifier(), Set.of(x.role())));
    }

    /** A wrong password for the invitation: counted; the last one allowed expires it. */
    synchronized void failed(String id, String remote) throws IOException {
        Optional<Entry> e = file.find(id);
        if (e.isEmpty() || !e.get().ended().equals(OPEN)) {
            return;
        }
        int n = e.get().failures() + 1;
        audit.record(EventCodes.HOST_INVITATION_REFUSED, Severity.SECURITY, remote, logonName(id),
                "wrong password (" + n + " of " + MAX_FAILURES + ")");
        if (n >= MAX_FAILURES) {
            file.put(e.get().with(n, End.FAILURES.name()));
            audit.record(EventCodes.HOST_INVITATION_EXPIRED, Severity.SECURITY, remote, logonName(id),
                    "expired " + End.FAILURES.text);
        } else {
            file.put(e.get().with(n, OPEN));
        }
    }

    /** Records a refusal before any password was checked. */
    void refused(String id, String remote, String why) {
        audit.record(EventCodes.HOST_INVITATION_REFUSED, Severity.SECURITY, remote, logonName(id), why);
    }

    void used(String id, String remote, String role) {
        audit.record(EventCodes.HOST_INVITATION_USED, Severity.SECURITY, remote, logonName(id),
                "logged on with role " + role);
    }

    /** The person expires an invitation; false when there is no open one of that ID. */
    synchronized boolean expire(String id) throws IOException {
        Optional<Entry> e = file.find(id);
        if (e.isEmpty() || !e.get().open(clock.instant())) {
            return false;
        }
        file.put(e.get().with(e.get().failures(), End.PERSON.name()));
        audit.record(EventCodes.HOST_INVITATION_EXPIRED, Severity.SECURITY, "", logonName(id),
                "expired " + End.PERSON.text);
        return true;
    }

    /** The open invitation whose file and mail are written again, same ID and expiry. */
    synchronized Optional<Entry> resend(String id) throws IOException {
        Optional<Entry> e = file.find(id).filter(x -> x.open(clock.instant()));
        e.ifPresent(x -> audit.record(EventCodes.HOST_INVITATION_RESENT, Severity.INFO, "",
                logonName(id), "valid until " + x.expires()));
        return e;
    }

    synchronized boolean delete(String id) throws IOException {
        boolean removed = file.remove(id);
        if (removed) {
            audit.record(EventCodes.HOST_INVITATION_DELETED, Severity.SECURITY, "", logonName(id), "deleted");
        }
        return removed;
    }

    /**
     * Marks invitations whose time ran out as expired (one event each) and forgets those that ended a
     * day ago; the file is written only when something changed.
     */
    synchronized void sweep() throws IOException {
        Instant now = clock.instant();
        for (Entry e : file.read().values()) {
            if (now.isAfter(e.expires().plus(KEPT_AFTER_END))) {
                file.remove(e.id());
            } else if (e.ended().equals(OPEN) && !now.isBefore(e.expires())) {
                file.put(e.with(e.failures(), End.TIME.name()));
                audit.record(EventCodes.HOST_INVITATION_EXPIRED, Severity.SECURITY, "", logonName(e.id()),
                        "expired " + End.TIME.text);
            }
        }
    }
}
