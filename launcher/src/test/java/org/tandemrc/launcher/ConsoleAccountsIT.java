package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supporter accounts end to end: a console node and Debian's Chromium (accounts-test.mjs). The first
 * administrator sets up through the node's link and adds a supporter, who logs in through their own
 * link, sees only their history, the shared phonebook and their personal one, cannot reach the Accounts
 * API, and whose failed logins (and an unknown name's) the node logs with the address and name tried.
 */
class ConsoleAccountsIT {

    private static final Pattern SETUP = Pattern.compile("setup\\s+(https?://\\S+)");
    private static final String PASSWORD = "a good console password";

    @TempDir
    Path tmp;

    @Test
    void supportersHaveTheirOwnLoginHistoryAndPhonebook() throws Exception {
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("accounts-test.mjs"), dir.resolve("accounts-test.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        Path home = tmp.resolve("console");
        Homes.write(home, Homes.defaults());
        int port = ConsoleIT.freePort();
        try (NodeProcess console = ConsoleIT.console(home, port)) {
            Matcher s = SETUP.matcher(console.output());
            assertTrue(s.find(), console.output());
            Path log = home.resolve("data/log/tandem.log");
            Supplier<String> why = () -> {
                try {
                    return "console log:\n" + Files.readString(log);
                } catch (java.io.IOException e) {
                    return "(no console log: " + e + ")";
                }
            };
            // Nothing listens on these: each supporter's Quick Connect fails, and goes to their history.
            String config = "{\"setupUrl\":\"" + s.group(1) + "\",\"consolePassword\":\"" + PASSWORD + "\","
                    + "\"aliceAddress\":\"tcp:127.0.0.1:" + ConsoleIT.freePort() + "\",\"bobAddress\":\"tcp:127.0.0.1:"
                    + ConsoleIT.freePort() + "\",\"chromium\":\"" + ConsoleIT.chromium() + "\",\"screenshots\":\""
                    + shots + "\"}";
            try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""), dir,
                    "node", "accounts-test.mjs")) {
                ConsoleIT.step(browser, "failed-login", 120_000, why);
                String text = Files.readString(log);
                assertTrue(text.contains("SECPW! peer=127.0.0.1 user=bob console login: wrong password or user name"), text);
                assertTrue(text.contains("SECPW! peer=127.0.0.1 user=mallory console login: wrong password or user name"),
                        text);
                assertFalse(text.contains("not bob's password") || text.contains("a guess at a password"),
                        "passwords never reach the log");
                assertTrue(text.contains("TCONACCT* peer=127.0.0.1 user=alice added bob as supporter"), text);
                browser.type("go failed-login");
                assertEquals(0, browser.awaitExit(120_000), browser.output() + why.get());
                assertTrue(browser.output().contains("STEP done"), browser.output());
            }
            Path accounts = home.resolve("data/console/accounts");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(accounts)));
            String stored = Files.readString(accounts);
            assertTrue(stored.contains("\"name\":\"alice\",\"role\":\"administrator\"") && !stored.contains(PASSWORD),
                    stored);
            assertTrue(Files.isRegularFile(home.resolve("data/phonebooks/bob/Shared server.dwc")),
                    "the moved record is in bob's own phonebook folder");
            assertTrue(Files.readString(home.resolve("data/console/history.log")).contains("\"user\":\"bob\""));
        }
    }
}
