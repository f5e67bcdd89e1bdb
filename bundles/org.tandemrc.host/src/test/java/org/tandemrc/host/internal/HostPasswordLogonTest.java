package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * The wire of a method that must see the password itself (a directory, PAM) and of a one-time code, over
 * the Host's real protocol: the password reaches the method only, a malformed proof is a protocol error,
 * and a Guest that speaks only SRP is refused with a clear error.
 */
class HostPasswordLogonTest {

    private static final String PASSWORD = "dïrectory pässword";
    private static final String CODE = "123456";

    @TempDir
    Path dir;
    private HostHarness host;
    /** The passwords the method was given, as it saw them. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    /** A directory that knows carol, in the group that names the Host's role, and asks for a code when {@code otp}. */
    private Authenticator directory(boolean otp) {
        return new Authenticator() {
            @Override
            public String method() {
                return "directory";
            }

            @Override
            public Exchange begin(String user, String source) {
                return new Exchange() {
                    @Override
                    public Map<String, byte[]> challenge() {
                        return PasswordLogon.challenge(otp);
                    }

                    @Override
                    public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                        char[] p = PasswordLogon.password(proof).orElse(new char[0]);
                        try {
                            seen.add(new String(p));
                            if (otp && !PasswordLogon.code(proof).equals(Optional.of(CODE))) {
                                return AuthResult.denied("wrong code");
                            }
                            return user.equals("carol") && Arrays.equals(p, PASSWORD.toCharArray())
                                    ? AuthResult.granted(new Identity(user, "directory", Set.of("View only")))
                                    : AuthResult.denied("wrong password");
                        } finally {
                            Arrays.fill(p, '\0');
                        }
                    }
                };
            }
        };
    }

    private void use(Authenticator method) {
        host.access.authenticators = List.of(method);
        host.access.modified(Map.of("method", "directory"));
    }

    /** Starts a logon as {@code id}; returns the Host's challenge. */
    private static ControlMessage start(HostHarness.GuestEnd g, String id) throws Exception {
        g.connection.send(LogonMessages.start(id));
        return g.next();
    }

    @Test
    void thePasswordGoesToTheMethodAndTheRoleComesFromItsGroup() throws Exception {
        host = new HostHarness(dir);
        use(directory(false));
        HostHarness.GuestEnd g = host.connect("guest-pc");
        ControlMessage ch = start(g, "carol");
        assertEquals("auth.challenge", ch.type());
        assertTrue(PasswordLogon.asksForPassword(LogonMessages.values(ch)));
        assertFalse(PasswordLogon.asksForCode(LogonMessages.values(ch)));
        g.connection.send(LogonMessages.passwordProof(PASSWORD.toCharArray(), null));
        ControlMessage ok = g.next();
        assertEquals("auth.ok", ok.type(), ok.text("reason", ""));
        assertEquals("View only", ok.text("role"));
        assertNull(ok.fields().get("proof"), "no SRP server proof: the Guest checked the Host's key before");
        assertEquals(List.of(PASSWORD), seen);
        host.await(EventCodes.HOST_SESSION_STARTED);

        HostHarness.GuestEnd wrong = host.connect("guest-pc");
        start(wrong, "carol");
        wrong.connection.send(LogonMessages.passwordProof("guess".toCharArray(), null));
        ControlMessage failed = wrong.next();
        assertEquals("auth.failed", failed.type());
        assertEquals("wrong Guest ID or password", failed.text("reason"));
        String events = host.events.recorded().toString();
        assertFalse(events.contains("guess") || events.contains(PASSWORD), "no password in the events: " + events);
    }

    @Test
    void aCodeIsAskedForAndCheckedByTheMethod() throws Exception {
        host = new HostHarness(dir);
        use(directory(true));
        HostHarness.GuestEnd g = host.connect("guest-pc");
        assertTrue(PasswordLogon.asksForCode(LogonMessages.values(start(g, "carol"))));
        g.connection.send(LogonMessages.passwordProof(PASSWORD.toCharArray(), CODE));
        assertEquals("auth.ok", g.next().type());

        HostHarness.GuestEnd bad = host.connect("guest-pc");
        start(bad, "carol");
        bad.connection.send(LogonMessages.passwordProof(PASSWORD.toCharArray(), "654321"));
        assertEquals("auth.failed", bad.next().type());

        HostHarness.GuestEnd none = host.connect("guest-pc");
        start(none, "carol");
        none.connection.send(LogonMessages.passwordProof(PASSWORD.toCharArray(), null));
        assertTrue(none.closed.get(20, TimeUnit.SECONDS).contains("lacks the field otp"), none.closed.join());
    }

    @Test
    void malformedPasswordProofsAreProtocolErrorsThatNeverReachTheMethod() throws Exception {
        host = new HostHarness(dir);
        use(directory(false));
        byte[] tooLong = new byte[PasswordLogon.MAX_PASSWORD_BYTES + 1];
        Arrays.fill(tooLong, (byte) 'a');
        for (ControlMessage proof : List.of(
                ControlMessage.of("auth.proof").with("password", "pass\0word"),
                ControlMessage.of("auth.proof").with("password", tooLong),
                ControlMessage.of("auth.proof").with("password", new byte[0]),
                ControlMessage.of("auth.proof").with("A", new byte[] {1}).with("proof", new byte[] {2}))) {
            HostHarness.GuestEnd g = host.connect("guest-pc");
            start(g, "carol");
            g.connection.send(proof);
            String why = g.closed.get(20, TimeUnit.SECONDS);
            assertTrue(why.contains(org.tandemrc.protocol.Connection.PROTOCOL_ERROR), why);
            assertFalse(why.contains("pass\0") || why.contains("aaaa"), "no password in: " + why);
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void anSrpChallengeMayAskForACodeToo() throws Exception {
        host = new HostHarness(dir);
        char[] pw = "srp password".toCharArray();
        PasswordVerifier carol = PasswordVerifier.create("carol", pw, HostHarness.RANDOM, 1024, 1, 1);
        SrpAuthenticator srp = new SrpAuthenticator("directory",
                name -> Optional.of(new SrpAuthenticator.Account(carol, Set.of("View only"))), new byte[32],
                HostHarness.RANDOM);
        List<String> codes = new CopyOnWriteArrayList<>();
        use(new Authenticator() {
            @Override
            public String method() {
                return "directory";
            }

            @Override
            public Exchange begin(String user, String source) throws java.io.IOException {
                Exchange x = srp.begin(user, source);
                return new Exchange() {
                    @Override
                    public Map<String, byte[]> challenge() {
                        Map<String, byte[]> c = new HashMap<>(x.challenge());
                        c.put(PasswordLogon.OTP, "1".getBytes(StandardCharsets.US_ASCII));
                        return c;
                    }

                    @Override
                    public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                        codes.add(PasswordLogon.code(proof).orElse("none"));
                        return x.verify(proof, binding);
                    }
                };
            }
        });
        HostHarness.GuestEnd g = host.connect("guest-pc");
        ControlMessage ch = start(g, "carol");
        assertTrue(PasswordLogon.asksForCode(LogonMessages.values(ch)));
        assertFalse(PasswordLogon.asksForPassword(LogonMessages.values(ch)));
        SrpClient client = new SrpClient("carol", pw.clone(), HostHarness.RANDOM);
        ClientResponse r = client.respond(LogonMessages.challenge(ch), g.connection.binding());
        g.connection.send(LogonMessages.proof(r).with(PasswordLogon.OTP, CODE));
        ControlMessage ok = g.next();
        assertEquals("auth.ok", ok.type(), ok.text("reason", ""));
        client.verifyServer(ok.bytes("proof"));
        assertEquals(List.of(CODE), codes);
    }

    @Test
    void aGuestThatSpeaksOnlySrpFailsOnAPasswordChallengeWithAClearError() throws Exception {
        host = new HostHarness(dir);
        use(directory(false));
        ControlMessage ch = start(host.connect("guest-pc"), "carol");
        // What a Guest from before this wire does with the challenge: read it as SRP.
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> LogonMessages.challenge(ch));
        assertEquals("auth.challenge lacks the field m", e.getMessage());
    }
}
