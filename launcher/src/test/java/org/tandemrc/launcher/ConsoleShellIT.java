package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Command Console in the browser console ({@code src/test/browser/shell-test.mjs}): Chromium types into a
 * real shell on a real Host node through the console's tool-stream socket and xterm.js, sees its output in
 * colour, interrupts a command with Ctrl+C, and sees the shell's exit status end the stream; the Host audits
 * the shell's opening and end.
 */
class ConsoleShellIT {

    private static final String PASSWORD = "console shell host password";

    @TempDir
    Path tmp;

    @Test
    void aSupporterTypesIntoARealShellInTheBrowser() throws Exception {
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("shell-test.mjs"), dir.resolve("shell-test.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        Path home = tmp.resolve("host");
        // The node user's own rc files may be slow on a loaded machine; the POSIX shell reads none.
        try (NodeProcess host = NodeProcess.host(home, pw, Map.of("SHELL", "/bin/sh"), false, Map.of("node.properties",
                "features = comm-tcp, sessions, terminal, log-file, tools-system, tools-shell\n"))) {
            try (NodeProcess console = ConsoleIT.console(tmp)) {
                java.util.function.Supplier<String> why = ConsoleIT.why(host, tmp);
                String config = ConsoleIT.browserConfig(console, host.tcpAddress(), PASSWORD, shots, tmp);
                try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""),
                        dir, "node", "shell-test.mjs")) {
                    ConsoleIT.step(browser, "done", 180_000, why);
                    assertEquals(0, browser.awaitExit(60_000), browser.output() + "\n" + why.get());
                }
                String events = Homes.events(home);
                assertTrue(events.contains("TACTTOOL") && events.contains("shell open"), "the shell is audited: " + events);
            }
        }
    }
}
