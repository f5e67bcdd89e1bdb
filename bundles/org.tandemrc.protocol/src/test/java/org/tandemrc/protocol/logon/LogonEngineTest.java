package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.security.Role;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * The engine calls the access method and the access policy it is given, as a third party would
 * register them, inside the same limits and answer times as the built-in SRP method.
 */
class LogonEngineTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Role HELPDESK = new Role("Helpdesk", Set.of(Privilege.CHAT), false);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final LogonWork work = new LogonWork(2, 8, "test-logon");
    /** What DS references would hold: the services present now. */
    private final java.util.List<Authenticator> authenticators = new CopyOnWriteArrayList<>();
    private final java.util.List<Map.Entry<Map<String, Object>, AccessPolicy>> policies = new CopyOnWriteArrayList<>();
    private final LogonMethods methods = new LogonMethods(() -> authenticators, () -> policies);
    private final EventRecorder audit = new EventRecorder("test.audit");
    private final java.util.List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final LogonEngine engine = new LogonEngine("the test node", methods, LogonLimits.defaults(),
            Clock.systemUTC(), work, timer, audit, "LIMIT!", "logon limit: ");

    @AfterEach
    void stop() {
        work.close();
        timer.shutdownNow();
    }

    /** A test-only method: HMAC of the challenge and the binding under a secret each user shares with the node. */
    private static class TokenAuthenticator implements Authenticator {
        final Map<String, byte[]> secrets;
        volatile int begun;

        TokenAuthenticator(Map<String, byte[]> secrets) {
            this.secrets = secrets;
        }

        @Override
        public String method() {
            return "token";
        }

        @Override
        public Exchange begin(String user, String sourceAddress) {
            begun++;
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            byte[] secret = secrets.get(user);
            return new Exchange() {
                @Override
                public Map<String, byte[]> challenge() {
                    return Map.of("nonce", nonce);
                }

                @Override
                public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                    byte[] mac = proof.get("mac");
                    if (secret == null) {
                        return AuthResult.denied("unknown user");
                    }
                    return mac != null && MessageDigest.isEqual(mac, mac(secret, nonce, binding))
                            ? AuthResult.granted(new Identity(user, "token", Set.of("support")))
                            : AuthResult.denied("wrong token");
                }
            };
        }
    }

    static byte[] mac(byte[] secret, byte[] nonce, byte[] binding) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            m.update(nonce);
            return m.doFinal(binding);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** What the engine told one connection. */
    private static final class Recorded implements LogonEngine.Peer {
        final CompletableFuture<Map<String, byte[]>> challenge = new CompletableFuture<>();
        final CompletableFuture<String> outcome = new CompletableFuture<>();
        volatile AuthResult result;
        volatile Optional<Role> role = Optional.empty();

        @Override
        public void challenge(Map<String, byte[]> c) {
            challenge.complete(c);
        }

        @Override
        public Runnable granted(AuthResult r, Optional<Role> ro) {
            result = r;
            role = ro;
            return () -> outcome.complete("granted");
        }

        @Override
        public Runnable denied(AuthResult r) {
            result = r;
            return () -> outcome.complete("denied: " + r.failure().orElseThrow());
        }

        @Override
        public void refused(LogonEngine.Refusal kind, String reason) {
            challenge.complete(Map.of());
            outcome.complete(kind + ": " + reason);
        }
    }

    private static byte[] binding() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void aThirdPartyAuthenticatorAndAccessPolicyDecideTheLogon() throws Exception {
        byte[] secret = "alice's token secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TokenAuthenticator token = new TokenAuthenticator(Map.of("alice", secret));
        authenticators.add(token);
        java.util.List<Identity> asked = new CopyOnWriteArrayList<>();
        AccessPolicy policy = identity -> {
            asked.add(identity);
            return identity.groups().contains("support") ? Optional.of(HELPDESK) : Optional.empty();
        };
        policies.add(Map.entry(Map.of(Authenticator.METHOD_PROPERTY, "token"), policy));

        Recorded right = new Recorded();
        LogonEngine.Logon logon = engine.logon("127.0.0.1:4000", right);
        logon.start("token", "alice", "node", "alice");
        byte[] nonce = right.challenge.get(5, TimeUnit.SECONDS).get("nonce");
        byte[] b = binding();
        long sent = System.nanoTime();
        logon.prove(Map.of("mac", mac(secret, nonce, b)), b);
        assertEquals("granted", right.outcome.get(5, TimeUnit.SECONDS));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertTrue(millis >= 495, "the answer left after " + millis + " ms, before its time");
        assertEquals(Optional.of(HELPDESK), right.role);
        assertEquals(1, asked.size());
        assertEquals(new Identity("alice", "token", Set.of("support")), asked.get(0));
        assertThrows(IllegalStateException.class, () -> logon.start("token", "alice", "node", "alice"),
                "a logon that succeeded cannot start again");

        Recorded wrong = new Recorded();
        LogonEngine.Logon second = engine.logon("127.0.0.2:4000", wrong);
        second.start("token", "alice", "node", "alice");
        wrong.challenge.get(5, TimeUnit.SECONDS);
        second.prove(Map.of("mac", new byte[32]), binding());
        assertEquals("denied: wrong token", wrong.outcome.get(5, TimeUnit.SECONDS));
        assertEquals(1, asked.size(), "the policy is asked only for identities that were proven");
        assertEquals(2, token.begun);
    }

    @Test
    void theMethodsProofsAreChargedByTheLimitsBeforeTheyAreChecked() throws Exception {
        TokenAuthenticator token = new TokenAuthenticator(Map.of());
        authenticators.add(token);
        audit.add(events::add);
        int evaluated = 0;
        String last = "";
        for (int i = 0; i < 8; i++) {
            Recorded r = new Recorded();
            LogonEngine.Logon logon = engine.logon("127.0.0.3:" + (5000 + i), r);
            logon.start("token", "mallory", "node", "mallory");
            if (r.challenge.get(5, TimeUnit.SECONDS).isEmpty()) {
                last = r.outcome.get(5, TimeUnit.SECONDS);
                continue;
            }
            logon.prove(Map.of("mac", new byte[32]), binding());
            last = r.outcome.get(5, TimeUnit.SECONDS);
            if (r.result != null) {
                evaluated++;
            }
        }
        assertEquals(LogonLimits.defaults().addressBurst(), evaluated, "proofs checked from one address");
        assertTrue(last.startsWith("LIMITED: too many logon attempts"), last);
        assertEquals(1, events.stream().filter(e -> e.code().equals("LIMIT!")).count(),
                "the first refusal is an event, the others are not: " + events);
    }

    @Test
    void anAuthenticatorTheRoleChoseRunsUnderTheSameLimitsWithoutBeingRegistered() throws Exception {
        TokenAuthenticator token = new TokenAuthenticator(Map.of("alice", new byte[] {7}));
        Recorded right = new Recorded();
        LogonEngine.Logon logon = engine.logon("127.0.0.4:4000", right);
        logon.start(token, "alice", "node", "alice");
        byte[] nonce = right.challenge.get(5, TimeUnit.SECONDS).get("nonce");
        byte[] b = binding();
        logon.prove(Map.of("mac", mac(new byte[] {7}, nonce, b)), b);
        assertEquals("granted", right.outcome.get(5, TimeUnit.SECONDS));
        int evaluated = 0;
        for (int i = 0; i < 8; i++) {
            Recorded r = new Recorded();
            LogonEngine.Logon l = engine.logon("127.0.0.5:" + (5000 + i), r);
            l.start(token, "mallory", "node", "mallory");
            if (!r.challenge.get(5, TimeUnit.SECONDS).isEmpty()) {
                l.prove(Map.of("mac", new byte[32]), binding());
                r.outcome.get(5, TimeUnit.SECONDS);
                evaluated += r.result != null ? 1 : 0;
            }
        }
        assertEquals(LogonLimits.defaults().addressBurst(), evaluated, "proofs checked from one address");
        assertTrue(methods.authenticator("token").isEmpty(), "the chosen method is not registered by its use");
    }

    @Test
    void anUnknownMethodIsRefusedWithTheReasonAndNothingIsComputed() throws Exception {
        TokenAuthenticator token = new TokenAuthenticator(Map.of());
        authenticators.add(token);
        Recorded r = new Recorded();
        engine.logon("127.0.0.1:4000", r).start("ldap", "alice", "node", "alice");
        assertEquals("UNKNOWN_METHOD: the access method 'ldap' is not installed: no built-in method and no"
                + " Authenticator service with tandem.auth.method=ldap", r.outcome.get(5, TimeUnit.SECONDS));
        assertEquals(0, token.begun);
        authenticators.remove(token);
        Recorded after = new Recorded();
        engine.logon("127.0.0.1:4001", after).start("token", "alice", "node", "alice");
        assertTrue(after.outcome.get(5, TimeUnit.SECONDS).startsWith("UNKNOWN_METHOD: the access method 'token'"),
                "a method whose service left is refused too");
    }

    @Test
    void theBuiltInSrpMethodGrantsTheRightPasswordAndAServiceOfItsNameReplacesIt() throws Exception {
        char[] password = "correct horse".toCharArray();
        PasswordVerifier v = PasswordVerifier.create("bob", password, RANDOM, 1024, 1, 1);
        byte[] decoy = new byte[32];
        RANDOM.nextBytes(decoy);
        methods.builtIn(new SrpAuthenticator("guest-id", user -> user.equals("bob")
                ? Optional.of(new SrpAuthenticator.Account(v, Set.of("Full access"))) : Optional.empty(), decoy, RANDOM));
        methods.builtIn("guest-id", identity -> Optional.of(HELPDESK));

        Recorded r = new Recorded();
        LogonEngine.Logon logon = engine.logon("127.0.0.1:4000", r);
        logon.start("guest-id", "bob", "node", "bob");
        Challenge c = SrpAuthenticator.challenge(r.challenge.get(5, TimeUnit.SECONDS));
        byte[] b = binding();
        SrpClient client = new SrpClient("bob", password, RANDOM);
        logon.prove(SrpAuthenticator.values(client.respond(c, b)), b);
        assertEquals("granted", r.outcome.get(5, TimeUnit.SECONDS));
        client.verifyServer(SrpAuthenticator.answer(r.result, SrpAuthenticator.SERVER_PROOF));
        assertArrayEquals(client.sessionKey(), SrpAuthenticator.answer(r.result, SrpAuthenticator.SESSION_KEY));
        assertEquals(Set.of("Full access"), r.result.identity().orElseThrow().groups());
        assertEquals(Optional.of(HELPDESK), r.role);

        Recorded unknown = new Recorded();
        LogonEngine.Logon decoyLogon = engine.logon("127.0.0.1:4001", unknown);
        decoyLogon.start("guest-id", "eve", "node", "eve");
        Challenge dc = SrpAuthenticator.challenge(unknown.challenge.get(5, TimeUnit.SECONDS));
        decoyLogon.prove(SrpAuthenticator.values(new SrpClient("eve", password, RANDOM).respond(dc, b)), b);
        assertEquals("denied: unknown user", unknown.outcome.get(5, TimeUnit.SECONDS));

        TokenAuthenticator replacement = new TokenAuthenticator(Map.of()) {
            @Override
            public String method() {
                return "guest-id";
            }
        };
        authenticators.add(replacement);
        Recorded replaced = new Recorded();
        engine.logon("127.0.0.1:4002", replaced).start("guest-id", "bob", "node", "bob");
        assertTrue(replaced.challenge.get(5, TimeUnit.SECONDS).containsKey("nonce"));
        assertEquals(1, replacement.begun);
        assertFalse(replaced.outcome.isDone());
    }
}
