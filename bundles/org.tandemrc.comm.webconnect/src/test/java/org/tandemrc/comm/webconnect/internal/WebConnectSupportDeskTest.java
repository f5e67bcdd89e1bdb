package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.adhoc.SupportDesk.Change;
import org.tandemrc.api.adhoc.SupportSession;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.webconnect.manager.internal.ManagerServer;

/**
 * The supporter's {@link org.tandemrc.api.adhoc.SupportDesk} against a real manager and relay: it makes,
 * lists, extends, renews, cancels and ends sessions through a named webconnect profile, passes the
 * manager's refusals on in its own words, and says clearly which profiles cannot make sessions.
 */
class WebConnectSupportDeskTest extends TwoWebConnectDevices {

    private WebConnectSupportDesk desk;

    @Override
    protected ManagerServer startManager(Deployment d) throws Exception {
        return d.manager();
    }

    /** What the desk recorded. */
    private final List<org.tandemrc.api.event.AuditEvent> audit = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void desk() {
        Map<String, String> noAccount = Deployment.settings(manager, null);
        noAccount.remove("account");
        Map<String, String> temporary = Map.of("manager", manager.address(), "support-code", "123456789");
        Map<String, String> wrongPassword = Deployment.settings(manager, null);
        wrongPassword.put("password", "not the password");
        desk = new WebConnectSupportDesk(guest, List.of(
                ConfiguredProfile.of(new CommunicationProfile("wc", "webconnect", Deployment.settings(manager, null))),
                ConfiguredProfile.of(new CommunicationProfile("no-account", "webconnect", noAccount)),
                ConfiguredProfile.of(new CommunicationProfile("temporary", "webconnect", temporary)),
                ConfiguredProfile.of(new CommunicationProfile("wrong", "webconnect", wrongPassword)),
                ConfiguredProfile.of(new CommunicationProfile("lan", "tcp", Map.of()))));
        desk.bindSink(audit::add);
    }

    @Test
    void onlyWebConnectProfilesWithAnAccountMakeSessions() {
        assertEquals(List.of("wc", "wrong"), desk.profiles());
        GuestException noAccount = assertThrows(GuestException.class, () -> desk.create("no-account", "Sam", 0, 0));
        assertEquals(GuestException.Reason.INVALID_REQUEST, noAccount.reason());
        assertTrue(noAccount.getMessage().contains("profile 'no-account' names no WebConnect account"),
                noAccount.getMessage());
        GuestException temporary = assertThrows(GuestException.class, () -> desk.list("temporary"));
        assertTrue(temporary.getMessage().contains("as a temporary Host"), temporary.getMessage());
        GuestException tcp = assertThrows(GuestException.class, () -> desk.list("lan"));
        assertTrue(tcp.getMessage().contains("is a tcp profile, not webconnect"), tcp.getMessage());
        GuestException unknown = assertThrows(GuestException.class, () -> desk.list("nope"));
        assertTrue(unknown.getMessage().contains("no communication profile 'nope'")
                && unknown.getMessage().contains("made through wc, wrong"), unknown.getMessage());
        GuestException logon = assertThrows(GuestException.class, () -> desk.list("wrong"));
        assertEquals(GuestException.Reason.LOGON_REFUSED, logon.reason(), logon.getMessage());
        GuestException typo = assertThrows(GuestException.class, () -> desk.change("wc", "12345", Change.STATUS));
        assertEquals(GuestException.Reason.INVALID_REQUEST, typo.reason());
    }

    @Test
    void aManagerThatDoesNotAnswerIsPassedForTheNext() throws Exception {
        Map<String, String> two = Deployment.settings(manager, null);
        two.put("manager", "127.0.0.1:1," + manager.address());
        WebConnectSupportDesk failover = new WebConnectSupportDesk(guest,
                List.of(ConfiguredProfile.of(new CommunicationProfile("two", "webconnect", two))));
        SupportSession s = failover.create("two", "Sam Supporter", 0, 0);
        assertEquals(List.of(s.code()), failover.list("two").stream().map(SupportSession::code).toList());
        Map<String, String> none = Deployment.settings(manager, null);
        none.put("manager", "127.0.0.1:1");
        WebConnectSupportDesk down = new WebConnectSupportDesk(guest,
                List.of(ConfiguredProfile.of(new CommunicationProfile("down", "webconnect", none))));
        GuestException unreachable = assertThrows(GuestException.class, () -> down.list("down"));
        assertEquals(GuestException.Reason.UNREACHABLE, unreachable.reason(), unreachable.getMessage());
    }

    @Test
    void aWaitingSessionIsListedExtendedRenewedAndCancelled() throws Exception {
        Instant before = Instant.now();
        SupportSession s = desk.create("wc", "Sam Supporter", 5, 60);
        assertEquals(9, s.code().length());
        assertEquals(s.code().substring(0, 3) + " " + s.code().substring(3, 6) + " " + s.code().substring(6),
                s.displayCode());
        assertEquals("Sam Supporter", s.supporter());
        assertEquals(SupportSession.WAITING, s.state());
        assertEquals(Duration.ofMinutes(60), s.lifetime());
        assertNull(s.ends(), "no Host joined yet");
        assertEquals("wc", s.profile());
        assertTrue(!s.codeExpires().isBefore(before.plusSeconds(4 * 60)) && s.codeExpires().isBefore(
                before.plusSeconds(6 * 60)), "the code is valid for the 5 minutes asked: " + s.codeExpires());
        assertEquals(List.of(s.code()), desk.list("wc").stream().map(SupportSession::code).toList());
        assertEquals(SupportSession.WAITING, desk.change("wc", s.displayCode(), Change.STATUS).state());

        SupportSession extended = desk.change("wc", s.code(), Change.EXTEND);
        assertEquals(s.code(), extended.code(), "extend keeps the code");
        assertTrue(!extended.codeExpires().isBefore(s.codeExpires()), "valid afresh");

        SupportSession renewed = desk.change("wc", s.code(), Change.RENEW);
        assertNotEquals(s.code(), renewed.code(), "renew gives a new code");
        GuestException old = assertThrows(GuestException.class, () -> desk.change("wc", s.code(), Change.STATUS));
        assertEquals(GuestException.Reason.SESSION_REFUSED, old.reason());
        assertTrue(old.getMessage().contains("no open support session"), old.getMessage());

        // The manager's limit (one open session per supporter) comes back in its own words.
        GuestException limit = assertThrows(GuestException.class, () -> desk.create("wc", "Sam Supporter", 0, 0));
        assertEquals(GuestException.Reason.SESSION_REFUSED, limit.reason());
        assertTrue(limit.getMessage().contains("supporter 'Sam Supporter' already has 1 open support session"),
                limit.getMessage());

        assertEquals(SupportSession.CANCELLED, desk.change("wc", renewed.code(), Change.CANCEL).state());
        assertEquals(List.of(), desk.list("wc"));
        // The supporter's side of the audit: every change, not the lookups, with the supporter as user.
        List<String> recorded = audit.stream().map(e -> e.code() + " " + e.user() + ": " + e.detail()).toList();
        assertEquals(List.of(
                "TWCSUP* Sam Supporter: support session created (code ending " + s.code().substring(6) + ", profile 'wc')",
                "TWCSUP* Sam Supporter: support session extended: its code is valid afresh (code ending "
                        + s.code().substring(6) + ", profile 'wc')",
                "TWCSUP* Sam Supporter: support session renewed: its new code ends " + renewed.code().substring(6)
                        + ", the code ending " + s.code().substring(6) + " stops working (code ending "
                        + renewed.code().substring(6) + ", profile 'wc')",
                "TWCSUP* Sam Supporter: support session cancelled (code ending " + renewed.code().substring(6)
                        + ", profile 'wc')"), recorded);
    }

    @Test
    void aJoinedSessionIsActiveUntilTheSupporterEndsIt() throws Exception {
        deployment.relay();
        SupportSession s = desk.create("wc", "Sam Supporter", 0, 30);
        Map<String, String> temporaryHost = Map.of("manager", manager.address(), "support-code", s.displayCode(),
                "reconnect-timeout", "5");
        try (Endpoint e = host.listen(profile(temporaryHost), l -> null)) {
            SupportSession active = desk.change("wc", s.code(), Change.STATUS);
            assertEquals(SupportSession.ACTIVE, active.state());
            assertTrue(active.active());
            assertNotNull(active.ends());
            assertTrue(active.ends().isAfter(Instant.now().plusSeconds(29 * 60)), "the lifetime runs from the join");
            assertEquals(SupportSession.ACTIVE, desk.list("wc").get(0).state());

            GuestException cancel = assertThrows(GuestException.class, () -> desk.change("wc", s.code(), Change.CANCEL));
            assertTrue(cancel.getMessage().contains("is already joined: end it instead"), cancel.getMessage());
            GuestException renew = assertThrows(GuestException.class, () -> desk.change("wc", s.code(), Change.RENEW));
            assertTrue(renew.getMessage().contains("its code is spent"), renew.getMessage());

            assertEquals(SupportSession.ENDED, desk.change("wc", s.code(), Change.END).state());
            HostEndpoint he = (HostEndpoint) e;
            long deadline = System.currentTimeMillis() + 15_000;
            while (!he.closed() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(he.closed(), "the temporary Host stopped when the supporter ended the session");
            assertEquals(List.of(), desk.list("wc"));
        }
    }
}
