package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * Guests reach Hosts only through Gateways, between real nodes in network namespaces that forward
 * nothing: every session type through one Gateway (Guests on the HTTP tunnel, Hosts on TCP) with a
 * capture on the Gateway's machine, the Gateway's access rules and events, and two chained Gateways down
 * to a Host on the second one's terminal server.
 */
class GatewayIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String GATEWAY_PASSWORD = "gateway logon secret";

    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text + "\n");
    }

    /** A node home with the distribution's defaults and {@code files}. */
    private Path home(String name, Map<String, String> files) throws Exception {
        Path home = tmp.resolve(name);
        Homes.write(home, Homes.defaults());
        Homes.write(home, files);
        return home;
    }

    /** {@code tandem gateway} in {@code ns}, once it is up. */
    private static NodeProcess gateway(String ns, Path home) throws Exception {
        NodeProcess node = NodeProcess.startIn(ns, Map.of(), "gateway", "--home", home.toString());
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
        assertTrue(node.output().contains("node is up"), node.output());
        return node;
    }

    /**
     * The Guest in "g" (10.207.1.1), the Gateway in "w" (10.207.1.2 towards the Guests, http on port 1970;
     * 10.207.2.1 towards the Hosts), the Host in "h" (10.207.2.2, tcp 6502) on an X server and a terminal.
     */
    @Test
    void everySessionTypeReachesAHostOnAnotherNetworkOnlyThroughTheGatewayWhichSeesOnlyCiphertext() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Netns net = new Netns("gw")) {
            net.chain("10.207", 1, "g", "w", "h");

            Path hostHome = tmp.resolve("host");
            Path share = Homes.host(hostHome, "far-host", "comm-tcp, sessions, terminal, log-file, screen-x11",
                    Map.of("org.tandemrc.profile-lan.cfg", "device = tcp\nbind = 10.207.2.2\nport = 6502\n"));
            Path gwHome = home("gateway", Map.of(
                    "node.properties", "features = comm-tcp, comm-http, log-file\n",
                    "org.tandemrc.profile-default.cfg", "device = http\nbind = 10.207.1.2\nport = 1970\n",
                    "org.tandemrc.profile-hosts.cfg", "device = tcp\nenabled = false\n",
                    "org.tandemrc.gateway.group-lan.cfg", "profiles = hosts\n",
                    "org.tandemrc.gateway.cfg", "name = border-gateway\n"));
            Path gwPw = file("gateway-pw", GATEWAY_PASSWORD);
            try (Xvfb x = Xvfb.start(640, 480, fb);
                    NodeProcess host = NodeProcess.startOnTerminalIn(net.ns("h"), Map.of("DISPLAY", x.display), "host",
                            "--home", hostHome.toString(), "--password-file", file("host-pw", PASSWORD).toString());
                    NodeProcess gateway = gateway(net.ns("w"), gwHome)) {
                host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                assertTrue(host.output().contains("listening  tcp:10.207.2.2:6502"), host.output());
                assertTrue(gateway.output().contains("listening  http:10.207.1.2:1970"), gateway.output());
                assertTrue(gateway.output().contains("groups     lan"), gateway.output());

                NodeProcess.Result r = NodeProcess.admin(gwHome, "gateway", "user", "add", "alice", "--password-file",
                        gwPw.toString(), "--groups", "lan", "--allow", "10.207.2.*");
                assertEquals(0, r.status(), r.out() + r.err());
                String users = Files.readString(gwHome.resolve("etc/gateway-users"));
                assertTrue(users.contains("alice\tlan\t10.207.2.*\tsrp6a-argon2id$"), users);
                assertFalse(users.contains(GATEWAY_PASSWORD), "the Gateway keeps the password");

                Homes.write(tmp.resolve("guest-home"), Map.of("org.tandemrc.profile-border.cfg", "device = gateway\n"
                        + "gateway = http:10.207.1.2:1970\ngroup = lan\nuser = alice\npassword-file = " + gwPw + "\n"));
                assertTrue(Netns.canReach(net.ns("w"), "10.207.2.2", 6502), "the Gateway reaches the Host");
                assertFalse(Netns.canReach(net.ns("g"), "10.207.2.2", 6502), "the Guest reaches the Host directly");

                SessionTypes sessions = new SessionTypes(tmp, PASSWORD, net.ns("g"));
                String address = "gateway:10.207.2.2:6502";
                try (Capture capture = Capture.start(net.ns("w"), tmp.resolve("gateway.pcap"))) {
                    sessions.all(address, "far-host", host, share, x, 640, 480);
                    capture.assertOnlyCiphertext(net.ns("g"), "10.207.1.2/1970", sessions, "Gateway's machine",
                            List.of(PASSWORD, GATEWAY_PASSWORD), List.of("the Host password", "the Gateway password"));
                }

                // A Host outside alice's patterns is refused by the Gateway, with its reason.
                r = sessions.guest("connect", "gateway:10.207.1.1:6502");
                assertEquals(3, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("user alice may not reach 10.207.1.1:6502"), r.err());
                // A wrong Gateway password is refused, and named as the Gateway's logon.
                Homes.write(tmp.resolve("guest-home"), Map.of("org.tandemrc.profile-border.cfg", "device = gateway\n"
                        + "gateway = http:10.207.1.2:1970\ngroup = lan\nuser = alice\npassword = not it\n"));
                r = sessions.guest("connect", address);
                assertEquals(3, r.status(), r.out() + r.err());
                assertTrue(r.err().toLowerCase().contains("gateway"), r.err());

                r = NodeProcess.admin(gwHome, "gateway", "show");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("lan: hosts (tcp)"), r.out());
                assertTrue(r.out().contains("alice: groups lan; may reach 10.207.2.*"), r.out());

                String log = Files.readString(gwHome.resolve("data/log/tandem.log"));
                assertTrue(log.contains("HGWACCES+ peer=10.207.1.1 user=alice"), log);
                assertTrue(log.contains("TGWROUTE+ peer=10.207.1.1 user=alice lan 10.207.2.2:6502"), log);
                assertTrue(log.contains("TGWROUTE! peer=10.207.1.1 user=alice lan 10.207.1.1:6502"), log);
                assertTrue(log.contains("SECGWPW!"), log);
                assertTrue(log.contains("HGWGUEST+ peer=local user=alice"), log);
            }
        }
    }

    /**
     * Two chained Gateways: the Guest in "g" reaches the first Gateway ("w1", tcp), whose device group
     * "onward" is a gateway profile to the second ("w2", logging on as relay1), whose group "ts" is the
     * terminal server; the Host is alice's session on w2's machine. Neither the Guest nor the first
     * Gateway can reach the Host's machine directly.
     */
    @Test
    void chainedGatewaysReachAHostOnTheLastOnesTerminalServer() throws Exception {
        try (Netns net = new Netns("gc")) {
            net.chain("10.207", 3, "g", "w1", "w2");
            Path sockets = Files.createDirectories(tmp.resolve("ts"));
            Path guestPw = file("bob-pw", "bob's gateway password");
            Path relayPw = file("relay1-pw", "first gateway's own logon");

            Path hostHome = tmp.resolve("host-alice");
            Path share = Homes.host(hostHome, "alice-session", "comm-terminal-server, sessions, terminal, log-file",
                    Map.of("org.tandemrc.profile-ts.cfg", "device = terminal-server\nsocket-dir = " + sockets
                            + "\nsession = alice\n"));
            Path first = home("gateway-1", Map.of(
                    "node.properties", "features = comm-tcp, comm-gateway, log-file\n",
                    "org.tandemrc.profile-default.cfg", "device = tcp\nbind = 10.207.3.2\nport = 6502\n",
                    "org.tandemrc.profile-next.cfg", "device = gateway\nenabled = false\ngateway = tcp:10.207.4.2:6502\n"
                            + "group = ts\nuser = relay1\npassword-file = " + relayPw + "\n",
                    "org.tandemrc.gateway.group-onward.cfg", "profiles = next\n",
                    "org.tandemrc.gateway.cfg", "name = outer-gateway\n"));
            Path second = home("gateway-2", Map.of(
                    "node.properties", "features = comm-tcp, comm-terminal-server, log-file\n",
                    "org.tandemrc.profile-default.cfg", "device = tcp\nbind = 10.207.4.2\nport = 6502\n",
                    "org.tandemrc.profile-sessions.cfg", "device = terminal-server\nenabled = false\nsocket-dir = "
                            + sockets + "\n",
                    "org.tandemrc.gateway.group-ts.cfg", "profiles = sessions\n",
                    "org.tandemrc.gateway.cfg", "name = console-gateway\n"));
            try (NodeProcess host = NodeProcess.startOnTerminalIn(net.ns("w2"), Map.of(), "host", "--home",
                    hostHome.toString(), "--password-file", file("host-pw", PASSWORD).toString());
                    NodeProcess inner = gateway(net.ns("w2"), second);
                    NodeProcess outer = gateway(net.ns("w1"), first)) {
                host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                assertTrue(host.output().contains("listening  terminal-server:alice"), host.output());
                NodeProcess.Result r = NodeProcess.admin(first, "gateway", "user", "add", "bob", "--password-file", guestPw.toString(),
                        "--groups", "onward", "--allow", "alice");
                assertEquals(0, r.status(), r.out() + r.err());
                r = NodeProcess.admin(second, "gateway", "user", "add", "relay1", "--password-file", relayPw.toString(),
                        "--groups", "ts", "--allow", "*");
                assertEquals(0, r.status(), r.out() + r.err());
                Homes.write(tmp.resolve("guest-home"), Map.of("org.tandemrc.profile-outer.cfg", "device = gateway\n"
                        + "gateway = tcp:10.207.3.2:6502\ngroup = onward\nuser = bob\npassword-file = " + guestPw + "\n"));
                assertFalse(Netns.canReach(net.ns("g"), "10.207.4.2", 6502),
                        "the Guest reaches the inner Gateway directly");

                SessionTypes sessions = new SessionTypes(tmp, PASSWORD, net.ns("g"));
                String address = "gateway:alice";
                sessions.connect(address, "alice-session");
                sessions.message(address, host);
                sessions.files(address, share, 2 << 20);
                // bob may pass only to alice through the first Gateway.
                r = sessions.guest("connect", "gateway:carol");
                assertEquals(3, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("user bob may not reach carol"), r.err());

                assertTrue(Files.readString(first.resolve("data/log/tandem.log"))
                        .contains("TGWROUTE+ peer=10.207.3.1 user=bob onward alice"));
                assertTrue(Files.readString(second.resolve("data/log/tandem.log"))
                        .contains("TGWROUTE+ peer=10.207.4.1 user=relay1 ts alice"));
            }
        }
    }
}
