package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Guest and a Host as real processes on loopback: logon, roles, pinning, events, hostile peers. */
class GuestIT {

    private static final Pattern IDENTITY = Pattern.compile("identity\\s+(SHA256:\\S+)");
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;

    private Path file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** A Host on 127.0.0.1 (any free port) with the shared password and extra security settings. */
    private NodeProcess host(Path home, String security) throws Exception {
        return NodeProcess.host(home, file("host-password", PASSWORD + "\n"), Map.of(), false,
                security == null ? Map.of() : Map.of("org.tandemrc.host.security.cfg", security));
    }


    private NodeProcess.Result guest(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("guest"));
        all.addAll(List.of(args));
        all.addAll(List.of("--home", tmp.resolve("guest-home").toString()));
        return NodeProcess.run(all.toArray(String[]::new));
    }

    @Test
    void aGuestLogsOnWithTheSharedPasswordAndPinsTheHost() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null)) {
            Matcher id = IDENTITY.matcher(host.output());
            assertTrue(id.find(), "the Host prints its fingerprint:\n" + host.output());
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            NodeProcess.Result r = guest("connect", address, "--password-file", file("pw", PASSWORD).toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("identity    " + id.group(1) + " (new Host, pinned"), r.out());
            assertTrue(r.out().contains("role        Full access"), r.out());
            assertTrue(r.out().contains("chat") && r.out().contains("send_message"), r.out());

            r = NodeProcess.runWithInput(PASSWORD + "\n", "guest", "connect", address, "--password-stdin", "--home",
                    tmp.resolve("guest-home").toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("(matches the pinned key)"), r.out());
            assertTrue(events(home).contains("HSES+"), events(home));
        }
        // The same address now answers with another identity: refused unless accepted explicitly.
        Path other = tmp.resolve("other-host");
        try (NodeProcess host = host(other, null)) {
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            Files.writeString(tmp.resolve("guest-home/etc/known-hosts"),
                    Files.readString(tmp.resolve("guest-home/etc/known-hosts")).replaceAll("tcp:127\\.0\\.0\\.1:\\d+",
                            address));
            NodeProcess.Result r = guest("connect", address, "--password-file", file("pw", PASSWORD).toString());
            assertEquals(4, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("has CHANGED"), r.err());
            assertFalse(events(other).contains("SECPW!"), "the Guest stopped before logging on");
            r = guest("connect", address, "--password-file", file("pw", PASSWORD).toString(), "--accept-new-key");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("NEW key accepted"), r.out());
        }
    }

    @Test
    void wrongPasswordsAreRefusedAndTheLimitLocksTheAddressOut() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, "max.attempts = 2\nattempts.action = lockout\nlockout.minutes = 5\n")) {
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            NodeProcess.Result r = guest("connect", address, "--password-file", file("bad", "guess\n").toString());
            assertEquals(5, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("logon failed: wrong Guest ID or password (1 attempt(s) left"), r.err());
            r = guest("connect", address, "--password-file", file("bad", "guess\n").toString());
            assertEquals(6, r.status());
            assertTrue(r.err().contains("your address is locked out for 5 minute(s)"), r.err());
            // Locked out: even the right password is refused now.
            r = guest("connect", address, "--password-file", file("pw", PASSWORD).toString());
            assertEquals(6, r.status());
            assertTrue(r.err().contains("too many wrong passwords from your address"), r.err());

            String events = events(home);
            assertTrue(events.contains("SECPW!"), events);
            assertTrue(events.contains("HSECPWLIM!"), events);
        }
    }

    @Test
    void privilegesAreEnforcedOnTheHost() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, "method = guest-id\n")) {
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            Path pw = file("viewer-pw", "viewer secret\n");
            NodeProcess.Result add = NodeProcess.admin(home, "access", "guest", "add", "viewer", "--password-file", pw.toString(),
                    "--role", "View only");
            assertEquals(0, add.status(), add.out() + add.err());
            assertFalse(Files.readString(home.resolve("etc/guest-passwords")).contains("viewer secret"));

            NodeProcess.Result r = guest("connect", address, "--guest-id", "viewer", "--password-file", pw.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("role        View only"), r.out());

            r = guest("chat", address, "--guest-id", "viewer", "--password-file", pw.toString());
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the Host refused the Chat session: your role 'View only' does not allow Chat"),
                    r.err());
            r = guest("message", address, "hello", "--guest-id", "viewer", "--password-file", pw.toString());
            assertEquals(7, r.status());
            assertTrue(r.err().contains("does not allow Send Message"), r.err());

            r = guest("connect", address, "--password-file", pw.toString());
            assertEquals(5, r.status());
            assertTrue(r.err().contains("this Host accepts individual Guest IDs"), r.err());
            r = guest("connect", address, "--guest-id", "nobody", "--password-file", pw.toString());
            assertEquals(5, r.status());
            assertTrue(r.err().contains("wrong Guest ID or password"), "an unknown ID looks like a wrong password: "
                    + r.err());
            assertTrue(events(host == null ? home : home).contains("TSECPRIV!"));
        }
    }

    @Test
    void aMessageReachesThePersonAtTheHostAndNothingSecretCrossesTheWire() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null); RecordingRelay relay = new RecordingRelay(host.tcpPort())) {
            String address = "tcp:127.0.0.1:" + relay.port();
            String text = "Your printer is fixed, launch code 31337";
            NodeProcess.Result r = guest("message", address, text, "--password-file", file("pw", PASSWORD).toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Message delivered."), r.out());
            host.awaitLine(l -> l.contains(text), 10_000);
            assertTrue(events(home).contains("HACTMSG"), events(home));

            String wire = new String(relay.recorded(), StandardCharsets.ISO_8859_1);
            assertTrue(wire.length() > 500, "the relay saw the session");
            assertFalse(wire.contains("launch code"), "message text on the wire");
            assertFalse(wire.contains("battery staple"), "password on the wire");
        }
    }

    /**
     * A message with terminal commands is shown escaped at the Host's terminal, and the Guest keeps its
     * own event log (data/log/events.log in its home) from call to hang-up.
     */
    @Test
    void terminalCommandsInAMessageAreShownEscapedAndTheGuestLogsItsEvents() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null)) {
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            NodeProcess.Result r = guest("message", address, "hi \u001b[2J\u001b]0;owned\u0007 there",
                    "--password-file", file("pw", PASSWORD).toString());
            assertEquals(0, r.status(), r.out() + r.err());
            String shown = host.awaitLine(l -> l.contains("hi \\x1b[2J\\x1b]0;owned\\x07 there"), 10_000);
            assertFalse(shown.contains("\u001b"), shown);
            assertFalse(host.output().contains("\u001b"), "no escape character reaches the Host's terminal");

            String guestEvents = events(tmp.resolve("guest-home"));
            for (String code : new String[] {"\tGCONCALL\t", "\tGCONUSER\t", "\tGACTMSG\t", "\tGCONHNGUP\t"}) {
                assertTrue(guestEvents.contains(code), code.strip() + " in the Guest's events:\n" + guestEvents);
            }
            assertTrue(guestEvents.contains("\t127.0.0.1:" + host.tcpPort() + "\t"), "the Host's address: " + guestEvents);
        }
    }

    @Test
    void confirmAccessAsksThePersonAtTheHost() throws Exception {
        Path home = tmp.resolve("host");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.tandemrc.host.role-helpdesk.cfg"),
                "name = Helpdesk\nprivileges = chat, send_message\nconfirm.access = true\n");
        try (NodeProcess host = host(home, "shared.role = Helpdesk\nconfirm.timeout = 20\n")) {
            String address = "tcp:127.0.0.1:" + host.tcpPort();
            // A message is exempt from confirm access.
            NodeProcess.Result r = guest("message", address, "no need to ask", "--password-file",
                    file("pw", PASSWORD).toString());
            assertEquals(0, r.status(), r.out() + r.err());

            Thread answer = new Thread(() -> {
                try {
                    host.awaitLine(l -> l.contains("Allow?"), 20_000);
                    host.type("n");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            answer.start();
            r = NodeProcess.runWithInput(PASSWORD + "\n", "guest", "chat", address, "--password-stdin", "--home",
                    tmp.resolve("guest-home").toString());
            answer.join();
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the person at the Host refused access"), r.err());
            assertTrue(events(home).contains("SECCA!"), events(home));
        }
    }

    @Test
    void aChatRunsBothWaysUntilOneSideEndsIt() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null);
                NodeProcess guest = NodeProcess.start("guest", "chat", "tcp:127.0.0.1:" + host.tcpPort(),
                        "--password-stdin", "--home", tmp.resolve("guest-home").toString())) {
            guest.type(PASSWORD);
            guest.awaitLine(l -> l.startsWith("Chat with"), 20_000);
            host.awaitLine(l -> l.startsWith("Chat with"), 10_000);
            host.type("hello from the Host");
            guest.awaitLine(l -> l.endsWith(": hello from the Host"), 10_000);
            guest.type("thanks, all good");
            host.awaitLine(l -> l.endsWith(": thanks, all good"), 10_000);
            guest.type("/end");
            guest.awaitLine(l -> l.startsWith("Chat ended"), 10_000);
            assertEquals(0, guest.awaitExit(20_000), guest.output());
            host.awaitLine(l -> l.startsWith("Chat ended"), 10_000);
            String events = events(home);
            assertTrue(events.contains("HSESCHAT+") && events.contains("HSESCHAT-"), events);
            assertFalse(events.contains("hello from the Host"), "chat text stays out of the audit log");
        }
    }

    @Test
    void aMaintenancePasswordProtectsAccessChangesAndStopping() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, "method = guest-id\n")) {
            Path maintenance = file("maintenance", "the keys to the kingdom\n");
            Path wrong = file("wrong", "not it\n");
            Path pw = file("alice-pw", "alice secret\n");
            assertEquals(0, NodeProcess.admin(home, "access", "maintenance", "--password-file", maintenance.toString()).status());

            NodeProcess.Result r = NodeProcess.admin(home, "access", "guest", "add", "alice", "--password-file", pw.toString(),
                    "--role", "Full access");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("give it with --maintenance-password-file"), r.err());
            r = NodeProcess.admin(home, "access", "guest", "add", "alice", "--password-file", pw.toString(), "--role",
                    "Full access", "--maintenance-password-file", wrong.toString());
            assertEquals(1, r.status());
            assertTrue(r.err().contains("wrong maintenance password"), r.err());
            r = NodeProcess.admin(home, "access", "guest", "add", "alice", "--password-file", pw.toString(), "--role",
                    "Full access", "--maintenance-password-file", maintenance.toString());
            assertEquals(0, r.status(), r.err());

            // No Guest can log on with the maintenance entry.
            r = guest("connect", "tcp:127.0.0.1:" + host.tcpPort(), "--guest-id", "!maintenance", "--password-file",
                    maintenance.toString());
            assertEquals(5, r.status());
            assertTrue(r.err().contains("wrong Guest ID or password"), r.err());

            r = NodeProcess.admin(home, "stop");
            assertEquals(1, r.status());
            assertTrue(host.process().isAlive(), "the Host must keep running");
            r = NodeProcess.admin(home, "stop", "--maintenance-password-file", maintenance.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(0, host.awaitExit(20_000));
        }
    }

    @Test
    void hostilePeersAreClosedAndRealGuestsStillServed() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null)) {
            int port = host.tcpPort();
            Random random = new Random(42);
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + random.nextInt(4096)];
                random.nextBytes(junk);
                assertClosedAfter(port, junk);
            }
            assertClosedAfter(port, new byte[] {(byte) 0x80, 0, 0, 0, 1, 2, 3}); // a length of 2^31
            assertClosedAfter(port, new byte[] {0, 0, 0, 40, 'T', 'N', 'D', 'M', 1, 1}); // truncated hello

            List<Socket> halfOpen = new ArrayList<>();
            try {
                // From another address than the real Guest's: one address may keep only 8 connections
                // waiting to log on (docs/security/logon.md), the rest are closed at once.
                for (int i = 0; i < 1000; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                    halfOpen.add(s);
                }
                NodeProcess.Result r = guest("connect", "tcp:127.0.0.1:" + port, "--password-file",
                        file("pw", PASSWORD).toString());
                assertEquals(0, r.status(), "a real Guest is served while 1000 connections hang: " + r.out() + r.err());
                // Each silent connection is closed once the key exchange times out (10 s).
                for (Socket s : List.of(halfOpen.get(0), halfOpen.get(499), halfOpen.get(999))) {
                    s.setSoTimeout(20_000);
                    assertEquals(-1, s.getInputStream().read(), "the Host closes a silent connection");
                }
            } finally {
                for (Socket s : halfOpen) {
                    s.close();
                }
            }
        }
    }

    private static void assertClosedAfter(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                return; // closed while writing: fine
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                while (in.read(buf) >= 0) {
                    // drain whatever the Host answers before it closes
                }
            } catch (java.net.SocketException e) {
                // reset by the Host: closed
            }
        }
    }

}
