package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Security Server and the nodes that use it, as the end-to-end tests start, approve and ask them. */
final class SecurityServers {

    /** Relaxed logon limits: the tests fail many logons from one address on purpose. */
    static final String LIMITS = "logon.address.hour = 1000\nlogon.address.burst = 100\n";

    private SecurityServers() {
    }

    /** {@code tandem security-server} in {@code netns} (null: this one) listening at {@code listen}, once up. */
    static NodeProcess start(String netns, Path home, String listen) throws Exception {
        NodeProcess node = NodeProcess.startIn(netns, java.util.Map.of(), "security-server", "--home", home.toString(),
                "--listen", listen);
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
        assertTrue(node.output().contains("node is up"), node.output());
        return node;
    }

    /** The key fingerprint the server printed, {@code SHA256:...}. */
    static String key(NodeProcess server) {
        Matcher key = Pattern.compile("  key        (SHA256:\\S+)").matcher(server.output());
        assertTrue(key.find(), server.output());
        return key.group(1);
    }

    /** A node's {@code etc/org.tandemrc.security.client.cfg}: the server, its key, the node's kind. */
    static String client(String server, String key, String kind) {
        return "server = " + server + "\nfingerprint = " + key + "\nkind = " + kind + "\nreconnect = 2\n";
    }

    /** Waits for a node of {@code kind} to wait for approval on the server; returns its key fingerprint. */
    static String pending(Path serverHome, String kind) throws Exception {
        NodeProcess.Result r = until(serverHome, x -> x.out().contains("  pending  " + kind + "  "), "security", "nodes",
                "list");
        Matcher pending = Pattern.compile("(SHA256:\\S+)  pending  " + kind).matcher(r.out());
        assertTrue(pending.find(), r.out());
        return pending.group(1);
    }

    /** Runs an admin command until its output satisfies {@code done} (at most 40 s). */
    static NodeProcess.Result until(Path home, Predicate<NodeProcess.Result> done, String... args) throws Exception {
        long deadline = System.currentTimeMillis() + 40_000;
        NodeProcess.Result r;
        do {
            r = NodeProcess.admin(home, args);
            if (done.test(r)) {
                return r;
            }
            Thread.sleep(500);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("admin " + String.join(" ", args) + " never got there:\n" + r.out() + r.err());
    }

    /** The lines of {@code text} with both {@code code} and {@code also}. */
    static long lines(String text, String code, String also) {
        return text.lines().filter(l -> l.contains(code) && l.contains(also)).count();
    }
}
