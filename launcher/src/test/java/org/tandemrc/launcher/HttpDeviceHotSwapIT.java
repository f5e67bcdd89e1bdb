package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http device is a plugin that can be replaced on a running Host: a Host listens with a tcp and an
 * http profile, a Guest chats with it over tcp, the http device bundle is updated, and the chat goes on
 * over the same connection while the http profile listens again and takes a new Guest.
 */
class HttpDeviceHotSwapIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Pattern TCP = Pattern.compile("tcp:127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path tmp;

    private static NodeProcess.Result admin(Path home, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        return NodeProcess.run(all.toArray(String[]::new));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A folder for {@link NodeProcess#guestArgs} (a Guest command has every comm-* device). */
    private Path guestHome(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void updatingTheHttpDeviceKeepsTcpSessionsAndListensAgain() throws Exception {
        Path home = tmp.resolve("host");
        Files.createDirectories(home.resolve("etc"));
        Files.copy(NodeProcess.DIST.resolve("etc/node.properties"), home.resolve("etc/node.properties"));
        Files.writeString(home.resolve("etc/node.properties"),
                Files.readString(home.resolve("etc/node.properties")).replaceFirst("(?m)^features = comm-tcp,", "features = comm-tcp, comm-http,"));
        Files.writeString(home.resolve("etc/org.tandemrc.profile-default.cfg"), "device = tcp\nbind = 127.0.0.1\nport = 0\n");
        int httpPort = freePort();
        Files.writeString(home.resolve("etc/org.tandemrc.profile-web.cfg"),
                "device = http\nbind = 127.0.0.1\nport = " + httpPort + "\n");
        Path password = tmp.resolve("host-password");
        Files.writeString(password, PASSWORD + "\n");
        String http = "http:127.0.0.1:" + httpPort;

        try (NodeProcess host = NodeProcess.startOnTerminal("host", "--home", home.toString(), "--password-file", password.toString())) {
            host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
            assertTrue(host.output().contains(http), "the Host listens on the http profile:\n" + host.output());
            Matcher m = TCP.matcher(host.output());
            assertTrue(m.find(), host.output());
            String tcp = "tcp:127.0.0.1:" + m.group(1);

            // Before the update, a Guest reaches the Host over http.
            NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(guestHome("g1"), PASSWORD, "connect", http));
            assertEquals(0, r.status(), r.out() + r.err());

            try (NodeProcess guest = NodeProcess.start("guest", "chat", tcp, "--password-stdin", "--home",
                    guestHome("g2").resolve("guest-home").toString())) {
                guest.type(PASSWORD);
                guest.awaitLine(l -> l.startsWith("Chat with"), 20_000);
                host.awaitLine(l -> l.startsWith("Chat with"), 10_000);
                host.type("before the update");
                guest.awaitLine(l -> l.endsWith(": before the update"), 10_000);
                long connectionsBefore = host.output().lines().filter(l -> l.startsWith("Chat with")).count();

                long started = System.nanoTime();
                NodeProcess.Result update = admin(home, "bundle", "update", "org.tandemrc.comm.http");
                assertEquals(0, update.status(), update.out() + update.err());
                System.out.println("bundle update took " + (System.nanoTime() - started) / 1_000_000 + " ms: " + update.out());

                // The tcp chat goes on, both ways, on the same connection.
                host.type("after the update");
                guest.awaitLine(l -> l.endsWith(": after the update"), 10_000);
                guest.type("still here");
                host.awaitLine(l -> l.endsWith(": still here"), 10_000);
                assertTrue(guest.process().isAlive(), "the Guest's chat survived the update");
                assertEquals(connectionsBefore, host.output().lines().filter(l -> l.startsWith("Chat with")).count(),
                        "no new chat began: the same connection carried it");

                // The http profile listens again: a new Guest gets in over http.
                long deadline = System.nanoTime() + 30_000_000_000L;
                NodeProcess.Result again;
                do {
                    again = NodeProcess.run(NodeProcess.guestArgs(guestHome("g3"), PASSWORD, "connect", http));
                } while (again.status() != 0 && System.nanoTime() < deadline && sleep());
                assertEquals(0, again.status(), again.out() + again.err() + "\nHost:\n" + host.output());
                System.out.println("http listens again " + (System.nanoTime() - started) / 1_000_000 + " ms after the update began");

                guest.type("/end");
                guest.awaitLine(l -> l.startsWith("Chat ended"), 10_000);
                assertEquals(0, guest.awaitExit(20_000), guest.output());
            }
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }
}
