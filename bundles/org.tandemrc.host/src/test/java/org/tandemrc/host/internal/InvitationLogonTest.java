package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.SrpClient;

/** A Guest logs on to the Host with an invitation: over the real logon, beside the shared password. */
class InvitationLogonTest {

    @TempDir
    Path dir;

    private static final String PASSWORD = "told by phone";

    /** Starts an invitation logon; answers the challenge with {@code password}, or returns the refusal. */
    private static ControlMessage logOn(HostHarness.GuestEnd g, String id, String password) throws Exception {
        String name = Invitations.logonName(id);
        g.connection.send(LogonMessages.start(name));
        ControlMessage first = g.next();
        if (!first.type().equals("auth.challenge")) {
            return first;
        }
        Challenge challenge = LogonMessages.challenge(first);
        g.connection.send(LogonMessages.proof(new SrpClient(name, password.toCharArray(), HostHarness.RANDOM)
                .respond(challenge, g.connection.binding())));
        return g.next();
    }

    private static String create(HostHarness h, Duration expiry) throws Exception {
        return h.access.invitations.create(PASSWORD.toCharArray(), expiry, Roles.ATTENDED).id();
    }

    @Test
    void theRightPasswordIsAcceptedWithTheInvitationsRoleAndTheWrongOneRefused() throws Exception {
        try (HostHarness h = new HostHarness(dir)) {
            String id = create(h, Duration.ofMinutes(60));
            ControlMessage wrong = logOn(h.connect("supporter"), id, "not the password");
            assertEquals("auth.failed", wrong.type(), wrong.toString());
            assertTrue(h.await(EventCodes.HOST_INVITATION_REFUSED).detail().contains("wrong password (1 of 3)"));
            ControlMessage ok = logOn(h.connect("supporter"), id, PASSWORD);
            assertEquals("auth.ok", ok.type(), ok.toString());
            assertEquals(Roles.ATTENDED, ok.text("role"));
            assertEquals("on-consent", ok.text("control", ""), "the person is asked before control");
            assertTrue(h.await(EventCodes.HOST_INVITATION_USED).user().equals(Invitations.logonName(id)));
            assertTrue(h.await(EventCodes.HOST_SESSION_STARTED).user().startsWith("supporter"));
        }
    }

    @Test
    void threeWrongPasswordsExpireItAndTheRightOneIsRefusedAfterwards() throws Exception {
        try (HostHarness h = new HostHarness(dir)) {
            String id = create(h, Duration.ofMinutes(60));
            HostHarness.GuestEnd g = h.connect("guesser");
            assertEquals("auth.failed", logOn(g, id, "guess one 1").type());
            assertEquals("auth.failed", logOn(g, id, "guess two 2").type());
            ControlMessage third = logOn(g, id, "guess three");
            assertEquals("auth.failed", third.type());
            assertTrue(h.await(EventCodes.HOST_INVITATION_EXPIRED).detail().contains("after 3 wrong passwords"));
            assertEquals(3, h.events.recorded().stream().filter(e -> e.code().equals(EventCodes.PASSWORD_REJECTED)).count(),
                    "they count towards the Host's own limits too");
            ControlMessage after = logOn(h.connect("supporter"), id, PASSWORD);
            assertEquals("auth.refused", after.type());
            assertTrue(after.text("reason").contains("after 3 wrong passwords"), after.toString());
        }
    }

    @Test
    void expiredAndDeletedOnesAreRefusedBeforeAnyPassword() throws Exception {
        try (HostHarness h = new HostHarness(dir)) {
            String expired = create(h, Duration.ofMinutes(60));
            h.access.invitations.expire(expired);
            ControlMessage a = logOn(h.connect("supporter"), expired, PASSWORD);
            assertEquals("auth.refused", a.type());
            assertTrue(a.text("reason").contains("expired by the person"), a.toString());
            String deleted = create(h, Duration.ofMinutes(60));
            h.access.invitations.delete(deleted);
            ControlMessage d = logOn(h.connect("supporter"), deleted, PASSWORD);
            assertEquals("auth.refused", d.type());
            assertTrue(d.text("reason").contains("not known"), d.toString());
            assertTrue(h.events.recorded().stream().filter(e -> e.code().equals(EventCodes.HOST_INVITATION_REFUSED)).count() >= 2);
        }
    }

    @Test
    void rightAndWrongPasswordsAreAnsweredInTheSameTime() throws Exception {
        try (HostHarness h = new HostHarness(dir)) {
            String id = create(h, Duration.ofMinutes(60));
            long wrong = answerMillis(h, id, "not the password");
            long right = answerMillis(h, id, PASSWORD);
            System.out.println("invitation answer after the proof: right " + right + " ms, wrong " + wrong + " ms");
            assertTrue(Math.abs(right - wrong) < 200, "right " + right + " ms and wrong " + wrong + " ms");
            assertTrue(wrong >= 450, "answers wait for the answer time: " + wrong);
        }
    }

    private static long answerMillis(HostHarness h, String id, String password) throws Exception {
        HostHarness.GuestEnd g = h.connect("supporter");
        String name = Invitations.logonName(id);
        g.connection.send(LogonMessages.start(name));
        Challenge challenge = LogonMessages.challenge(g.next());
        var proof = new SrpClient(name, password.toCharArray(), HostHarness.RANDOM).respond(challenge, g.connection.binding());
        long t = System.nanoTime();
        g.connection.send(LogonMessages.proof(proof));
        ControlMessage a = g.next();
        assertTrue(a.type().equals("auth.ok") || a.type().equals("auth.failed"), a.toString());
        return (System.nanoTime() - t) / 1_000_000;
    }
}
