package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.LogonBegin;
import org.tandemrc.protocol.security.SecurityServerWire.LogonChallenge;
import org.tandemrc.protocol.security.SecurityServerWire.LogonProve;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.protocol.security.SecurityServerWire.NodeKind;
import org.tandemrc.protocol.security.SecurityServerWire.Purpose;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.security.server.internal.SecurityStore.NodeState;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.otp.Totp;

class SecurityServerTest {

    // ---- nodes ----------------------------------------------------------------------------------

    @Test
    void anUnknownKeyIsRecordedPendingAndRefusedWithTheCommandThatApprovesIt() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            HostIdentity key = HostIdentity.generate(ServerFixture.RANDOM);
            ServerFixture.Node n = f.connect(key, "host-1");
            ControlMessage m = n.next();
            assertEquals(SecurityServerWire.REFUSED, m.type());
            assertTrue(m.text("reason").contains("tandem admin security nodes approve " + key.fingerprint()),
                    m.text("reason"));
            assertEquals(NodeState.PENDING, f.server.store.node(key.fingerprint()).orElseThrow().state());
            n.recorder().closed.get(10, TimeUnit.SECONDS);

            f.server.store.approve(key.fingerprint(), null, null);
            ServerFixture.Node again = f.connect(key, "host-1");
            ControlMessage welcome = again.next();
            assertEquals(SecurityServerWire.WELCOME, welcome.type());
            assertEquals("central", welcome.text("name"));
            assertFalse(f.events(EventCodes.TANDEM_SECURITY_SERVER_NODE).isEmpty());
        }
    }

    @Test
    void pendingKeysAreBoundedSoThatAFloodOfKeysCannotFillTheDatabase() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.server.store.maxPending = 3;
            for (int i = 0; i < 5; i++) {
                ControlMessage m = f.connect(HostIdentity.generate(ServerFixture.RANDOM), "node-" + i).next();
                assertEquals(SecurityServerWire.REFUSED, m.type());
            }
            assertEquals(3, f.server.store.nodes().size());
        }
    }

    @Test
    void aDisabledKeyIsRefused() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            HostIdentity key = HostIdentity.generate(ServerFixture.RANDOM);
            f.server.store.seen(key.fingerprint(), "host-1", "host", 0);
            f.server.store.approve(key.fingerprint(), null, null);
            f.server.store.disable(key.fingerprint());
            ControlMessage m = f.connect(key, "host-1").next();
            assertEquals(SecurityServerWire.REFUSED, m.type());
            assertTrue(m.text("reason").contains("disabled"));
        }
    }

    @Test
    void aHelloSignedOverAnotherBindingIsRefusedAndNotRecorded() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            HostIdentity key = HostIdentity.generate(ServerFixture.RANDOM);
            f.server.store.seen(key.fingerprint(), "host-1", "host", 0);
            f.server.store.approve(key.fingerprint(), null, null);
            ServerFixture.Node n = f.connect(key, "host-1", NodeKind.HOST, true);
            ControlMessage m = n.next();
            assertEquals(SecurityServerWire.REFUSED, m.type());
            assertTrue(m.text("reason").contains("signature"));
            HostIdentity stranger = HostIdentity.generate(ServerFixture.RANDOM);
            f.connect(stranger, "host-2", NodeKind.HOST, true).next();
            assertTrue(f.server.store.node(stranger.fingerprint()).isEmpty());
        }
    }

    @Test
    void nothingIsAnsweredBeforeTheHello() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ControlRecorderNode n = ControlRecorderNode.open(f);
            n.connection.send(new LogonBegin("1", "alice", "10.0.0.9", Purpose.HOST).message());
            // Within the hello's own timeout: the message itself closed the connection.
            String reason = n.recorder.closed.get(NodeSession.HELLO_SECONDS / 2, TimeUnit.SECONDS);
            assertTrue(reason.contains("must be ss.hello"), reason);
            assertTrue(n.recorder.control.isEmpty());
        }
    }

    // ---- delegated logons -----------------------------------------------------------------------

    @Test
    void aGuestIdLogsOnBySrpAndGetsTheRuleRole() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.guest("alice", "correct horse");
            f.server.store.addRule(0, new Rule("user:alice", "host-*", "Full access"));
            ServerFixture.Node n = f.approved("host-1");
            Logon l = new Logon(n, "alice", "correct horse");
            LogonVerdict v = l.run(null);
            assertTrue(v.granted(), v.failure().orElse(""));
            assertEquals("alice", v.user().orElseThrow());
            assertEquals("Full access", v.role().orElseThrow());
            assertEquals(SecurityServer.GUEST_ID, v.method());
            l.client.verifyServer(v.answer().get(SrpAuthenticator.SERVER_PROOF));
            assertArrayEquals(l.client.sessionKey(), v.answer().get(SrpAuthenticator.SESSION_KEY));
            AuditEvent e = f.events(EventCodes.TANDEM_SECURITY_SERVER_GRANTED).get(0);
            assertEquals("alice", e.user());
            assertTrue(e.detail().contains("host-1") && e.detail().contains("Full access"), e.detail());
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreDeniedAlike() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node n = aliceWithFullAccess(f, "host-1");
            Logon wrong = new Logon(n, "alice", "battery staple");
            LogonVerdict w = wrong.run(null);
            Logon unknown = new Logon(n, "mallory", "battery staple");
            LogonVerdict u = unknown.run(null);
            assertFalse(w.granted());
            assertFalse(u.granted());
            assertEquals(wrong.challenge.keySet(), unknown.challenge.keySet());
            assertEquals(2, f.events(EventCodes.TANDEM_SECURITY_SERVER_DENIED).size());
            assertTrue(f.events.stream().noneMatch(e -> e.detail().contains("battery")));
        }
    }

    @Test
    void aDisabledGuestIdIsRefusedAtOnce() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node n = aliceWithFullAccess(f, "host-1");
            f.server.store.disableGuest("alice", true);
            n.send(new LogonBegin("7", "alice", "10.0.0.9", Purpose.HOST).message());
            ControlMessage m = n.next();
            assertEquals(SecurityServerWire.LOGON_VERDICT, m.type());
            LogonVerdict v = LogonVerdict.of(m);
            assertFalse(v.granted());
            assertTrue(v.failure().orElseThrow().contains("disabled"));
        }
    }

    @Test
    void noMatchingRuleDenies() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.guest("alice", "correct horse");
            f.server.store.addRule(0, new Rule("user:alice", "group:servers", "Full access"));
            LogonVerdict v = new Logon(f.approved("host-1", "desktops"), "alice", "correct horse").run(null);
            assertFalse(v.granted());
            assertTrue(v.failure().orElseThrow().contains("no rule"));
        }
    }

    @Test
    void theFirstMatchingRuleWins() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.guest("alice", "correct horse", "ops");
            f.server.store.addRule(0, new Rule("user:alice", "*", "Full access"));
            f.server.store.addRule(1, new Rule("group:ops", "group:servers", "View only"));
            ServerFixture.Node servers = f.approved("db-1", "servers");
            assertEquals("View only", new Logon(servers, "alice", "correct horse").run(null).role().orElseThrow());
            ServerFixture.Node desktop = f.approved("pc-1");
            LogonVerdict v = new Logon(desktop, "alice", "correct horse").run(null);
            assertEquals("Full access", v.role().orElseThrow());
            assertEquals(Set.of("ops"), v.groups());
        }
    }

    @Test
    void consoleLogonsMatchOnlyTheConsoleHostPattern() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node n = aliceWithFullAccess(f, "console-node");
            assertFalse(new Logon(n, "alice", "correct horse").purpose(Purpose.CONSOLE).run(null).granted());
            f.server.store.addRule(0, new Rule("user:alice", Rules.CONSOLE, "supporter"));
            assertEquals("supporter", new Logon(n, "alice", "correct horse").purpose(Purpose.CONSOLE).run(null)
                    .role().orElseThrow());
            assertEquals("Full access", new Logon(n, "alice", "correct horse").run(null).role().orElseThrow());
        }
    }

    @Test
    void aRequiredOneTimeCodeIsAskedForCheckedAndGoodOnce() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node n = aliceWithFullAccess(f, "host-1");
            Totp totp = Totp.of(Totp.newSecret(ServerFixture.RANDOM));
            f.server.store.enrol("alice", Totp.base32(totp.secret()));
            Logon notYet = new Logon(n, "alice", "correct horse");
            assertTrue(notYet.run(null).granted(), "enrolled but not required: no code needed");
            assertFalse(PasswordLogon.asksForCode(notYet.challenge));

            f.server.store.require("alice", true);
            String code = totp.code(Totp.step(Instant.now().getEpochSecond()));
            String wrongCode = code.equals("000000") ? "000001" : "000000";
            Logon wrong = new Logon(n, "alice", "correct horse");
            assertFalse(wrong.run(wrongCode).granted());
            assertTrue(PasswordLogon.asksForCode(wrong.challenge));
            assertFalse(new Logon(n, "alice", "correct horse").run(null).granted(), "no code given");
            assertTrue(new Logon(n, "alice", "correct horse").run(code).granted());
            LogonVerdict replay = new Logon(n, "alice", "correct horse").run(code);
            assertFalse(replay.granted());
            assertTrue(replay.failure().orElseThrow().contains("one-time code"));
        }
    }

    @Test
    void aRoleCanRequireAOneTimeCode() throws Exception {
        try (ServerFixture f = new ServerFixture("jdbc:h2:mem:ss-otp-role;DB_CLOSE_DELAY=-1",
                Map.of("otp.roles", "Full access"))) {
            f.guest("alice", "correct horse");
            f.guest("bob", "correct horse");
            f.server.store.addRule(0, new Rule("user:alice", "*", "Full access"));
            f.server.store.addRule(0, new Rule("user:bob", "*", "View only"));
            ServerFixture.Node n = f.approved("host-1");
            Logon alice = new Logon(n, "alice", "correct horse");
            LogonVerdict v = alice.run(null);
            assertTrue(PasswordLogon.asksForCode(alice.challenge));
            assertTrue(v.failure().orElseThrow().contains("not enrolled"), v.failure().orElseThrow());
            assertTrue(new Logon(n, "bob", "correct horse").run(null).granted());
        }
    }

    @Test
    void aProofForAnotherBindingIsDenied() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            Logon l = new Logon(aliceWithFullAccess(f, "host-1"), "alice", "correct horse");
            l.otherBinding = true;
            assertFalse(l.run(null).granted());
        }
    }

    @Test
    void aDirectoryLogsOnTheNamesThatAreNoGuestIds() throws Exception {
        try (ServerFixture f = new ServerFixture("jdbc:h2:mem:ss-dir;DB_CLOSE_DELAY=-1", Map.of("directory", "ldap"))) {
            f.server.store.addRule(0, new Rule("group:admins", "*", "Full access"));
            ServerFixture.Node n = f.approved("host-1");
            n.send(new LogonBegin("1", "carol", "10.0.0.9", Purpose.HOST).message());
            LogonVerdict missing = LogonVerdict.of(n.next());
            assertTrue(missing.failure().orElseThrow().contains("not installed"), missing.failure().orElseThrow());

            f.authenticators.add(new TestDirectory("ldap", "carol", "directory password", Set.of("admins")));
            Logon carol = new Logon(n, "carol", "directory password");
            carol.plainPassword = true;
            LogonVerdict v = carol.run(null);
            assertTrue(v.granted(), v.failure().orElse(""));
            assertEquals("ldap", v.method());
            assertEquals("Full access", v.role().orElseThrow());
            Logon wrong = new Logon(n, "carol", "guess");
            wrong.plainPassword = true;
            assertFalse(wrong.run(null).granted());
        }
    }

    @Test
    void aNodeHasABoundedNumberOfLogonsUnderWayAndOnePerId() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            f.server.store.addRule(0, new Rule("*", "*", "Full access"));
            ServerFixture.Node n = f.approved("host-1");
            for (int i = 0; i < SecurityServer.MAX_LOGONS_PER_NODE; i++) {
                n.send(new LogonBegin("id" + i, "user" + (i % 4), "10.0.0." + i, Purpose.HOST).message());
            }
            n.send(new LogonBegin("one-too-many", "user", "10.0.1.1", Purpose.HOST).message());
            boolean refused = false;
            for (int i = 0; i <= SecurityServer.MAX_LOGONS_PER_NODE && !refused; i++) {
                ControlMessage m = n.next();
                refused = m.type().equals(SecurityServerWire.LOGON_VERDICT)
                        && LogonVerdict.of(m).id().equals("one-too-many");
            }
            assertTrue(refused, "the 65th logon is refused");
            n.send(new LogonBegin("id0", "user0", "10.0.0.0", Purpose.HOST).message());
            String reason = n.recorder().closed.get(10, TimeUnit.SECONDS);
            assertTrue(reason.contains("already under way"), reason);
        }
    }

    // ---- events and names -----------------------------------------------------------------------

    @Test
    void eventsAreAcknowledgedOnlyWhenAnAuditTrailStoredThem() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node n = f.approved("host-1");
            AuditEvent e = new AuditEvent(Instant.now(), "HSESRC+", Severity.INFO, "host-1", "10.0.0.9", "alice", "");
            n.send(new SecurityServerWire.Events(0, List.of(e, e)).message());
            assertNull(n.poll(500), "no audit trail: no acknowledgement");

            AtomicLong stored = new AtomicLong(-1);
            f.trail = (source, name, first, events) -> {
                assertEquals(n.key().fingerprint(), source);
                assertEquals("host-1", name);
                stored.set(first + events.size() - 1);
                return stored.get();
            };
            n.send(new SecurityServerWire.Events(0, List.of(e, e)).message());
            assertEquals(1, SecurityServerWire.EventsAck.of(n.next()).upTo());

            f.trail = (source, name, first, events) -> {
                throw new IOException("disk full");
            };
            n.send(new SecurityServerWire.Events(2, List.of(e)).message());
            assertNull(n.poll(500), "a store that failed: no acknowledgement");
        }
    }

    @Test
    void aNodeRegistersItsOwnNameOnlyAndGuestsResolveIt() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ServerFixture.Node host = f.approved("host-1");
            host.send(new SecurityServerWire.NameRegister("host-1", List.of("tcp:10.0.0.5:6502")).message());
            host.send(new SecurityServerWire.NameRegister("bank", List.of("tcp:10.6.6.6:6502")).message());
            ServerFixture.Node guest = f.approved("guest-1");
            guest.send(new SecurityServerWire.NameResolve("q1", "host-1").message());
            SecurityServerWire.NameAnswer a = SecurityServerWire.NameAnswer.of(guest.next());
            assertEquals("q1", a.id());
            assertEquals(List.of("tcp:10.0.0.5:6502"), a.addresses());
            guest.send(new SecurityServerWire.NameResolve("q2", "bank").message());
            assertEquals(List.of(), SecurityServerWire.NameAnswer.of(guest.next()).addresses());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The Guest ID alice (password "correct horse"), a rule giving everyone Full access, an approved node. */
    private static ServerFixture.Node aliceWithFullAccess(ServerFixture f, String node) throws Exception {
        f.guest("alice", "correct horse");
        f.server.store.addRule(0, new Rule("*", "*", "Full access"));
        return f.approved(node);
    }

    /** One delegated logon as a Host runs it for its Guest. */
    static final class Logon {
        private static int ids;
        final ServerFixture.Node node;
        final String user;
        final String password;
        final SrpClient client;
        Purpose purpose = Purpose.HOST;
        boolean otherBinding;
        boolean plainPassword;
        Map<String, byte[]> challenge;

        Logon(ServerFixture.Node node, String user, String password) {
            this.node = node;
            this.user = user;
            this.password = password;
            this.client = new SrpClient(user, password.toCharArray(), ServerFixture.RANDOM);
        }

        Logon purpose(Purpose p) {
            purpose = p;
            return this;
        }

        LogonVerdict run(String code) throws Exception {
            String id;
            synchronized (Logon.class) {
                id = "logon-" + ++ids;
            }
            node.send(new LogonBegin(id, user, "10.0.0.9", purpose).message());
            ControlMessage m = node.next();
            if (m.type().equals(SecurityServerWire.LOGON_VERDICT)) {
                return LogonVerdict.of(m);
            }
            challenge = LogonChallenge.of(m).values();
            byte[] guestBinding = new byte[32];
            ServerFixture.RANDOM.nextBytes(guestBinding);
            Map<String, byte[]> proof = new HashMap<>();
            if (plainPassword) {
                assertTrue(PasswordLogon.asksForPassword(challenge));
                proof.put(PasswordLogon.PASSWORD, password.getBytes(StandardCharsets.UTF_8));
            } else {
                proof.putAll(SrpAuthenticator.values(client.respond(SrpAuthenticator.challenge(challenge), guestBinding)));
            }
            if (code != null) {
                proof.put(PasswordLogon.OTP, code.getBytes(StandardCharsets.US_ASCII));
            }
            byte[] sent = otherBinding ? new byte[32] : guestBinding;
            node.send(new LogonProve(id, proof, sent).message());
            LogonVerdict v = LogonVerdict.of(node.next());
            assertEquals(id, v.id());
            return v;
        }
    }

    /** A node that connects and says nothing. */
    record ControlRecorderNode(Connection connection, org.tandemrc.protocol.ControlRecorder recorder) {
        static ControlRecorderNode open(ServerFixture f) throws Exception {
            org.tandemrc.protocol.ControlRecorder r = new org.tandemrc.protocol.ControlRecorder();
            Connection c = Connection.guest("node", "", r, null, ServerFixture.RANDOM);
            org.tandemrc.api.testing.MemoryLink[] links = org.tandemrc.api.testing.MemoryLink.pair("s:1", "n:2");
            links[1].start(f.server.accept(links[1]));
            links[0].start(c);
            r.secured.get(10, TimeUnit.SECONDS);
            return new ControlRecorderNode(c, r);
        }
    }
}
