package org.tandemrc.security.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.LogonBegin;
import org.tandemrc.protocol.security.SecurityServerWire.LogonChallenge;
import org.tandemrc.protocol.security.SecurityServerWire.LogonProve;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.support.event.EventRecorder;

/**
 * The Host's access method {@code security-server} against a scripted server that checks SRP over its
 * own verifiers, bound to the binding the Host passes on: granted with the rule's role as the only
 * group, denied, refused before a challenge, unreachable.
 */
class DelegatedLogonTest {

    @TempDir
    Path home;
    private final ScriptedServer server = new ScriptedServer();
    private final EventLog log = new EventLog();
    private final char[] password = "central password".toCharArray();
    private ServerClient client;
    private DelegatedLogon method;

    @BeforeEach
    void start() throws Exception {
        PasswordVerifier carol = PasswordVerifier.create("carol", password, ScriptedServer.RANDOM, 1024, 1, 1);
        SrpAuthenticator srp = new SrpAuthenticator("guest-id", name -> name.equals("carol")
                ? Optional.of(new SrpAuthenticator.Account(carol, Set.of())) : Optional.empty(), new byte[32],
                ScriptedServer.RANDOM);
        Map<String, Authenticator.Exchange> exchanges = new ConcurrentHashMap<>();
        server.logons = (c, m) -> {
            try {
                if (m.type().equals(SecurityServerWire.LOGON_BEGIN)) {
                    LogonBegin b = LogonBegin.of(m);
                    if (b.user().equals("disabled")) {
                        return LogonVerdict.denied(b.id(), "ldap", "account disabled").message();
                    }
                    Authenticator.Exchange x = srp.begin(b.user(), b.source());
                    exchanges.put(b.id(), x);
                    return new LogonChallenge(b.id(), x.challenge()).message();
                }
                LogonProve p = LogonProve.of(m);
                AuthResult r = exchanges.remove(p.id()).verify(p.values(), p.binding());
                return r.granted()
                        ? LogonVerdict.granted(p.id(), r.identity().orElseThrow().name(), "guest-id", "View only",
                                Set.of("support"), Map.of("M2", r.answer().get("M2"))).message()
                        : LogonVerdict.denied(p.id(), "guest-id", r.failure().orElseThrow()).message();
            } catch (IOException | ProtocolException e) {
                throw new IllegalStateException(e);
            }
        };
        client = Nodes.start(home, server, Nodes.settings(server, "guest"), log, List::of);
        EventRecorder events = new EventRecorder("test.security.client");
        events.add(log);
        method = new DelegatedLogon(client, events);
        Nodes.await("connected", client::connected);
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.stop();
        server.close();
    }

    private AuthResult logOn(String user, char[] pw, byte[] binding) throws Exception {
        Authenticator.Exchange x = method.begin(user, "192.0.2.66:40122");
        SrpClient guest = new SrpClient(user, pw, ScriptedServer.RANDOM);
        return x.verify(SrpAuthenticator.values(guest.respond(SrpAuthenticator.challenge(x.challenge()), binding)), binding);
    }

    @Test
    void grantedWithTheRoleTheRulesGiveAsTheOnlyGroup() throws Exception {
        byte[] binding = new byte[32];
        ScriptedServer.RANDOM.nextBytes(binding);
        AuthResult r = logOn("carol", password.clone(), binding);
        assertTrue(r.granted(), r.failure().orElse(""));
        assertEquals(new Identity("carol", "security-server", Set.of("View only")), r.identity().orElseThrow());
        assertEquals(32, r.answer().get("M2").length);
        assertEquals("carol", log.await(EventCodes.TANDEM_SECURITY_SERVER_GRANTED).user());
    }

    @Test
    void aWrongPasswordOrAnotherBindingIsDenied() throws Exception {
        byte[] binding = new byte[32];
        AuthResult wrong = logOn("carol", "guess".toCharArray(), binding);
        assertFalse(wrong.granted());
        assertTrue(wrong.failure().orElseThrow().startsWith("wrong password"), wrong.failure().orElseThrow());
        assertEquals("carol", log.await(EventCodes.TANDEM_SECURITY_SERVER_DENIED).user());

        Authenticator.Exchange x = method.begin("carol", "192.0.2.66:40122");
        byte[] guestBinding = new byte[32];
        byte[] other = new byte[32];
        other[0] = 1;
        var proof = SrpAuthenticator.values(new SrpClient("carol", password.clone(), ScriptedServer.RANDOM)
                .respond(SrpAuthenticator.challenge(x.challenge()), guestBinding));
        assertFalse(x.verify(proof, other).granted(), "a proof for another connection is refused");
    }

    @Test
    void refusedBeforeAnyChallengeTellsTheGuestNoMore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> method.begin("disabled", "192.0.2.66:40122"));
        assertEquals("the Security Server refused this logon", e.getMessage());
    }

    @Test
    void unreachableIsAnIOExceptionForTheHostsFallback() throws Exception {
        server.down();
        Nodes.await("lost", () -> !client.connected());
        IOException e = assertThrows(IOException.class, () -> method.begin("carol", "192.0.2.66:40122"));
        assertTrue(e.getMessage().startsWith("the Security Server at mem:ss is unreachable"), e.getMessage());
    }
}
