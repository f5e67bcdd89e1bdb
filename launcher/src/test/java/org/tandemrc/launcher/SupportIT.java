package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem support} against a real Connection Manager node: a supporter makes a session through the
 * webconnect profile of their home, lists, extends, renews and cancels it; the manager's refusals and a
 * home with several such profiles are answered with the right exit status.
 */
class SupportIT {

    private static final Pattern CODE = Pattern.compile("code: +(\\d{3} \\d{3} \\d{3})");

    @TempDir
    Path tmp;

    private static String code(NodeProcess.Result r) {
        Matcher m = CODE.matcher(r.out());
        assertTrue(m.find(), r.out() + r.err());
        return m.group(1);
    }

    @Test
    void aSupporterMakesAndManagesSessionsFromTheCommandLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path managerHome = tmp.resolve("manager");
        Homes.write(managerHome, Map.of());
        try (NodeProcess manager = NodeProcess.start("webconnect", "manager", "--listen", "127.0.0.1:" + port,
                "--no-relay", "--home", managerHome.toString())) {
            manager.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
            Path pw = Files.writeString(tmp.resolve("account-pw"), "acme account password\n");
            NodeProcess.Result r = NodeProcess.admin(managerHome, "webconnect", "account", "add", "acme",
                    "--password-file", pw.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            String profile = "device = webconnect\nmanager = 127.0.0.1:" + port + "\naccount = acme\npassword-file = "
                    + pw + "\n";
            String home = tmp.resolve("supporter").toString();
            Homes.write(Path.of(home), Map.of("org.tandemrc.profile-wc.cfg", profile,
                    "org.tandemrc.profile-lan.cfg", "device = tcp\nport = 6502\n"));

            r = NodeProcess.run("support", "new", "--home", home, "--supporter", "Sam Supporter", "--code-minutes", "5",
                    "--lifetime-minutes", "90");
            assertEquals(0, r.status(), r.out() + r.err());
            String code = code(r);
            assertTrue(r.out().matches("(?s).*valid until: \\d\\d:\\d\\d \\((4|5) min left\\).*"), r.out());
            assertTrue(r.out().contains("lifetime:    90 min once the person's computer joined"), r.out());
            assertTrue(r.out().contains("supporter:   Sam Supporter") && r.out().contains("profile:     wc"), r.out());

            r = NodeProcess.run("support", "list", "--home", home);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains(code + "  waiting") && r.out().contains("Sam Supporter"), r.out());

            r = NodeProcess.run("support", "extend", code.replace(" ", ""), "--home", home);
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(code, code(r), "extend keeps the code");
            r = NodeProcess.run("support", "renew", code, "--home", home, "--profile", "wc");
            assertEquals(0, r.status(), r.out() + r.err());
            String renewed = code(r);
            assertNotEquals(code, renewed, "renew gives a new code");

            r = NodeProcess.run("support", "status", code, "--home", home);
            assertEquals(7, r.status(), "the manager refuses the old code: " + r.out() + r.err());
            assertTrue(r.err().contains("no open support session"), r.err());
            r = NodeProcess.run("support", "new", "--home", home, "--supporter", "Sam Supporter");
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("supporter 'Sam Supporter' already has 1 open support session"), r.err());
            r = NodeProcess.run("support", "list", "--home", home, "--profile", "lan");
            assertEquals(2, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("profile 'lan' is a tcp profile, not webconnect"), r.err());

            r = NodeProcess.run("support", "cancel", renewed, "--home", home);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("state:       cancelled"), r.out());

            // With two profiles that can make sessions, the supporter must say which.
            Homes.write(Path.of(home), Map.of("org.tandemrc.profile-wc2.cfg", profile));
            r = NodeProcess.run("support", "list", "--home", home);
            assertEquals(2, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("say which profile with --profile: wc, wc2"), r.err());
        }
    }
}
