package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Guest reaches a Host only through a Gateway, between real nodes in network namespaces: the Guest
 * in "g" (10.207.1.1), the Gateway in "w" (10.207.1.2 towards the Guests, over http on port 1970, and
 * 10.207.2.1 towards the Hosts; no IP forwarding), the Host in "h" (10.207.2.2, tcp 6502): log on, message,
 * 3 MiB each way byte-identical, the tools list, a chat, and a refusal by the Gateway's access rules.
 */
class GatewayIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String GATEWAY_PASSWORD = "gateway logon secret";

    @TempDir
    Path tmp;

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ip " + String.join(" ", args) + ": " + out);
    }

    /** The distribution's default etc/ files. */
    private static Map<String, String> defaults() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(NodeProcess.DIST.resolve("etc"))) {
            for (Path f : dir) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }

    private Path home(String name, Map<String, String> files) throws IOException {
        Path home = tmp.resolve(name);
        Map<String, String> etc = new LinkedHashMap<>(defaults());
        etc.putAll(files);
        Files.createDirectories(home.resolve("etc"));
        for (Map.Entry<String, String> e : etc.entrySet()) {
            Files.writeString(home.resolve("etc").resolve(e.getKey()), e.getValue());
        }
        return home;
    }

    private NodeProcess.Result guest(String netns, String... args) throws Exception {
        return NodeProcess.runIn(netns, null, NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void aGuestReachesAHostOnAnotherNetworkOnlyThroughTheGateway() throws Exception {
        String prefix = "tgw-" + ProcessHandle.current().pid() + "-";
        String g = prefix + "g";
        String w = prefix + "w";
        String h = prefix + "h";
        List<String> made = new ArrayList<>();
        try {
            for (String ns : List.of(g, w, h)) {
                ip("netns", "add", ns);
                made.add(ns);
                ip("-n", ns, "link", "set", "lo", "up");
            }
            ip("-n", g, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", w);
            ip("-n", h, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1", "netns", w);
            ip("-n", g, "addr", "add", "10.207.1.1/24", "dev", "eth0");
            ip("-n", w, "addr", "add", "10.207.1.2/24", "dev", "eth0");
            ip("-n", w, "addr", "add", "10.207.2.1/24", "dev", "eth1");
            ip("-n", h, "addr", "add", "10.207.2.2/24", "dev", "eth0");
            for (String[] link : new String[][] {{g, "eth0"}, {w, "eth0"}, {w, "eth1"}, {h, "eth0"}}) {
                ip("-n", link[0], "link", "set", link[1], "up");
            }

            Path share = Files.createDirectories(tmp.resolve("host-share"));
            Path hostHome = home("host", Map.of(
                    "node.properties", "features = comm-tcp, sessions, console, log-file, tools-system\n",
                    "org.tandemrc.profile-default.cfg", "device = tcp\nbind = 10.207.2.2\nport = 6502\n",
                    "org.tandemrc.host.security.cfg", "name = far-host\n",
                    "org.tandemrc.files.cfg", "shares = share=" + share + "\n"));
            Path hostPw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
            Path gwHome = home("gateway", Map.of(
                    "node.properties", "features = comm-tcp, comm-http, log-file\n",
                    "org.tandemrc.profile-default.cfg", "device = http\nbind = 10.207.1.2\nport = 1970\n",
                    "org.tandemrc.profile-hosts.cfg", "device = tcp\nenabled = false\n",
                    "org.tandemrc.gateway.group-lan.cfg", "profiles = hosts\n",
                    "org.tandemrc.gateway.cfg", "name = border-gateway\n"));
            Path gwPw = Files.writeString(tmp.resolve("gateway-pw"), GATEWAY_PASSWORD + "\n");
            try (NodeProcess host = NodeProcess.startIn(h, Map.of(), "host", "--home", hostHome.toString(),
                    "--password-file", hostPw.toString());
                    NodeProcess gateway = NodeProcess.startIn(w, Map.of(), "gateway", "--home", gwHome.toString())) {
                host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
                gateway.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
                assertTrue(host.output().contains("listening  tcp:10.207.2.2:6502"), host.output());
                assertTrue(gateway.output().contains("listening  http:10.207.1.2:1970"), gateway.output());
                assertTrue(gateway.output().contains("groups     lan"), gateway.output());

                NodeProcess.Result r = NodeProcess.runIn(null, null, "admin", "--home", gwHome.toString(), "gateway",
                        "user", "add", "alice", "--password-file", gwPw.toString(), "--groups", "lan",
                        "--allow", "10.207.2.*");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(Files.readString(gwHome.resolve("etc/gateway-users")).contains("alice\tlan\t10.207.2.*\tsrp6a-argon2id$"));
                assertTrue(!Files.readString(gwHome.resolve("etc/gateway-users")).contains(GATEWAY_PASSWORD));

                Path guestEtc = Files.createDirectories(tmp.resolve("guest-home/etc"));
                Files.writeString(guestEtc.resolve("node.properties"),
                        "features = comm-tcp, comm-http, comm-gateway, sessions, console\n");
                Files.writeString(guestEtc.resolve("org.tandemrc.profile-border.cfg"), "device = gateway\n"
                        + "gateway = http:10.207.1.2:1970\ngroup = lan\nuser = alice\npassword-file = " + gwPw + "\n");

                // The Host cannot be reached from the Guest's network directly.
                r = guest(g, "connect", "tcp:10.207.2.2:6502");
                assertEquals(1, r.status(), r.out() + r.err());

                String address = "gateway:10.207.2.2:6502";
                r = guest(g, "connect", address);
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().startsWith("Connected to far-host at " + address), r.out());
                assertTrue(r.out().contains("role        Full access"), r.out());

                r = guest(g, "message", address, "through", "the", "gateway");
                assertEquals(0, r.status(), r.out() + r.err());

                byte[] data = new byte[3 << 20];
                new Random(11).nextBytes(data);
                Path file = Files.write(tmp.resolve("payload.bin"), data);
                r = guest(g, "copy", file.toString(), address + ":/share");
                assertEquals(0, r.status(), r.out() + r.err());
                assertArrayEquals(data, Files.readAllBytes(share.resolve("payload.bin")));
                Path back = Files.createDirectories(tmp.resolve("back"));
                r = guest(g, "copy", address + ":/share/payload.bin", back.toString());
                assertEquals(0, r.status(), r.out() + r.err());
                assertArrayEquals(data, Files.readAllBytes(back.resolve("payload.bin")));

                r = guest(g, "tools", address);
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("Task Manager (processes)"), r.out());

                // A chat both ways, the person at the Host typing on its terminal.
                try (NodeProcess chat = NodeProcess.startIn(g, Map.of(), "guest", "chat", address, "--password-stdin",
                        "--home", tmp.resolve("guest-home").toString())) {
                    chat.type(PASSWORD);
                    chat.awaitLine(l -> l.startsWith("Chat with"), 30_000);
                    host.awaitLine(l -> l.startsWith("Chat with"), 10_000);
                    host.type("hello from behind the gateway");
                    chat.awaitLine(l -> l.endsWith(": hello from behind the gateway"), 10_000);
                    chat.type("thanks, all good");
                    host.awaitLine(l -> l.endsWith(": thanks, all good"), 10_000);
                    chat.type("/end");
                    chat.awaitLine(l -> l.startsWith("Chat ended"), 10_000);
                    assertEquals(0, chat.awaitExit(20_000), chat.output());
                }

                // A Host outside alice's patterns is refused by the Gateway, with its reason.
                r = guest(g, "connect", "gateway:10.207.1.1:6502");
                assertEquals(1, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("user alice may not reach 10.207.1.1:6502"), r.err());

                r = NodeProcess.runIn(null, null, "admin", "--home", gwHome.toString(), "gateway", "show");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("lan: hosts (tcp)"), r.out());
                assertTrue(r.out().contains("alice: groups lan; may reach 10.207.2.*"), r.out());

                String log = Files.readString(gwHome.resolve("data/log/tandem.log"));
                assertTrue(log.contains("HGWACCES+ peer=10.207.1.1 user=alice"), log);
                assertTrue(log.contains("TGWROUTE+ peer=10.207.1.1 user=alice lan 10.207.2.2:6502"), log);
                assertTrue(log.contains("TGWROUTE! peer=10.207.1.1 user=alice lan 10.207.1.1:6502"), log);
                assertTrue(log.contains("HGWGUEST+ peer=local user=alice"), log);
            }
        } finally {
            for (String ns : made) {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
            }
        }
    }
}
