package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.api.testing.MovedClock;
import org.tandemrc.support.event.EventRecorder;

/** The invitation store: only verifiers on disk, owner-only, expiry by time, by the person, by failures. */
class InvitationsTest {

    @TempDir
    Path dir;
    final MovedClock clock = new MovedClock(Instant.parse("2026-12-05T10:00:00Z"));
    final EventLog events = new EventLog();

    private Invitations store() {
        EventRecorder audit = new EventRecorder("test");
        audit.add(events);
        return new Invitations(dir.resolve("data/invitations"), audit, new SecureRandom(), clock);
    }

    @Test
    void keepsOnlyAVerifierOwnerOnlyAndSurvivesARestart() throws Exception {
        Invitations store = store();
        Invitations.Entry e = store.create("a secret phrase".toCharArray(), Duration.ofMinutes(60), Roles.ATTENDED);
        Path file = dir.resolve("data/invitations");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains("a secret phrase"), "the password is not on disk");
        assertTrue(text.contains(e.id()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Instant.parse("2026-12-05T11:00:00Z"), e.expires());
        Invitations again = store();
        assertTrue(again.refusal(e.id()).isEmpty(), "a restarted Host still accepts it");
        assertTrue(again.account(Invitations.logonName(e.id())).isPresent());
        assertEquals(1, events.recorded().stream().filter(x -> x.code().equals(EventCodes.HOST_INVITATION_CREATED)).count());
    }

    @Test
    void refusesShortPasswordsAndExpiriesOutOfRange() {
        Invitations store = store();
        assertThrows(IllegalArgumentException.class,
                () -> store.create("short".toCharArray(), Duration.ofMinutes(60), Roles.ATTENDED));
        assertThrows(IllegalArgumentException.class,
                () -> store.create("long enough".toCharArray(), Duration.ofHours(25), Roles.ATTENDED));
        assertThrows(IllegalArgumentException.class,
                () -> store.create("long enough".toCharArray(), Duration.ZERO, Roles.ATTENDED));
    }

    @Test
    void expiresByTimeIsSweptAndForgottenADayLater() throws Exception {
        Invitations store = store();
        Invitations.Entry e = store.create("long enough".toCharArray(), Duration.ofMinutes(5), Roles.ATTENDED);
        clock.advance(Duration.ofMinutes(5));
        assertTrue(store.refusal(e.id()).orElseThrow().contains("expired by time"));
        assertTrue(store.account(Invitations.logonName(e.id())).isEmpty(), "no verifier for an expired one");
        assertEquals(1, events.recorded().stream().filter(x -> x.code().equals(EventCodes.HOST_INVITATION_EXPIRED)
                && x.detail().contains("by time")).count());
        store.sweep();
        assertEquals(1, events.recorded().stream().filter(x -> x.code().equals(EventCodes.HOST_INVITATION_EXPIRED)).count(),
                "expired once");
        clock.advance(Duration.ofHours(25));
        assertEquals(List.of(), store.list());
    }

    @Test
    void threeWrongPasswordsExpireIt() throws Exception {
        Invitations store = store();
        Invitations.Entry e = store.create("long enough".toCharArray(), Duration.ofMinutes(60), Roles.ATTENDED);
        store.failed(e.id(), "192.0.2.1:5000");
        store.failed(e.id(), "192.0.2.1:5000");
        assertTrue(store.refusal(e.id()).isEmpty());
        store.failed(e.id(), "192.0.2.1:5000");
        assertTrue(store.refusal(e.id()).orElseThrow().contains("after 3 wrong passwords"));
        assertTrue(events.recorded().stream().anyMatch(x -> x.code().equals(EventCodes.HOST_INVITATION_EXPIRED)
                && x.detail().contains("after 3 wrong passwords")));
    }

    @Test
    void expireResendDelete() throws Exception {
        Invitations store = store();
        Invitations.Entry e = store.create("long enough".toCharArray(), Duration.ofMinutes(60), Roles.ATTENDED);
        Invitations.Entry again = store.resend(e.id()).orElseThrow();
        assertEquals(e.id(), again.id());
        assertEquals(e.expires(), again.expires());
        assertTrue(store.expire(e.id()));
        assertTrue(store.refusal(e.id()).orElseThrow().contains("by the person"));
        assertTrue(store.resend(e.id()).isEmpty(), "an expired one is not resent");
        assertFalse(store.expire(e.id()));
        assertTrue(store.delete(e.id()));
        assertTrue(store.refusal(e.id()).orElseThrow().contains("not known"));
        assertFalse(store.delete(e.id()));
    }

    @Test
    void aDamagedFileIsRefusedClearly() throws Exception {
        Path file = dir.resolve("data/invitations");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "abcdefghijklmnopqrstuv\tAttended support\tnot a time\t2026\t0\t-\tx\n");
        IOException e = assertThrows(IOException.class, () -> store().list());
        assertTrue(e.getMessage().contains(file + " line 1"), e.getMessage());
        Files.writeString(file, "abcdefghijklmnopqrstuv\tonly two\n");
        e = assertThrows(IOException.class, () -> store().refusal("abcdefghijklmnopqrstuv"));
        assertTrue(e.getMessage().contains("expected ID, role, created"), e.getMessage());
    }
}
