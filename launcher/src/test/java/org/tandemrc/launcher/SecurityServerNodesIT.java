package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.SecurityServers.LIMITS;
import static org.tandemrc.launcher.SecurityServers.lines;
import static org.tandemrc.launcher.SecurityServers.pending;
import static org.tandemrc.launcher.SecurityServers.until;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;
import org.tandemrc.auth.pam.testing.LocalAccounts;

/**
 * The nodes around a Security Server, as real processes: a Guest on another network finds a Host by the
 * name it registered, a Gateway's events in the server's trail, a Host that keeps logging Guests on with
 * its own Guest IDs while the server is killed and hands over what happened meanwhile once, and a Host
 * machine account checked by PAM on the Security Server.
 */
class SecurityServerNodesIT {

    @TempDir
    Path tmp;

    /** A Security Server's home: the distribution's defaults, {@code features}, then {@code cfg} as its settings. */
    private Path serverHome(String features, String cfg, Map<String, String> more) throws Exception {
        Path home = tmp.resolve("security");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = " + features + "\n");
        etc.put("org.tandemrc.security.server.cfg", "name = central\n" + cfg + LIMITS);
        etc.putAll(more);
        Homes.write(home, etc);
        return home;
    }

    /** Approves the node of {@code kind} waiting on the server as {@code name}; waits until it is connected. */
    private static void approve(Path serverHome, String kind, String name, Path nodeHome) throws Exception {
        NodeProcess.Result r = NodeProcess.admin(serverHome, "security", "nodes", "approve", pending(serverHome, kind),
                "--name", name);
        assertEquals(0, r.status(), r.out() + r.err());
        until(nodeHome, x -> x.status() == 0, "security-client", "status");
    }

    private static void addGuestId(Path serverHome, String id, String password, String group) throws Exception {
        NodeProcess.Result r = NodeProcess.runWithInput(password + "\n", "admin", "--home", serverHome.toString(),
                "security", "guests", "add", id, "--group", group);
        assertEquals(0, r.status(), r.out() + r.err());
    }

    private static void addRule(Path serverHome, String guest, String host, String role) throws Exception {
        NodeProcess.Result r = NodeProcess.admin(serverHome, "security", "rules", "add", "--guest", guest, "--host",
                host, "--role", role);
        assertEquals(0, r.status(), r.out() + r.err());
    }

    /** {@code tandem guest connect ADDRESS} in {@code netns} (null: this one) with a Guest ID, from {@code guestHome}. */
    private NodeProcess.Result connect(String netns, Path guestHome, String address, String user, String password)
            throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw-" + Integer.toHexString(password.hashCode())), password + "\n");
        return NodeProcess.runIn(netns, null, "guest", "connect", address, "--guest-id", user, "--password-file",
                pw.toString(), "--home", guestHome.toString());
    }

    /** A Host that delegates its logons to the server at {@code server}, on a free loopback port. */
    private NodeProcess delegatingHost(Path home, String server, String key, String security) throws Exception {
        return NodeProcess.host(home, Files.writeString(tmp.resolve("shared"), "an unused shared password\n"), Map.of(),
                false, Map.of("node.properties", "features = comm-tcp, sessions, terminal, log-file, security-client\n",
                        "org.tandemrc.host.security.cfg", "method = security-server\nmax.attempts = 0\n" + security
                                + LIMITS,
                        "org.tandemrc.security.client.cfg", SecurityServers.client(server, key, "host")));
    }

    /**
     * The Guest in "g" (10.209.1.1), the Security Server in "s" (10.209.1.2 and 10.209.2.1, routing between
     * the two networks), the Host in "h" (10.209.2.2, tcp 6502): the Guest's UDP browsing does not cross
     * the router, the name service does.
     */
    @Test
    void aGuestOnAnotherNetworkFindsAHostByItsRegisteredName() throws Exception {
        try (Netns net = new Netns("ssn")) {
            net.chain("10.209", 1, "g", "s", "h");
            forward(net.ns("s"));
            net.route(net.ns("g"), "10.209.2.0/24", "10.209.1.2");
            net.route(net.ns("h"), "10.209.1.0/24", "10.209.2.1");
            Path ssHome = serverHome("log-file", "", Map.of());
            Path hostHome = tmp.resolve("host");
            Path guestHome = tmp.resolve("guest-home");
            try (NodeProcess ss = SecurityServers.start(net.ns("s"), ssHome, "tcp:0.0.0.0:6510")) {
                String key = SecurityServers.key(ss);
                addGuestId(ssHome, "alice", "alice password", "ops");
                addRule(ssHome, "group:ops", "far-*", "Full access");
                Homes.host(hostHome, "desk", "comm-tcp, sessions, terminal, log-file, security-client", Map.of(
                        "org.tandemrc.profile-lan.cfg", "device = tcp\nbind = 10.209.2.2\nport = 6502\n",
                        "org.tandemrc.host.security.cfg", "method = security-server\n" + LIMITS,
                        "org.tandemrc.security.client.cfg", SecurityServers.client("tcp:10.209.2.1:6510", key, "host")));
                Homes.write(guestHome, Map.of("node.properties", "features = comm-tcp, security-client\n",
                        "org.tandemrc.security.client.cfg", SecurityServers.client("tcp:10.209.1.2:6510", key, "guest")));
                try (NodeProcess host = NodeProcess.startIn(net.ns("h"), Map.of(), "host", "--home", hostHome.toString(),
                        "--password-file", Files.writeString(tmp.resolve("shared"), "unused shared\n").toString())) {
                    host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                    assertTrue(host.output().contains("listening  tcp:10.209.2.2:6502"), host.output());
                    approve(ssHome, "host", "far-desk", hostHome);
                    assertTrue(Netns.canReach(net.ns("g"), "10.209.2.2", 6502), "the Guest reaches the Host's network");

                    // The Guest's own key waits for the administrator, and the Guest is told so.
                    NodeProcess.Result r = connect(net.ns("g"), guestHome, "NS::far-desk", "alice", "alice password");
                    assertEquals(3, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("this node's key is not approved yet"), r.err());
                    r = NodeProcess.admin(ssHome, "security", "nodes", "approve", pending(ssHome, "guest"), "--name",
                            "alice-laptop");
                    assertEquals(0, r.status(), r.out() + r.err());

                    r = connect(net.ns("g"), guestHome, "NS::far-desk", "alice", "alice password");
                    assertEquals(0, r.status(), host.output() + r.out() + r.err());
                    assertTrue(r.out().contains("role        Full access"), r.out());
                    assertEquals(1, lines(Homes.events(hostHome), "HSES+", "\t10.209.1.1:"), Homes.events(hostHome));
                    r = connect(net.ns("g"), guestHome, "NS::nowhere-desk", "alice", "alice password");
                    assertEquals(8, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("the name service knows no Host named nowhere-desk"), r.err());
                }
            }
        }
    }

    /** Lets {@code ns} route between its networks (a new namespace forwards nothing). */
    private static void forward(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    @Test
    void aGatewaysEventsReachTheSecurityServersTrail() throws Exception {
        int port = ConsoleIT.freePort();
        int gwPort = ConsoleIT.freePort();
        Path ssHome = serverHome("log-file", "", Map.of());
        try (NodeProcess ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port)) {
            Path gwHome = tmp.resolve("gateway");
            Homes.write(gwHome, Homes.defaults());
            Homes.write(gwHome, Map.of(
                    "node.properties", "features = comm-tcp, log-file, security-client\n",
                    "org.tandemrc.profile-default.cfg", "device = tcp\nbind = 127.0.0.1\nport = " + gwPort + "\n",
                    "org.tandemrc.profile-hosts.cfg", "device = tcp\nenabled = false\n",
                    "org.tandemrc.gateway.group-lan.cfg", "profiles = hosts\n",
                    "org.tandemrc.gateway.cfg", "name = border-gateway\n",
                    "org.tandemrc.security.client.cfg", SecurityServers.client("tcp:127.0.0.1:" + port,
                            SecurityServers.key(ss), "gateway")));
            Path gwPw = Files.writeString(tmp.resolve("gateway-pw"), "gateway logon secret\n");
            Path hostPw = Files.writeString(tmp.resolve("host-pw"), "host shared password\n");
            try (NodeProcess host = NodeProcess.host(tmp.resolve("host"), hostPw, Map.of(), false, Map.of(
                    "node.properties", "features = comm-tcp, sessions, terminal, log-file\n"));
                    NodeProcess gateway = NodeProcess.start("gateway", "--home", gwHome.toString())) {
                gateway.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                assertTrue(gateway.output().contains("node is up"), gateway.output());
                approve(ssHome, "gateway", "border-gw", gwHome);
                NodeProcess.Result r = NodeProcess.admin(gwHome, "gateway", "user", "add", "alice", "--password-file",
                        gwPw.toString(), "--groups", "lan", "--allow", "127.0.0.1:" + host.tcpPort());
                assertEquals(0, r.status(), r.out() + r.err());
                Homes.write(tmp.resolve("guest/guest-home"), Map.of("org.tandemrc.profile-border.cfg", "device = gateway\n"
                        + "gateway = tcp:127.0.0.1:" + gwPort + "\ngroup = lan\nuser = alice\npassword-file = " + gwPw
                        + "\n"));
                r = NodeProcess.run(NodeProcess.guestArgs(tmp.resolve("guest"), "host shared password", "connect",
                        "gateway:127.0.0.1:" + host.tcpPort()));
                assertEquals(0, r.status(), gateway.output() + r.out() + r.err());
                r = NodeProcess.run(NodeProcess.guestArgs(tmp.resolve("guest"), "host shared password", "connect",
                        "gateway:127.0.0.1:1"));
                assertEquals(3, r.status(), r.out() + r.err());

                String gwLog = Homes.events(gwHome);
                r = until(ssHome, x -> x.out().contains("TGWROUTE!"), "audit", "search", "--node", "border-gw",
                        "--limit", "1000");
                for (String code : new String[] {"HGWACCES+", "TGWROUTE+", "TGWROUTE!"}) {
                    long recorded = lines(gwLog, code, "alice");
                    assertTrue(recorded >= 1, code + " in\n" + gwLog);
                    assertEquals(recorded, lines(r.out(), code, "alice"), code + " in\n" + r.out());
                }
            }
        }
    }

    @Test
    void aHostKeepsLoggingGuestsOnWithItsOwnGuestIdsWhileTheServerIsKilled() throws Exception {
        int port = ConsoleIT.freePort();
        Path ssHome = serverHome("log-file", "", Map.of());
        Path hostHome = tmp.resolve("host");
        NodeProcess ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port);
        try {
            String key = SecurityServers.key(ss);
            addGuestId(ssHome, "alice", "central password", "ops");
            addRule(ssHome, "group:ops", "*", "Full access");
            try (NodeProcess host = delegatingHost(hostHome, "tcp:127.0.0.1:" + port, key,
                    "fallback = local\nfallback.method = guest-id\n")) {
                String address = host.tcpAddress();
                NodeProcess.Result r = NodeProcess.admin(hostHome, "access", "guest", "add", "alice", "--role",
                        "View only", "--password-file", Files.writeString(tmp.resolve("local-pw"), "local password\n")
                                .toString());
                assertEquals(0, r.status(), r.out() + r.err());
                approve(ssHome, "host", "branch-1", hostHome);
                Path guestHome = tmp.resolve("guest-home");
                r = connect(null, guestHome, address, "alice", "central password");
                assertEquals(0, r.status(), host.output() + r.out() + r.err());
                assertTrue(r.out().contains("role        Full access"), r.out());
                r = connect(null, guestHome, address, "alice", "local password");
                assertEquals(5, r.status(), "the server decides while it is there: " + r.out() + r.err());

                ss.kill();
                until(hostHome, x -> x.status() == 1, "security-client", "status");
                for (int i = 0; i < 3; i++) {
                    r = connect(null, guestHome, address, "alice", "local password");
                    assertEquals(0, r.status(), host.output() + r.out() + r.err());
                    assertTrue(r.out().contains("role        View only"), r.out());
                }
                r = connect(null, guestHome, address, "alice", "central password");
                assertEquals(5, r.status(), "the Host's own Guest ID decides now: " + r.out() + r.err());
                String hostLog = Files.readString(hostHome.resolve("data/log/tandem.log"));
                assertTrue(hostLog.contains("with this Host's own method guest-id"), hostLog);
                long fallbacks = lines(Homes.events(hostHome), "TSECSSFB", "fallback = local");
                assertEquals(4, fallbacks, Homes.events(hostHome));

                ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port);
                until(hostHome, x -> x.status() == 0 && x.out().contains("outbox 0 event(s)"), "security-client",
                        "status");
                r = until(ssHome, x -> lines(x.out(), "TSECSSFB", "fallback = local") >= fallbacks, "audit", "search",
                        "--node", "branch-1", "--code", "TSECSSFB", "--limit", "1000");
                assertEquals(fallbacks, lines(r.out(), "TSECSSFB", "fallback = local"), r.out());
                // Every event the Host recorded, the ones the server had before it was killed included, is
                // stored exactly once.
                String hostEvents = Homes.events(hostHome);
                r = NodeProcess.admin(ssHome, "audit", "search", "--node", "branch-1", "--limit", "100000");
                Map<String, Long> recorded = Map.of("TSECSS+", 1L, "TSECSS!", 1L, "HSES+", 4L);
                for (Map.Entry<String, Long> code : recorded.entrySet()) {
                    assertEquals(code.getValue(), lines(hostEvents, code.getKey(), "alice"), hostEvents);
                    assertEquals(code.getValue(), lines(r.out(), code.getKey(), "alice"), code.getKey() + ":\n" + r.out());
                }
            }
        } finally {
            ss.close();
        }
    }

    @Test
    void aHostMachineAccountLogsOnThroughPamOnTheSecurityServer() throws Exception {
        try (LocalAccounts accounts = new LocalAccounts()) {
            PasswordMethodsIT.PamUsers users = PasswordMethodsIT.PamUsers.make(accounts);
            String admins = users.admins();
            String erin = users.erin();
            String frank = users.frank();
            String gina = users.gina();
            int port = ConsoleIT.freePort();
            Path ssHome = serverHome("log-file, auth-pam", "directory = pam\n", Map.of("org.tandemrc.auth.pam.cfg",
                    "service = " + accounts.service() + "\n"));
            Path hostHome = tmp.resolve("host");
            try (NodeProcess ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port)) {
                addRule(ssHome, "group:" + admins, "*", "Full access");
                try (NodeProcess host = delegatingHost(hostHome, "tcp:127.0.0.1:" + port, SecurityServers.key(ss), "")) {
                    approve(ssHome, "host", "pam-host", hostHome);
                    Path guestHome = tmp.resolve("guest-home");
                    NodeProcess.Result r = connect(null, guestHome, host.tcpAddress(), erin, "erin pässword");
                    assertEquals(0, r.status(), host.output() + ss.output() + r.out() + r.err());
                    assertTrue(r.out().contains("role        Full access"), r.out());
                    // frank is in no group a rule names; gina is locked; a wrong password.
                    for (String[] refused : new String[][] {{frank, "frank-pw"}, {gina, "gina-pw"}, {erin, "frank-pw"}}) {
                        r = connect(null, guestHome, host.tcpAddress(), refused[0], refused[1]);
                        assertEquals(5, r.status(), refused[0] + ": " + r.out() + r.err());
                    }
                    String ssLog = Homes.events(ssHome);
                    assertTrue(lines(ssLog, "TSECSS+", erin) == 1 && lines(ssLog, "TSECSS!", gina) == 1, ssLog);
                    PasswordMethodsIT.assertNoPassword(ssHome, ss, "erin pässword", "gina-pw", "frank-pw");
                    PasswordMethodsIT.assertNoPassword(hostHome, host, "erin pässword", "gina-pw", "frank-pw");
                }
            }
        }
    }
}
