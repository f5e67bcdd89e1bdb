package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's Files and Tools panels end to end ({@code src/test/browser/files-test.mjs}): a file dropped
 * from the desktop onto the Host's pane and one chosen with Upload files… arrive in the Host's shared
 * folder; two ticked files are deleted together; a Host file downloads to the browser byte for byte; Task
 * Manager shows CPU and memory, sorts and filters, and ends a process of this test from its row; the pane of
 * a Host that shares no folder says how to share one.
 */
class ConsoleFilesIT {

    private static final String PASSWORD = "console files host password";

    @TempDir
    Path tmp;

    @Test
    void filesGoBothWaysAndAProcessEndsFromItsRow() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Random random = new Random(21);
        byte[] download = new byte[1_500_000];
        random.nextBytes(download);
        Files.write(share.resolve("download.bin"), download);
        Files.writeString(share.resolve("hello.txt"), "hello ".repeat(250));
        Files.write(share.resolve("a.bin"), new byte[10]);
        Files.write(share.resolve("b.bin"), new byte[20_000]);
        byte[] upload = new byte[2_345_678];
        random.nextBytes(upload);
        Path uploadFile = Files.write(Files.createDirectories(tmp.resolve("desktop")).resolve("chosen.bin"), upload);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("files-test.mjs"), dir.resolve("files-test.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try (NodeProcess host = NodeProcess.host(tmp.resolve("host"), pw, Map.of(), false,
                Map.of("org.tandemrc.files.cfg", "shares = inbox=" + share + "\n"));
                NodeProcess bare = NodeProcess.host(tmp.resolve("bare-host"), pw, Map.of(), false, Map.of())) {
            int port = ConsoleIT.freePort();
            Homes.write(tmp.resolve("console"), Homes.defaults());
            try (NodeProcess console = ConsoleIT.console(tmp.resolve("console"), port)) {
                String config = "{\"setupUrl\":\"" + ConsoleIT.setupUrl(console) + "\",\"consolePassword\":\"a good console password\","
                        + "\"hostAddress\":\"" + host.tcpAddress() + "\",\"bareHostAddress\":\"" + bare.tcpAddress()
                        + "\",\"hostPassword\":\"" + PASSWORD + "\","
                        + "\"chromium\":\"" + ConsoleIT.chromium() + "\",\"screenshots\":\"" + shots + "\",\"out\":\"" + tmp
                        + "\",\"share\":\"inbox\",\"uploadFile\":\"" + uploadFile + "\",\"sleepPid\":\"" + sleep.pid() + "\"}";
                try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""), dir,
                        "node", "files-test.mjs")) {
                    step(browser, "dropped", console, host);
                    assertEquals("dropped from the desktop\n", Files.readString(share.resolve("dropped.txt")));
                    browser.type("go dropped");

                    step(browser, "uploaded", console, host);
                    assertArrayEquals(upload, Files.readAllBytes(share.resolve("chosen.bin")), "the chosen file arrived");
                    browser.type("go uploaded");

                    step(browser, "deleted", console, host);
                    assertFalse(Files.exists(share.resolve("a.bin")) || Files.exists(share.resolve("b.bin")),
                            "both ticked files are gone");
                    assertTrue(Files.exists(share.resolve("hello.txt")), "the unticked file stays");
                    browser.type("go deleted");

                    step(browser, "downloaded", console, host);
                    assertArrayEquals(download, Files.readAllBytes(tmp.resolve("downloaded.bin")),
                            "the browser's download equals the Host's file");
                    browser.type("go downloaded");

                    step(browser, "ended", console, host);
                    assertTrue(sleep.waitFor(10, TimeUnit.SECONDS), "the process ended from its row is gone");
                    assertEquals(143, sleep.exitValue(), "ended by SIGTERM");
                    browser.type("go ended");

                    String end = browser.awaitLine(l -> l.startsWith("PASSED") || l.startsWith("FAILED"), 60_000);
                    assertTrue(end.startsWith("PASSED"), browser.output());
                    assertFalse(browser.output().contains("PAGE-ERROR"), browser.output());
                }
            }
        } finally {
            sleep.destroyForcibly();
        }
    }

    private static void step(NodeProcess browser, String name, NodeProcess console, NodeProcess host)
            throws InterruptedException {
        String line = browser.awaitLine(l -> l.startsWith("STEP " + name) || l.startsWith("FAILED"), 120_000);
        if (!line.startsWith("STEP " + name)) {
            fail("the browser test failed before '" + name + "':\n" + browser.output() + "\nconsole:\n" + console.output()
                    + "\nHost:\n" + host.output());
        }
    }
}
