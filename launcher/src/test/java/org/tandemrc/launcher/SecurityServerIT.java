package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem security-server} as an administrator meets it: it starts with its embedded database,
 * prints the key nodes pin, and {@code tandem admin security} manages its Guest IDs (the password typed on
 * the input), rules and one-time codes, each change an event in the log.
 */
class SecurityServerIT {

    @TempDir
    Path tmp;

    @Test
    void anAdministratorSetsUpASecurityServer() throws Exception {
        int port = ConsoleIT.freePort();
        Path home = tmp.resolve("security");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = log-file\n");
        etc.put("org.tandemrc.security.server.cfg", "name = central\n");
        Homes.write(home, etc);
        try (NodeProcess node = NodeProcess.start("security-server", "--home", home.toString(), "--listen",
                "tcp:127.0.0.1:" + port)) {
            node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
            assertTrue(node.output().contains("node is up"), node.output());
            assertTrue(node.output().contains("listening  tcp:127.0.0.1:" + port), node.output());
            Matcher key = Pattern.compile("  key        (SHA256:\\S+)").matcher(node.output());
            assertTrue(key.find(), node.output());

            NodeProcess.Result r = NodeProcess.admin(home, "security", "status");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains(key.group(1)) && r.out().contains("jdbc:h2:"), r.out());

            r = NodeProcess.runWithInput("correct horse\n", "admin", "--home", home.toString(), "security", "guests",
                    "add", "bob", "--group", "ops", "admins");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("Guest ID bob added"), r.out());
            r = NodeProcess.admin(home, "security", "rules", "add", "--guest", "group:ops", "--host", "db-*", "--role",
                    "Full access");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "rules", "add", "--guest", "*", "--host", "*", "--role", "View only",
                    "--position", "1");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "rules", "list");
            assertTrue(r.out().contains("1  guest *  host *  role View only")
                    && r.out().contains("2  guest group:ops  host db-*  role Full access"), r.out());

            r = NodeProcess.admin(home, "security", "otp", "enroll", "bob");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("otpauth://totp/Tandem:bob?secret=") && r.out().contains("█"), r.out());
            r = NodeProcess.admin(home, "security", "otp", "require", "bob", "on");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "guests", "list");
            assertTrue(r.out().contains("bob  groups admins,ops  one-time code required"), r.out());

            r = NodeProcess.admin(home, "security", "nodes", "approve", "SHA256:nobody");
            assertEquals(2, r.status(), r.out());
            assertTrue(r.err().contains("no node with the key SHA256:nobody"), r.err());
            String events = Homes.events(home);
            assertTrue(events.contains("TSECSS*") && events.contains("Guest ID added bob groups ops,admins")
                    && events.contains("one-time code required for bob"), events);
            assertTrue(!events.contains("correct horse"), "no password in the log");
        }
    }
}
