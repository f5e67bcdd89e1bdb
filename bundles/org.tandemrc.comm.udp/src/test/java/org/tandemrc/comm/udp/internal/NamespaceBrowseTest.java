package org.tandemrc.comm.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Browsing and connecting by name in a test network of network namespaces (needs root and iproute2; it
 * fails, it does not skip, when it cannot build the network):
 *
 * <pre>
 *   guest 10.203.7.10 ─┐                          ┌─ router 10.203.7.1 ── 10.204.7.1 ─ delta 10.204.7.14
 *   alpha 10.203.7.11 ─┤ bridge br0 (own netns)  ─┤   (forwarding; broadcasts stop here)
 *   bravo 10.203.7.12 ─┤                          │
 *   charlie 10.203.7.13┘ (public-host-name=false) │
 * </pre>
 *
 * Each Host is a child JVM ({@link HostMain}) in its namespace, the Guest too ({@link GuestMain}). The
 * Guest finds alpha and bravo by broadcast and delta only through its broadcast list (a range), never
 * charlie, and still reaches charlie by {@code H::charlie} and bravo by {@code U::bob}.
 */
class NamespaceBrowseTest {

    private static final String PREFIX = "tdmudp-" + ProcessHandle.current().pid() + "-";
    private static final String BRIDGE = PREFIX + "br";
    private static final String ROUTER = PREFIX + "rt";
    private static final String GUEST = PREFIX + "g";
    private static final List<String> NAMESPACES = new ArrayList<>();
    private static final List<Process> HOSTS = new ArrayList<>();

    @BeforeAll
    static void buildNetwork() throws Exception {
        for (String ns : List.of(BRIDGE, ROUTER, GUEST, PREFIX + "h1", PREFIX + "h2", PREFIX + "h3", PREFIX + "h4")) {
            ip("netns", "add", ns);
            NAMESPACES.add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        ip("-n", BRIDGE, "link", "add", "br0", "type", "bridge");
        ip("-n", BRIDGE, "link", "set", "br0", "up");
        attach(GUEST, "p-g", "10.203.7.10");
        attach(PREFIX + "h1", "p-h1", "10.203.7.11");
        attach(PREFIX + "h2", "p-h2", "10.203.7.12");
        attach(PREFIX + "h3", "p-h3", "10.203.7.13");
        attach(ROUTER, "p-rt", "10.203.7.1");
        // The second subnet, behind the router.
        ip("-n", ROUTER, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", PREFIX + "h4");
        ip("-n", ROUTER, "addr", "add", "10.204.7.1/24", "brd", "+", "dev", "eth1");
        ip("-n", ROUTER, "link", "set", "eth1", "up");
        ip("-n", PREFIX + "h4", "addr", "add", "10.204.7.14/24", "brd", "+", "dev", "eth0");
        ip("-n", PREFIX + "h4", "link", "set", "eth0", "up");
        run(List.of("ip", "netns", "exec", ROUTER, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        ip("-n", GUEST, "route", "add", "10.204.7.0/24", "via", "10.203.7.1");
        ip("-n", PREFIX + "h4", "route", "add", "default", "via", "10.204.7.1");

        startHost(PREFIX + "h1", "host.name=alpha", "host.user=ann");
        startHost(PREFIX + "h2", "host.name=bravo", "host.user=bob");
        startHost(PREFIX + "h3", "host.name=charlie", "host.user=carol", "public-host-name=false");
        startHost(PREFIX + "h4", "host.name=delta", "host.user=dave");
    }

    private static void attach(String ns, String bridgePort, String ip) throws Exception {
        ip("-n", BRIDGE, "link", "add", bridgePort, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("-n", BRIDGE, "link", "set", bridgePort, "master", "br0", "up");
        ip("-n", ns, "addr", "add", ip + "/24", "brd", "+", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Process p : HOSTS) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        List<String> failures = new ArrayList<>();
        for (String ns : NAMESPACES) {
            Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                failures.add(ns + ": " + out);
            }
        }
        assertTrue(failures.isEmpty(), "could not remove namespaces: " + failures);
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs iproute2 ('ip') and root to build its network: " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("this test needs root and iproute2 to build its network; '"
                    + String.join(" ", cmd) + "' failed: " + out.trim());
        }
    }

    private static List<String> java(String ns, String mainClass, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Reads a child's lines into a queue as they come. */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    q.add(line);
                }
            } catch (IOException e) {
                // the child ended
            }
            q.add("<eof>");
        });
        t.setDaemon(true);
        t.start();
        return q;
    }

    private static void startHost(String ns, String... settings) throws Exception {
        Process p = new ProcessBuilder(java(ns, HostMain.class.getName(), settings)).redirectErrorStream(true).start();
        HOSTS.add(p);
        BlockingQueue<String> out = lines(p);
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = out.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.startsWith("LISTENING ")) {
                return;
            }
            seen.append(line).append('\n');
            if (line.equals("<eof>")) {
                break;
            }
        }
        fail("the Host in " + ns + " did not start listening: " + seen);
    }

    @Test
    void theGuestFindsThePublicHostsIncludingOneOnlyOnItsBroadcastListAndReachesTheOthersByName() throws Exception {
        Process guest = new ProcessBuilder(java(GUEST, GuestMain.class.getName(),
                "broadcast-list=10.204.7.12-10.204.7.16", "name-timeout=3",
                "H::charlie", "U::BOB", "H::nobody-here")).redirectErrorStream(true).start();
        BlockingQueue<String> out = lines(guest);
        List<String> all = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (System.nanoTime() < deadline) {
            String line = out.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            all.add(line);
            if (line.equals("DONE") || line.equals("<eof>")) {
                break;
            }
        }
        guest.destroyForcibly();
        String text = String.join("\n", all);
        List<String> hosts = all.stream().filter(l -> l.startsWith("HOST ")).toList();
        assertEquals(List.of(
                "HOST alpha|ann|udp:10.203.7.11:6502",
                "HOST bravo|bob|udp:10.203.7.12:6502",
                "HOST delta|dave|udp:10.204.7.14:6502"), hosts, text);
        assertTrue(all.contains("ECHO H::charlie 10.203.7.13:6502"), text);
        assertTrue(all.contains("ECHO U::BOB 10.203.7.12:6502"), text);
        assertTrue(all.stream().anyMatch(l -> l.startsWith("FAIL H::nobody-here no Host named 'nobody-here' answered on udp port 6502")),
                text);
        assertTrue(all.contains("DONE"), text);
    }
}
