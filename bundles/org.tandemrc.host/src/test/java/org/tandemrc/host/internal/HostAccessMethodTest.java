package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.security.Role;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * A third party's access method and access policy, present as the Host's DS references hold services,
 * decide a Guest's logon over the real protocol; a method that is configured but not installed is
 * refused with its name. The method {@code security-server} as the client's Authenticator service plays
 * it: the role the central rules give arrives as the identity's only group and becomes the Guest's role
 * here; when the Security Server cannot be reached the Host refuses, or with {@code fallback = local}
 * checks the Guest with its own Guest IDs, and says so every time.
 */
class HostAccessMethodTest {

    @TempDir
    Path dir;
    private HostHarness host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private static final Role AUDITOR = new Role("Auditor", Set.of(Privilege.INVENTORY), false);

    /** Logs on as {@code id} with the Guest ID method on the wire; returns the Host's answer. */
    private static ControlMessage logOn(HostHarness.GuestEnd g, String id, char[] pw) throws Exception {
        g.connection.send(LogonMessages.start(id));
        ControlMessage ch = g.next();
        if (!ch.type().equals("auth.challenge")) {
            return ch;
        }
        ClientResponse r = new SrpClient(id, pw, HostHarness.RANDOM).respond(LogonMessages.challenge(ch), g.connection.binding());
        g.connection.send(LogonMessages.proof(r));
        return g.next();
    }

    @Test
    void aDirectoryMethodAndItsPolicyDecideWhoLogsOnAndWithWhichRole() throws Exception {
        host = new HostHarness(dir);
        char[] password = "directory password".toCharArray();
        PasswordVerifier carol = PasswordVerifier.create("carol", password, HostHarness.RANDOM, 1024, 1, 1);
        List<String> looked = new CopyOnWriteArrayList<>();
        // The "directory" knows carol, in the group auditors; the Host's password store knows nobody by that name.
        Authenticator directory = new SrpAuthenticator("directory", name -> {
            looked.add(name);
            return name.equals("carol") ? Optional.of(new SrpAuthenticator.Account(carol, Set.of("auditors")))
                    : Optional.empty();
        }, new byte[32], HostHarness.RANDOM);
        List<Identity> asked = new CopyOnWriteArrayList<>();
        AccessPolicy auditors = identity -> {
            asked.add(identity);
            return identity.groups().contains("auditors") ? Optional.of(AUDITOR) : Optional.empty();
        };
        host.access.authenticators = List.of(directory);
        host.access.accessPolicies = List.of(Map.entry(Map.of(Authenticator.METHOD_PROPERTY, "directory"), auditors));
        host.access.modified(Map.of("method", "directory"));

        ControlMessage ok = logOn(host.connect("guest-pc"), "carol", password.clone());
        assertEquals("auth.ok", ok.type(), ok.text("reason", ""));
        assertEquals("Auditor", ok.text("role"));
        assertEquals("inventory", ok.text("privileges"));
        assertEquals(List.of(new Identity("carol", "directory", Set.of("auditors"))), asked);
        assertEquals("logged on with role Auditor", host.await(EventCodes.HOST_SESSION_STARTED).detail());

        ControlMessage wrong = logOn(host.connect("guest-pc"), "carol", "guess".toCharArray());
        assertEquals("auth.failed", wrong.type());
        assertEquals("wrong Guest ID or password", wrong.text("reason"));
        ControlMessage unknown = logOn(host.connect("guest-pc"), "dave", password.clone());
        assertEquals("wrong Guest ID or password", unknown.text("reason"), "an unknown name looks like a wrong password");
        assertEquals(List.of("carol", "carol", "dave"), looked);
        assertEquals(1, asked.size(), "the policy decides proven identities only");

        host.access.accessPolicies = List.of();
        ControlMessage noPolicy = logOn(host.connect("guest-pc"), "carol", password.clone());
        assertEquals("auth.failed", noPolicy.type());
        assertEquals("your role 'auditors' is not defined on this Host; ask its administrator", noPolicy.text("reason"),
                "without its policy the method's groups name the Host's own roles");
    }

    @Test
    void aConfiguredMethodThatIsNotInstalledIsRefusedWithItsName() throws Exception {
        host = new HostHarness(dir);
        host.access.modified(Map.of("method", "directory"));
        ControlMessage refused = logOn(host.connect("guest-pc"), "carol", "pw".toCharArray());
        assertEquals("auth.refused", refused.type());
        assertEquals("the access method 'directory' is not installed: no built-in method and no Authenticator service"
                + " with tandem.auth.method=directory", refused.text("reason"));

        host.access.modified(Map.of("method", "guest-id"));
        ControlMessage builtIn = logOn(host.connect("guest-pc"), "carol", "pw".toCharArray());
        assertTrue(builtIn.type().equals("auth.failed"), "the built-in method answers again: " + builtIn.type());
    }

    /** The central server as the client's method presents it: SRP over its own verifiers, the rule's role as the group. */
    private static Authenticator central(char[] password) {
        PasswordVerifier carol = PasswordVerifier.create("carol", password, HostHarness.RANDOM, 1024, 1, 1);
        return new SrpAuthenticator("security-server", name -> name.equals("carol")
                ? Optional.of(new SrpAuthenticator.Account(carol, Set.of("View only"))) : Optional.empty(),
                new byte[32], HostHarness.RANDOM);
    }

    private static final Authenticator UNREACHABLE = new Authenticator() {
        @Override
        public String method() {
            return "security-server";
        }

        @Override
        public Exchange begin(String user, String sourceAddress) throws IOException {
            throw new IOException("the Security Server at tcp:192.0.2.9:6510 is unreachable: connection refused");
        }
    };

    @Test
    void theRoleTheSecurityServerGivesIsTheGuestsRoleHere() throws Exception {
        host = new HostHarness(dir);
        char[] password = "central password".toCharArray();
        host.access.authenticators = List.of(central(password));
        host.access.modified(Map.of("method", "security-server"));
        ControlMessage ok = logOn(host.connect("guest-pc"), "carol", password.clone());
        assertEquals("auth.ok", ok.type(), ok.text("reason", ""));
        assertEquals("View only", ok.text("role"));
        ControlMessage wrong = logOn(host.connect("guest-pc"), "carol", "guess".toCharArray());
        assertEquals("auth.failed", wrong.type());
    }

    @Test
    void unreachableWithFallbackRefuseRefusesAndSaysSoOnlyInTheHostsOwnLog() throws Exception {
        host = new HostHarness(dir);
        host.access.authenticators = List.of(UNREACHABLE);
        host.access.modified(Map.of("method", "security-server"));
        HostHarness.GuestEnd g = host.connect("guest-pc");
        g.connection.send(LogonMessages.start("carol"));
        String closed = g.closed.get(20, java.util.concurrent.TimeUnit.SECONDS);
        // A Guest not logged on learns that logons cannot be checked now, not where the server is.
        assertTrue(closed.contains("cannot check logons at the moment"), closed);
        assertFalse(closed.contains("192.0.2.9") || closed.contains("Security Server"), closed);
        AuditEvent e = host.await(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE);
        assertEquals("carol", e.user());
        assertTrue(e.detail().endsWith("logon refused (fallback = refuse)"), e.detail());
    }

    @Test
    void unreachableWithFallbackLocalChecksTheGuestWithTheHostsOwnGuestIds() throws Exception {
        host = new HostHarness(dir);
        Path pw = dir.resolve("dave-pw");
        Files.writeString(pw, "dave's own password\n", StandardCharsets.UTF_8);
        host.access.setPassword("dave", "Full access", pw);
        host.access.authenticators = List.of(UNREACHABLE);
        host.access.modified(Map.of("method", "security-server", "fallback", "local"));
        ControlMessage ok = logOn(host.connect("guest-pc"), "dave", "dave's own password".toCharArray());
        assertEquals("auth.ok", ok.type(), ok.text("reason", ""));
        assertEquals("Full access", ok.text("role"));
        AuditEvent e = host.await(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE);
        assertTrue(e.detail().endsWith("checked with this Host's own method guest-id (fallback = local)"), e.detail());
        ControlMessage wrong = logOn(host.connect("guest-pc"), "dave", "guess".toCharArray());
        assertEquals("auth.failed", wrong.type(), "the local method still checks the password");

        host.access.modified(Map.of("method", "security-server", "fallback", "local", "fallback.method", "shared-password"));
        ControlMessage shared = logOn(host.connect("guest-pc"), "*", host.password.clone());
        assertEquals("auth.ok", shared.type(), "the shared password goes by its name '*': " + shared.text("reason", ""));
    }
}
