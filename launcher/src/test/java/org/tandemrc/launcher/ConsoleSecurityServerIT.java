package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Security Server's console pages end to end (security-test.mjs, Debian's Chromium): a console node with
 * the feature security-server, a real Host whose security client dials it and waits as pending. A supporter
 * sees no Security Server tab and its requests refuse them; the console's administrator approves the Host, adds a Guest ID and a rule, enrols a one-time code (the QR code shown),
 * searches the audit trail and verifies it; axe on every view. The changes are the role's own events, naming
 * the console administrator, and {@code tandem admin security} sees them.
 */
class ConsoleSecurityServerIT {

    private static final Pattern SETUP = Pattern.compile("setup\\s+(https?://\\S+)");
    private static final String PASSWORD = "a good console password";

    @TempDir
    Path tmp;

    @Test
    void anAdministratorManagesTheSecurityServerFromTheConsole() throws Exception {
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("security-test.mjs"), dir.resolve("security-test.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        Path home = tmp.resolve("console");
        int ssPort = ConsoleIT.freePort();
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = log-file, security-server\n");
        etc.put("org.tandemrc.security.server.cfg", "name = central\nlisten = tcp:127.0.0.1:" + ssPort + "\n");
        Homes.write(home, etc);
        try (NodeProcess console = ConsoleIT.console(home, ConsoleIT.freePort())) {
            Matcher s = SETUP.matcher(console.output());
            assertTrue(s.find(), console.output());
            NodeProcess.Result status = NodeProcess.admin(home, "security", "status");
            Matcher key = Pattern.compile("key\\s+(SHA256:\\S+)").matcher(status.out());
            assertTrue(key.find(), status.out() + status.err());
            Path log = home.resolve("data/log/tandem.log");
            Path hostHome = tmp.resolve("host");
            try (NodeProcess host = NodeProcess.host(hostHome, Files.writeString(tmp.resolve("shared"),
                    "an unused shared password\n"), Map.of(), false, Map.of(
                            "node.properties", "features = comm-tcp, sessions, log-file, security-client\n",
                            "org.tandemrc.security.client.cfg", "server = tcp:127.0.0.1:" + ssPort + "\nfingerprint = "
                                    + key.group(1) + "\nreconnect = 2\n"))) {
                Supplier<String> why = () -> {
                    try {
                        return "console log:\n" + Files.readString(log) + "\nhost:\n" + host.output();
                    } catch (java.io.IOException e) {
                        return "(no console log: " + e + ")";
                    }
                };
                String config = "{\"setupUrl\":\"" + s.group(1) + "\",\"consolePassword\":\"" + PASSWORD + "\","
                        + "\"chromium\":\"" + ConsoleIT.chromium() + "\",\"screenshots\":\"" + shots + "\"}";
                try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""), dir,
                        "node", "security-test.mjs")) {
                    ConsoleIT.step(browser, "changed", 180_000, why);
                    NodeProcess.Result nodes = NodeProcess.admin(home, "security", "nodes", "list");
                    assertTrue(nodes.out().contains("approved  host  db-1  groups servers"), nodes.out());
                    NodeProcess.Result guests = NodeProcess.admin(home, "security", "guests", "list");
                    assertTrue(guests.out().contains("opsie  groups ops"), guests.out());
                    NodeProcess.Result rules = NodeProcess.admin(home, "security", "rules", "list");
                    assertTrue(rules.out().contains("1  guest group:ops  host db-*  role Full access"), rules.out());
                    String text = Files.readString(log) + Homes.events(home);
                    // The same events the command line records, naming the console's administrator.
                    for (String[] event : new String[][] {{"TSECSSNODE", "approved db-1"},
                        {"TSECSS*", "Guest ID added opsie groups ops"}, {"TSECSS*", "rule 1 added: guest group:ops"},
                        {"TSECSS*", "one-time code enrolled for opsie"}, {"TSECSS*", "one-time code required for opsie"}}) {
                        assertTrue(text.lines().anyMatch(l -> l.contains(event[0]) && l.contains("user=alice")
                                && l.contains(event[1])), event[1] + " by alice:\n" + text);
                    }
                    assertTrue(!text.contains("opsie's password 1"), "the password never reaches the log");
                    browser.type("go changed");
                    assertEquals(0, browser.awaitExit(180_000), browser.output() + why.get());
                    browser.output().lines().filter(l -> l.startsWith("AXE")).forEach(System.out::println);
                    assertTrue(browser.output().contains("STEP done"), browser.output());
                }
            }
        }
        if (Boolean.getBoolean("tandem.docs.screenshots")) {
            Path docs = Path.of("../docs/console-screenshots").toAbsolutePath().normalize();
            try (var screens = Files.newDirectoryStream(shots, "[0-9][0-9]-security-*.png")) {
                for (Path p : screens) {
                    Files.copy(p, docs.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
