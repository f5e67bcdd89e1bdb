package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;

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
        return host(null, name, features, profiles);
    }

    /** As {@link #host(String, String, Map)}, inside the network namespace {@code netns} unless null. */
    private NodeProcess host(String netns, String name, String features, Map<String, String> profiles) throws Exception {
        Path home = tmp.resolve("host-" + name);
        Homes.host(home, name, features, profiles);
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        NodeProcess node = NodeProcess.startIn(netns, Map.of(), "host", "--home", home.toString(), "--password-file",
                pw.toString());
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
        return node;
    }

    /** Gives the Guest (home {@code tmp/guest-home}) these features and profile files. */
    private void guestEtc(String features, Map<String, String> profiles) throws IOException {
        Homes.write(tmp.resolve("guest-home"), Map.of("node.properties", "features = " + features + "\n"));
        Homes.write(tmp.resolve("guest-home"), profiles);
    }

    private NodeProcess.Result guest(String... args) throws Exception {
        return guestIn(null, args);
    }

    private NodeProcess.Result guestIn(String netns, String... args) throws Exception {
        return NodeProcess.runIn(netns, null, NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    /** The address of the node's {@code listening DEVICE:...} line. */
    private static String listening(NodeProcess node, String device) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening\\s+(" + device + ":\\S+)").matcher(node.output());
        assertTrue(m.find(), "the node listens on no " + device + " address:\n" + node.output());
        return m.group(1);
    }

    /** Log on, Send Message, a file to the Host and back byte-identical, and the tools list. */
    private void sessionsRunOver(String address, String hostName, Path share) throws Exception {
        sessionsRunOver(null, address, hostName, share);
    }

    /** As {@link #sessionsRunOver(String, String, Path)}, the Guest inside {@code netns} unless null. */
    private void sessionsRunOver(String netns, String address, String hostName, Path share) throws Exception {
        SessionTypes sessions = new SessionTypes(tmp, PASSWORD, netns);
        sessions.connect(address, hostName);
        NodeProcess.Result r = sessions.guest("message", address, "over", "the", "device");
        assertEquals(0, r.status(), r.out() + r.err());
        sessions.files(address, share, 3 << 20);
        r = sessions.guest("tools", address);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("Task Manager (processes)"), r.out());
    }

    @Test
    void twoSessionsHostsOnOneTerminalServerAreReachedByTheirUsersNames() throws Exception {
        Path sockets = Files.createDirectories(tmp.resolve("ts"));
        String features = "comm-terminal-server, sessions, terminal, log-file, tools-system";
        String profile = "device = terminal-server\nsocket-dir = " + sockets + "\n";
        try (NodeProcess alice = host("alice-session", features,
                Map.of("org.tandemrc.profile-ts.cfg", profile + "session = alice\n"));
                NodeProcess bob = host("bob-session", features,
                        Map.of("org.tandemrc.profile-ts.cfg", profile + "session = bob\n"))) {
            assertTrue(alice.output().contains("listening  terminal-server:alice"), alice.output());
            assertTrue(bob.output().contains("listening  terminal-server:bob"), bob.output());
            assertTrue(Files.exists(sockets.resolve("alice.sock")));

            guestEtc("comm-tcp, comm-terminal-server, sessions, terminal",
                    Map.of("org.tandemrc.profile-ts.cfg", "device = terminal-server\nsocket-dir = " + sockets + "\n"));
            sessionsRunOver("terminal-server:alice", "alice-session", tmp.resolve("host-alice-session/share"));
            sessionsRunOver("terminal-server:bob", "bob-session", tmp.resolve("host-bob-session/share"));

            NodeProcess.Result r = guest("connect", "terminal-server:carol");
            assertEquals(3, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("no Host listens for that session"), r.err());

            r = NodeProcess.run("admin", "--home", tmp.resolve("host-alice-session").toString(), "profiles");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("(?s)PROFILE\\s+DEVICE\\s+ENABLED\\s+STATE\\s+SETTINGS\n"
                    + "default\\s+tcp\\s+no\\s+disabled\\s+-\n"
                    + "ts\\s+terminal-server\\s+yes\\s+listening on terminal-server:alice\\s+session=alice socket-dir=.*"),
                    r.out());
        }
    }

    @Test
    void theSessionTypesRunOverUdp() throws Exception {
        String features = "comm-udp, sessions, terminal, log-file, tools-system";
        try (NodeProcess host = host("udp-host", features,
                Map.of("org.tandemrc.profile-lan.cfg", "device = udp\nbind = 127.0.0.1\nport = 0\n"))) {
            sessionsRunOver(listening(host, "udp"), "udp-host", tmp.resolve("host-udp-host/share"));
        }
    }

    /**
     * A segment of network namespaces joined by a bridge: the Guest browses, finds the Host whose name
     * is public and not the one that opted out, and reaches that one by its name and its user.
     */
    @Test
    void browsingASegmentFindsPublicHostsAndNamesReachTheOthers() throws Exception {
        try (Netns net = new Netns("it")) {
            String bridge = net.add("br");
            String guest = net.add("g");
            String open = net.add("a");
            String hidden = net.add("b");
            Netns.ip("-n", bridge, "link", "add", "br0", "type", "bridge");
            Netns.ip("-n", bridge, "link", "set", "br0", "up");
            String[][] members = {{guest, "10.205.9.10"}, {open, "10.205.9.11"}, {hidden, "10.205.9.12"}};
            for (int i = 0; i < members.length; i++) {
                Netns.ip("-n", bridge, "link", "add", "p" + i, "type", "veth", "peer", "name", "eth0", "netns",
                        members[i][0]);
                Netns.ip("-n", bridge, "link", "set", "p" + i, "master", "br0", "up");
                Netns.ip("-n", members[i][0], "addr", "add", members[i][1] + "/24", "brd", "+", "dev", "eth0");
                Netns.ip("-n", members[i][0], "link", "set", "eth0", "up");
            }
            String features = "comm-udp, sessions, terminal, log-file, tools-system";
            try (NodeProcess a = host(open, "pc-open", features, Map.of("org.tandemrc.profile-lan.cfg", "device = udp\n"));
                    NodeProcess b = host(hidden, "pc-hidden", features, Map.of("org.tandemrc.profile-lan.cfg",
                            "device = udp\npublic-host-name = false\nhost.user = alice\n"))) {
                assertTrue(a.output().contains("udp:"), a.output());
                assertTrue(b.output().contains("udp:"), b.output());

                // Browsing logs on nowhere, so it takes no --password-file (the command line refuses one).
                NodeProcess.Result r = NodeProcess.runIn(guest, null, "guest", "browse", "--timeout", "2",
                        "--home", tmp.resolve("guest-home").toString());
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().matches("(?s)NAME\\s+USER\\s+ADDRESS\n"
                        + "pc-open\\s+\\S+\\s+udp:10\\.205\\.9\\.11:6502\n1 Host\\(s\\) answered in 2 s\n"), r.out());

                r = guestIn(guest, "connect", "udp:H::pc-hidden");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().startsWith("Connected to pc-hidden at udp:H::pc-hidden"), r.out());
                r = guestIn(guest, "message", "udp:U::alice", "found", "by", "user");
                assertEquals(0, r.status(), r.out() + r.err());
                r = guestIn(guest, "connect", "udp:H::pc-nowhere");
                assertEquals(3, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("no Host named 'pc-nowhere' answered"), r.err());
            }
        }
    }

    /**
     * The http device end to end through a real web proxy with Basic authentication, where the Guest
     * cannot reach the Host directly. Network namespaces: the Guest in "g" (10.206.1.1), Debian's
     * tinyproxy in "p" (10.206.1.2 and 10.206.2.1, no forwarding), the Host in "h" (10.206.2.2:1970).
     */
    @Test
    void theSessionTypesRunOverHttpThroughAnAuthenticatingProxyWhileTheHostIsNotDirectlyReachable() throws Exception {
        try (Netns net = new Netns("px")) {
            net.chain("10.206", 1, "g", "p", "h");
            Path conf = Files.writeString(tmp.resolve("tinyproxy.conf"), String.join("\n", "Port 8888",
                    "Listen 10.206.1.2", "Timeout 600", "Allow 10.206.1.0/24", "BasicAuth support s3cret-Pw",
                    "ConnectPort 1970", "LogFile \"" + tmp.resolve("tinyproxy.log") + "\"", "LogLevel Info", ""));
            Process proxy = new ProcessBuilder("ip", "netns", "exec", net.ns("p"), "tinyproxy", "-d", "-c",
                    conf.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("tinyproxy.out").toFile())
                    .start();
            try {
                String features = "comm-http, sessions, terminal, log-file, tools-system";
                try (NodeProcess host = host(net.ns("h"), "behind-proxy", features,
                        Map.of("org.tandemrc.profile-web.cfg", "device = http\nbind = 10.206.2.2\nport = 1970\n"))) {
                    assertTrue(host.output().contains("listening  http:10.206.2.2:1970"), host.output());
                    Files.createDirectories(tmp.resolve("guest-home/etc"));
                    Files.writeString(tmp.resolve("guest-home/etc/org.tandemrc.profile-office.cfg"),
                            "device = http\nproxy = 10.206.1.2:8888\nproxy-user = support\nproxy-password = s3cret-Pw\n");
                    Files.writeString(tmp.resolve("guest-home/etc/org.tandemrc.profile-wan.cfg"), "device = http\n");

                    // Without the proxy the Host cannot be reached from the Guest's network.
                    NodeProcess.Result r = guestIn(net.ns("g"), "connect", "http:10.206.2.2:1970", "--profile", "wan");
                    assertEquals(3, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("10.206.2.2:1970"), r.err());

                    // Through the proxy (the office profile, the first http profile by name).
                    sessionsRunOver(net.ns("g"), "http:10.206.2.2:1970", "behind-proxy",
                            tmp.resolve("host-behind-proxy/share"));
                    assertTrue(Files.readString(tmp.resolve("tinyproxy.log")).contains("10.206.2.2"),
                            "the proxy carried the connections");

                    Files.writeString(tmp.resolve("guest-home/etc/org.tandemrc.profile-office.cfg"),
                            "device = http\nproxy = 10.206.1.2:8888\nproxy-user = support\nproxy-password = wrong\n");
                    r = guestIn(net.ns("g"), "connect", "http:10.206.2.2:1970");
                    assertEquals(3, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("refused the credentials of proxy-user 'support'"), r.err());
                }
            } finally {
                proxy.destroy();
                proxy.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
