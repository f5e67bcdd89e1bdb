package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.protocol.Resumption;
import org.tandemrc.webconnect.store.Store;

/**
 * A Host's resumption ticket at the Connection Manager, over real TCP: it brings the Host back without
 * SRP, survives a manager restart on the same database, and is refused when replayed by another
 * connection without its secret, forged or changed, presented for another Host, expired, or revoked
 * (account removed, password changed); full logons beyond the bound are told to retry.
 */
class ManagerResumptionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final AuditCapture audit = new AuditCapture();
    private final MovableClock clock = new MovableClock();
    private Store store;
    private ManagerServer manager;
    private int port;

    /** A clock a test moves forward. */
    private static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A ticket as a Host holds it: the bytes from REGISTERED and the secret it derived. */
    private record Held(byte[] ticket, byte[] secret, long expires) {
    }

    @BeforeEach
    void start() throws Exception {
        audit.start();
        store = new Store("jdbc:h2:mem:resume" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        manager = started(new ManagerServer.Resume(1, 64, 1000), ManagerServer.METHOD);
        RawClient.account(manager, "acme");
        RawClient.account(manager, "other");
    }

    @AfterEach
    void stop() throws Exception {
        manager.stop();
        audit.stop();
        store.close();
    }

    private ManagerServer started(ManagerServer.Resume resume, String method) throws Exception {
        ManagerServer m = new ManagerServer(new ManagerServer.Settings("m1", "127.0.0.1", 0, "", null, 60, 10, 100,
                new LogonLimits(10_000, 1_000, 10_000, 1_000, 1_000, 10_000, Duration.ZERO, Duration.ofDays(1)), method),
                store, clock);
        m.resumption(resume);
        m.start();
        port = RawClient.port(m);
        return m;
    }

    /** Logs on with SRP as a Host, registers {@code host} and returns the ticket REGISTERED brought. */
    private Held fullLogon(RawClient c, String account, String host) throws Exception {
        c.frame(new Logon.Request(Frames.VERSION, account, "host").frame());
        WireReader f = c.read();
        assertEquals(Frames.CHALLENGE, f.u8("type"));
        Logon.Challenged challenge = Logon.Challenged.read(f);
        SrpClient srp = new SrpClient(account, RawClient.PASSWORD.toCharArray(), RANDOM);
        c.frame(challenge.answer(srp, account));
        f = c.read();
        assertEquals(Frames.WELCOME, f.u8("type"));
        srp.verifyServer(Logon.Welcome.read(f).serverProof());
        byte[] secret = Resumption.afterLogon(srp.sessionKey(), challenge.nonce(), account);
        return register(c, host, secret);
    }

    private static Held register(RawClient c, String host, byte[] secret) throws Exception {
        c.frame(new Pairing.Register(host, "instance-" + host, List.of()).frame());
        WireReader f = c.read();
        int type = f.u8("type");
        if (type == Frames.ERROR) {
            throw new IOException(Fields.string(f, "reason"));
        }
        assertEquals(Frames.REGISTERED, type);
        Resumption.Issued issued = Resumption.readRegistered(f);
        assertNotNull(issued, "REGISTERED carries a ticket");
        return new Held(issued.ticket(), secret, issued.expiresAtMillis());
    }

    /** Presents a ticket with a secret; "resumed" (its server proof checked) or the manager's reason. */
    private static String resume(RawClient c, String account, String host, byte[] ticket, byte[] secret)
            throws Exception {
        c.frame(new Resumption.Request(Frames.VERSION, account, host, ticket).frame());
        WireReader f = c.read();
        if (f.u8("type") == Frames.ERROR) {
            return Fields.string(f, "reason");
        }
        byte[] nonce = Resumption.readChallenge(f);
        c.frame(Resumption.proof(Resumption.clientProof(secret, nonce, account, host, ticket)));
        f = c.read();
        if (f.u8("type") == Frames.ERROR) {
            return Fields.string(f, "reason");
        }
        Resumption.Resumed r = Resumption.Resumed.read(f);
        assertArrayEquals(Resumption.serverProof(secret, nonce, account, host, ticket), r.serverProof(),
                "the manager proves it opened the ticket");
        return "resumed";
    }

    @Test
    void aTicketBringsTheHostBackWithoutSrpAndSurvivesARestart() throws Exception {
        Held held;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            held = fullLogon(c, "acme", "h1");
        }
        assertTrue(held.expires() > clock.millis() + 3_500_000L && held.expires() <= clock.millis() + 3_600_000L,
                "good for the configured hour");
        // The manager restarts on the same database: the ticket key is the database's.
        manager.stop();
        manager = started(new ManagerServer.Resume(1, 64, 1000), ManagerServer.METHOD);
        Held next;
        try (RawClient c = new RawClient("127.0.0.3", port)) {
            assertEquals("resumed", resume(c, "acme", "h1", held.ticket(), held.secret()));
            IOException e = assertThrows(IOException.class, () -> register(c, "h2", held.secret()));
            assertTrue(e.getMessage().contains("resumed Host 'h1' and registers only that name"), e.getMessage());
        }
        try (RawClient c = new RawClient("127.0.0.3", port)) {
            c.frame(new Resumption.Request(Frames.VERSION, "acme", "h1", held.ticket()).frame());
            WireReader f = c.read();
            assertEquals(Frames.RESUME_CHALLENGE, f.u8("type"));
            byte[] nonce = Resumption.readChallenge(f);
            c.frame(Resumption.proof(Resumption.clientProof(held.secret(), nonce, "acme", "h1", held.ticket())));
            c.frame(new Pairing.Register("h1", "instance-h1", List.of()).frame());
            f = c.read();
            assertEquals(Frames.RESUMED, f.u8("type"));
            next = register2(c, Resumption.next(held.secret(), nonce));
        }
        try (RawClient c = new RawClient("127.0.0.3", port)) {
            assertEquals("resumed", resume(c, "acme", "h1", next.ticket(), next.secret()), "the ticket the resumption brought");
        }
        List<String> lines = audit.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("TWCLOGON~") && l.contains("127.0.0.3") && l.contains("acme")
                && l.contains("resumed its WebConnect logon as Host 'h1'")), "a resumption is logged as its own kind: " + lines);
    }

    /** The REGISTERED the pipelined REGISTER brought, with the secret derived for it. */
    private static Held register2(RawClient c, byte[] secret) throws Exception {
        WireReader f = c.read();
        assertEquals(Frames.REGISTERED, f.u8("type"));
        Resumption.Issued issued = Resumption.readRegistered(f);
        assertNotNull(issued);
        return new Held(issued.ticket(), secret, issued.expiresAtMillis());
    }

    @Test
    void aTicketReplayedByAnotherConnectionWithoutItsSecretIsRefused() throws Exception {
        Held held;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            held = fullLogon(c, "acme", "h1");
        }
        // The ticket was seen on the wire; the secret never was.
        byte[] guess = new byte[32];
        RANDOM.nextBytes(guess);
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            String why = resume(c, "acme", "h1", held.ticket(), guess);
            assertTrue(why.startsWith(Resumption.REFUSED) && why.contains("proof is wrong"), why);
        }
        // A proof seen on the wire is bound to that connection's nonce: replayed on another, it is wrong.
        byte[] seen;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            c.frame(new Resumption.Request(Frames.VERSION, "acme", "h1", held.ticket()).frame());
            WireReader f = c.read();
            assertEquals(Frames.RESUME_CHALLENGE, f.u8("type"));
            seen = Resumption.clientProof(held.secret(), Resumption.readChallenge(f), "acme", "h1", held.ticket());
            c.frame(Resumption.proof(seen));
            assertEquals(Frames.RESUMED, c.read().u8("type"));
        }
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            c.frame(new Resumption.Request(Frames.VERSION, "acme", "h1", held.ticket()).frame());
            WireReader f = c.read();
            assertEquals(Frames.RESUME_CHALLENGE, f.u8("type"));
            c.frame(Resumption.proof(seen));
            String why = c.refusal();
            assertTrue(why.contains("proof is wrong"), why);
        }
        assertTrue(audit.lines().stream().anyMatch(l -> l.contains("TWCLOGON!") && l.contains("127.0.0.9")),
                "a refused ticket is logged with the address: " + audit.lines());
    }

    @Test
    void aForgedChangedOrBorrowedTicketIsRefused() throws Exception {
        Held held;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            held = fullLogon(c, "acme", "h1");
        }
        for (int i : new int[] {0, 5, held.ticket().length / 2, held.ticket().length - 1}) {
            byte[] changed = held.ticket().clone();
            changed[i] ^= 1;
            try (RawClient c = new RawClient("127.0.0.9", port)) {
                String why = resume(c, "acme", "h1", changed, held.secret());
                assertTrue(why.contains("forged or changed"), "byte " + i + ": " + why);
            }
        }
        byte[] made = new byte[200];
        RANDOM.nextBytes(made);
        made[0] = 1;
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            assertTrue(resume(c, "acme", "h1", made, held.secret()).contains("forged or changed"));
        }
        // Presented for another Host name or account than it was issued to.
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            assertTrue(resume(c, "acme", "h2", held.ticket(), held.secret()).contains("issued to another Host"));
        }
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            assertTrue(resume(c, "other", "h1", held.ticket(), held.secret()).contains("issued to another Host"));
        }
        // Longer than any ticket: the decoder's bound.
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            c.frame(new Resumption.Request(Frames.VERSION, "acme", "h1", new byte[0]).frame());
            assertTrue(c.refusal().contains("forged or changed"));
        }
        try (RawClient c = new RawClient("127.0.0.9", port)) {
            byte[] big = new byte[Resumption.MAX_TICKET + 1];
            java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
            o.write(Frames.VERSION);
            o.writeBytes(new byte[] {0, 4, 'a', 'c', 'm', 'e', 0, 2, 'h', '1'});
            o.writeBytes(new byte[] {(byte) (big.length >> 8), (byte) big.length});
            o.writeBytes(big);
            c.frame(Frames.RESUME_LOGON, o.toByteArray());
            String why = c.refusal();
            assertTrue(why.startsWith("protocol error: resumption ticket of 513 bytes exceeds"), why);
        }
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        Held held;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            held = fullLogon(c, "acme", "h1");
        }
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            String why = resume(c, "acme", "h1", held.ticket(), held.secret());
            assertEquals(Resumption.REFUSED + "expired", why);
        }
    }

    @Test
    void aTicketIsRevokedByRemovingTheAccountOrChangingItsPassword() throws Exception {
        Held acme;
        Held other;
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            acme = fullLogon(c, "acme", "h1");
        }
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            other = fullLogon(c, "other", "h1");
        }
        manager.accounts().remove("acme");
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            assertEquals(Resumption.REFUSED + "the account was removed", resume(c, "acme", "h1", acme.ticket(), acme.secret()));
        }
        manager.accounts().put("other", PasswordVerifier.create("other", "a new password".toCharArray(), RANDOM, 1024, 1, 1), 0);
        try (RawClient c = new RawClient("127.0.0.2", port)) {
            assertEquals(Resumption.REFUSED + "the account's password changed since it was issued",
                    resume(c, "other", "h1", other.ticket(), other.secret()));
        }
    }

    @Test
    void fullLogonsBeyondTheBoundAreToldToRetry() throws Exception {
        manager.stop();
        // A method whose challenges wait for the test: two logons are in the manager's hands at once.
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        manager = new ManagerServer(new ManagerServer.Settings("m1", "127.0.0.1", 0, "", null, 60, 10, 100,
                new LogonLimits(10_000, 1_000, 10_000, 1_000, 1_000, 10_000, Duration.ZERO, Duration.ofDays(1)), "slow"),
                store, clock);
        Authenticator builtIn = manager.methods.authenticator(ManagerServer.METHOD).orElseThrow();
        manager.authenticators(() -> List.of(new Authenticator() {
            @Override
            public String method() {
                return "slow";
            }

            @Override
            public Exchange begin(String user, String sourceAddress) throws IOException {
                entered.countDown();
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return builtIn.begin(user, sourceAddress);
            }
        }));
        manager.resumption(new ManagerServer.Resume(1, 2, 750));
        manager.start();
        port = RawClient.port(manager);
        try (RawClient a = new RawClient("127.0.0.2", port); RawClient b = new RawClient("127.0.0.3", port);
                RawClient x = new RawClient("127.0.0.4", port)) {
            a.frame(new Logon.Request(Frames.VERSION, "acme", "guest").frame());
            b.frame(new Logon.Request(Frames.VERSION, "acme", "guest").frame());
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            x.frame(new Logon.Request(Frames.VERSION, "acme", "guest").frame());
            WireReader f = x.read();
            assertEquals(Frames.RETRY, f.u8("type"), "the third logon is beyond the bound of 2");
            Resumption.Retry retry = Resumption.Retry.read(f);
            assertEquals(750, retry.millis());
            assertTrue(retry.reason().contains("busy with 2 logons"), retry.reason());
            assertEquals(-1, x.in.read(), "and its connection closed");
            go.countDown();
            for (RawClient c : List.of(a, b)) {
                f = c.read();
                assertEquals(Frames.CHALLENGE, f.u8("type"));
                c.frame(Logon.Challenged.read(f).answer(new SrpClient("acme", RawClient.PASSWORD.toCharArray(), RANDOM),
                        "acme"));
                assertEquals(Frames.WELCOME, c.read().u8("type"));
            }
        }
        // Their permits were given back: the next logon is served.
        try (RawClient c = new RawClient("127.0.0.4", port)) {
            assertEquals("welcome", c.logOn("acme", "guest", RawClient.PASSWORD));
        }
    }
}
