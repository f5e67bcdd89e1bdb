package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.store.Store;

/** Guessing an account's password at the Connection Manager, and trickling bytes at it, over real TCP. */
class ManagerLogonTest {

    private static final String PASSWORD = RawClient.PASSWORD;
    private ManagerServer manager;
    private int port;
    private final AuditCapture audit = new AuditCapture();

    @BeforeEach
    void start() throws Exception {
        audit.start();
        manager = RawClient.started(2, "acme");
        port = RawClient.port(manager);
    }

    @AfterEach
    void stop() {
        manager.stop();
        audit.stop();
    }

    private static byte[] string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Logs on and returns "welcome" or the manager's reason. */
    private String logOn(String source, String account, String password) throws Exception {
        try (RawClient c = new RawClient(source, port)) {
            return c.logOn(account, "guest", password);
        }
    }

    @Test
    void aHostileFrameIsRefusedAndTheConnectionClosed() throws Exception {
        // Before logon: a LOGON whose account claims 65535 bytes in a frame of a few.
        try (RawClient c = new RawClient("127.0.0.5", port)) {
            c.frame(Frames.LOGON, new byte[] {Frames.VERSION, (byte) 0xff, (byte) 0xff, 'a', 'c'});
            String why = c.refusal();
            assertTrue(why.startsWith("protocol error: account of 65535 bytes exceeds the limit"), why);
        }
        // After logon: a REGISTER that counts more live pairings than its frame holds.
        try (RawClient c = new RawClient("127.0.0.5", port)) {
            assertEquals("welcome", c.logOn("acme", "host", PASSWORD));
            c.frame(Frames.REGISTER, cat(string("h1"), string("i1"), new byte[] {(byte) 0x0f, (byte) 0xff, 0, 0}));
            String why = c.refusal();
            assertTrue(why.startsWith("protocol error: live pairings of 4095 "), why);
        }
    }

    @Test
    void guessingAnAccountIsLimitedAndLogged() throws Exception {
        int evaluated = 0;
        String last = "";
        for (int i = 0; i < 30; i++) {
            last = logOn("127.0.0.2", "acme", "guess " + i);
            if (last.contains("wrong account or password")) {
                evaluated++;
            }
        }
        String right = logOn("127.0.0.2", "acme", PASSWORD);
        String user = logOn("127.0.0.1", "acme", PASSWORD);
        List<String> lines = audit.lines();
        System.out.println("30 wrong guesses from 127.0.0.2: " + evaluated + " evaluated, last: " + last
                + "; then the right password from there: " + right + "; from 127.0.0.1: " + user + "; "
                + lines.size() + " audit lines");
        assertTrue(evaluated <= 5, "at most the burst of 5 evaluated, was " + evaluated);
        assertTrue(!right.equals("welcome"), "the guessing address is held back even with the right password");
        assertEquals("welcome", user, "the right user on another address");
        assertTrue(lines.stream().anyMatch(l -> l.contains("127.0.0.2") && l.contains("acme") && l.contains("SECPW!")),
                "failures are logged with the address: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("127.0.0.1") && l.contains("acme") && l.contains("logged on")),
                "successes are logged with the address: " + lines);
    }

    @Test
    void theConfiguredMethodIsTheAuthenticatorServiceOfThatName() throws Exception {
        Store store = new Store("jdbc:h2:mem:method" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        ManagerServer other = new ManagerServer(new ManagerServer.Settings("m2", "127.0.0.1", 0, "", null, 60, 2, 100,
                LogonLimits.defaults(), "directory"), store);
        AtomicInteger begun = new AtomicInteger();
        List<Authenticator> services = new CopyOnWriteArrayList<>();
        // A third-party method that speaks SRP over the same accounts, so that the client's side is unchanged.
        Authenticator builtIn = other.methods.authenticator(ManagerServer.METHOD).orElseThrow();
        services.add(new Authenticator() {
            @Override
            public String method() {
                return "directory";
            }

            @Override
            public Exchange begin(String user, String sourceAddress) throws IOException {
                begun.incrementAndGet();
                return builtIn.begin(user, sourceAddress);
            }
        });
        other.authenticators(() -> services);
        RawClient.account(other, "acme");
        other.start();
        int main = port;
        try {
            port = RawClient.port(other);
            assertEquals("welcome", logOn("127.0.0.4", "acme", PASSWORD));
            assertEquals(1, begun.get());
            services.clear();
            String why = logOn("127.0.0.4", "acme", PASSWORD);
            assertTrue(why.contains("the access method 'directory' is not installed"), why);
            assertEquals(1, begun.get());
        } finally {
            port = main;
            other.stop();
        }
        assertEquals("welcome", logOn("127.0.0.4", "acme", PASSWORD), "the default method is the built-in one");
    }

    @Test
    void aTrickleOfBytesDoesNotOutliveTheIdleTimeout() throws Exception {
        try (RawClient c = new RawClient("127.0.0.3", port)) {
            byte[] frame = cat(new byte[] {0, 0, 0, 10, Frames.LOGON, Frames.VERSION}, string("acme"), string("guest"));
            long t0 = System.nanoTime();
            c.s.setSoTimeout(100);
            boolean closed = false;
            for (int i = 0; i < frame.length - 1 && !closed; i++) {
                try {
                    c.out.write(frame[i]);
                    c.out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                long until = System.nanoTime() + 700_000_000L;
                while (System.nanoTime() < until) {
                    try {
                        if (c.in.read() < 0) {
                            closed = true;
                            break;
                        }
                    } catch (SocketTimeoutException e) {
                        // nothing yet
                    } catch (IOException e) {
                        closed = true;
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("one byte every 0.7 s against a 2 s idle timeout: %s after %.1f s%n",
                    closed ? "closed" : "still open", seconds);
            assertTrue(closed && seconds < 4, "closed within the idle timeout, " + (closed ? "after " + seconds + " s" : "never"));
        }
    }
}
