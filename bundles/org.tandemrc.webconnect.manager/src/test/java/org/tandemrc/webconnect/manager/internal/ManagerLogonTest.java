package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.store.Store;

/** Guessing an account's password at the Connection Manager, and trickling bytes at it, over real TCP. */
class ManagerLogonTest {

    private static final String PASSWORD = "the right password";
    private static final SecureRandom RANDOM = new SecureRandom();
    private ManagerServer manager;
    /** Held here: JUL keeps loggers only weakly, and a collected one would lose the capturing handler. */
    private final Logger auditLogger = Logger.getLogger("org.tandemrc.webconnect.manager.audit");
    private int port;
    private final List<String> log = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            Object[] p = r.getParameters();
            if (p != null) {
                m = java.text.MessageFormat.format(m, p);
            }
            synchronized (log) {
                log.add(m);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        auditLogger.addHandler(capture);
        Store store = new Store("jdbc:h2:mem:logon" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        manager = new ManagerServer(new ManagerServer.Settings("m1", "127.0.0.1", 0, "", null, 60, 2, 100), store);
        manager.accounts().put("acme", PasswordVerifier.create("acme", PASSWORD.toCharArray(), RANDOM, 1024, 1, 1), 0);
        manager.start();
        port = Integer.parseInt(manager.address().substring(manager.address().lastIndexOf(':') + 1));
    }

    @AfterEach
    void stop() {
        manager.stop();
        auditLogger.removeHandler(capture);
    }

    /** A raw client: one frame out, one frame in. */
    private static final class Client implements AutoCloseable {
        final Socket s = new Socket();
        final DataOutputStream out;
        final DataInputStream in;

        Client(String source, int port) throws IOException {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            out = new DataOutputStream(s.getOutputStream());
            in = new DataInputStream(s.getInputStream());
        }

        void frame(byte type, byte[] payload) throws IOException {
            out.writeInt(1 + payload.length);
            out.writeByte(type);
            out.write(payload);
            out.flush();
        }

        void frame(ByteBuf frame) throws IOException {
            try {
                frame.readBytes(out, frame.readableBytes());
                out.flush();
            } finally {
                frame.release();
            }
        }

        /** The next frame (at most a control frame), from its type byte. */
        WireReader read() throws IOException {
            int n = in.readInt();
            if (n < 1 || n > Frames.MAX_CONTROL_FRAME) {
                throw new IOException("a frame of " + n + " bytes");
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return new WireReader(java.nio.ByteBuffer.wrap(b));
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
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
        try (Client c = new Client(source, port)) {
            return logOn(c, account, "guest", password);
        }
    }

    private static String logOn(Client c, String account, String role, String password) throws Exception {
        c.frame(new Logon.Request(Frames.VERSION, account, role).frame());
        WireReader f = c.read();
        if (f.u8("type") == Frames.ERROR) {
            return Fields.string(f, "reason");
        }
        c.frame(Logon.Challenged.read(f).answer(new SrpClient(account, password.toCharArray(), RANDOM), account));
        f = c.read();
        return f.u8("type") == Frames.WELCOME ? "welcome" : Fields.string(f, "reason");
    }

    /** The manager's ERROR reason, after which it closes the connection. */
    private static String refusal(Client c) throws Exception {
        WireReader f = c.read();
        assertEquals(Frames.ERROR, f.u8("type"));
        String reason = Fields.string(f, "reason");
        assertEquals(-1, c.in.read(), "the manager closes the connection after the refusal");
        return reason;
    }

    @Test
    void aHostileFrameIsRefusedAndTheConnectionClosed() throws Exception {
        // Before logon: a LOGON whose account claims 65535 bytes in a frame of a few.
        try (Client c = new Client("127.0.0.5", port)) {
            c.frame(Frames.LOGON, new byte[] {Frames.VERSION, (byte) 0xff, (byte) 0xff, 'a', 'c'});
            String why = refusal(c);
            assertTrue(why.startsWith("protocol error: account of 65535 bytes exceeds the limit"), why);
        }
        // After logon: a REGISTER that counts more live pairings than its frame holds.
        try (Client c = new Client("127.0.0.5", port)) {
            assertEquals("welcome", logOn(c, "acme", "host", PASSWORD));
            c.frame(Frames.REGISTER, cat(string("h1"), string("i1"), new byte[] {(byte) 0x0f, (byte) 0xff, 0, 0}));
            String why = refusal(c);
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
        List<String> lines;
        synchronized (log) {
            lines = List.copyOf(log);
        }
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
        other.accounts().put("acme", PasswordVerifier.create("acme", PASSWORD.toCharArray(), RANDOM, 1024, 1, 1), 0);
        other.start();
        int main = port;
        try {
            port = Integer.parseInt(other.address().substring(other.address().lastIndexOf(':') + 1));
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
        try (Client c = new Client("127.0.0.3", port)) {
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
