package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session types over every communication device, unchanged, between real nodes: each device's
 * Host is configured only by its profile file, and the Guest picks its profile from its own etc/.
 */
class DevicesIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;

    /**
     * A Host whose home has the distribution's defaults, the default tcp profile disabled, the given
     * features and profile files, a share {@code share} and the Host name {@code name}.
     */
    private NodeProcess host(String name, String features, Map<String, String> profiles) throws Exception {
        Path home = tmp.resolve("host-" + name);
        Map<String, String> etc = new LinkedHashMap<>(defaults());
        etc.put("node.properties", "features = " + features + "\n");
        etc.put("org.tandemrc.profile-default.cfg", "device = tcp\nenabled = false\n");
        etc.put("org.tandemrc.host.security.cfg", "name = " + name + "\n");
        etc.put("org.tandemrc.files.cfg", "shares = share=" + Files.createDirectories(home.resolve("share")) + "\n");
        etc.putAll(profiles);
        Files.createDirectories(home.resolve("etc"));
        for (Map.Entry<String, String> e : etc.entrySet()) {
            Files.writeString(home.resolve("etc").resolve(e.getKey()), e.getValue());
        }
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        NodeProcess node = NodeProcess.start("host", "--home", home.toString(), "--password-file", pw.toString());
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
        return node;
    }

    /** The distribution's default etc/ files (a home with node.properties gets no copies). */
    private static Map<String, String> defaults() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(NodeProcess.DIST.resolve("etc"))) {
            for (Path f : dir) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }

    /** Gives the Guest (home {@code tmp/guest-home}) these features and profile files. */
    private void guestEtc(String features, Map<String, String> profiles) throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("guest-home/etc"));
        Files.writeString(etc.resolve("node.properties"), "features = " + features + "\n");
        for (Map.Entry<String, String> e : profiles.entrySet()) {
            Files.writeString(etc.resolve(e.getKey()), e.getValue());
        }
    }

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    /** Log on, Send Message, a file to the Host and back byte-identical, and the tools list. */
    private void sessionsRunOver(String address, String hostName, Path share) throws Exception {
        NodeProcess.Result r = guest("connect", address);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("Connected to " + hostName + " at " + address), r.out());
        assertTrue(r.out().contains("role        Full access"), r.out());

        r = guest("message", address, "over", "the", "device");
        assertEquals(0, r.status(), r.out() + r.err());

        byte[] data = new byte[3 << 20];
        new Random(7).nextBytes(data);
        Path file = Files.write(tmp.resolve("payload-" + hostName + ".bin"), data);
        r = guest("copy", file.toString(), address + ":/share");
        assertEquals(0, r.status(), r.out() + r.err());
        assertArrayEquals(data, Files.readAllBytes(share.resolve(file.getFileName())));
        Path back = Files.createDirectories(tmp.resolve("back-" + hostName));
        r = guest("copy", address + ":/share/" + file.getFileName(), back.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertArrayEquals(data, Files.readAllBytes(back.resolve(file.getFileName())));

        r = guest("tools", address);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("Task Manager (processes)"), r.out());
    }

    @Test
    void twoSessionsHostsOnOneTerminalServerAreReachedByTheirUsersNames() throws Exception {
        Path sockets = Files.createDirectories(tmp.resolve("ts"));
        String features = "comm-terminal-server, sessions, console, log-file, tools-system";
        String profile = "device = terminal-server\nsocket-dir = " + sockets + "\n";
        try (NodeProcess alice = host("alice-session", features,
                Map.of("org.tandemrc.profile-ts.cfg", profile + "session = alice\n"));
                NodeProcess bob = host("bob-session", features,
                        Map.of("org.tandemrc.profile-ts.cfg", profile + "session = bob\n"))) {
            assertTrue(alice.output().contains("listening  terminal-server:alice"), alice.output());
            assertTrue(bob.output().contains("listening  terminal-server:bob"), bob.output());
            assertTrue(Files.exists(sockets.resolve("alice.sock")));

            guestEtc("comm-tcp, comm-terminal-server, sessions, console",
                    Map.of("org.tandemrc.profile-ts.cfg", "device = terminal-server\nsocket-dir = " + sockets + "\n"));
            sessionsRunOver("terminal-server:alice", "alice-session", tmp.resolve("host-alice-session/share"));
            sessionsRunOver("terminal-server:bob", "bob-session", tmp.resolve("host-bob-session/share"));

            NodeProcess.Result r = guest("connect", "terminal-server:carol");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("no Host listens for that session"), r.err());

            r = NodeProcess.run("admin", "--home", tmp.resolve("host-alice-session").toString(), "profiles");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("(?s)PROFILE\\s+DEVICE\\s+ENABLED\\s+STATE\\s+SETTINGS\n"
                    + "default\\s+tcp\\s+no\\s+disabled\\s+-\n"
                    + "ts\\s+terminal-server\\s+yes\\s+listening on terminal-server:alice\\s+session=alice socket-dir=.*"),
                    r.out());
        }
    }
}
