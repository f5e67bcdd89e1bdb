package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;

/**
 * {@code tandem guest batch} against real Host nodes: one action on several phonebook records at once,
 * failures (a wrong password, nobody listening) kept to their own rows, a saved list run again; and
 * Wake-on-LAN in network namespaces, tcpdump seeing the magic packet on the sleeping machine's subnet,
 * sent by the Guest there and by a Host for a Guest on another subnet.
 */
class BatchIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String netns, String... args) throws Exception {
        return NodeProcess.runIn(netns, null, NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    /** Records in the reference's CSV syntax: folder, description, address, logon, password, MAC. */
    private void phonebook(String netns, String... records) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (String r : records) {
            String[] f = r.split(";", -1);
            csv.append(String.join(",", f[0], f[1], "", f[2], "", "", f[3], f[4], "", "", "", "", "", f[5], "", "", ""))
                    .append("\r\n");
        }
        Path file = Files.writeString(tmp.resolve("records.csv"), csv.toString());
        NodeProcess.Result r = guest(netns, "batch", "import", file.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("Imported " + records.length + " record(s)"), r.out());
    }

    private static void row(String table, String host, String outcome, String output) {
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s+" + outcome + "\\s+\\d+\\.\\d s\\s+.*"
                + Pattern.quote(output)).matcher(table).find(), host + " " + outcome + " " + output + " in:\n" + table);
    }

    @Test
    void oneActionOnManyHostsKeepsEachFailureToItsRowAndASavedListRunsAgain() throws Exception {
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (NodeProcess a = NodeProcess.host(tmp.resolve("a"), pw, Map.of(), false, Map.of());
                NodeProcess b = NodeProcess.host(tmp.resolve("b"), pw, Map.of(), false, Map.of())) {
            phonebook(null,
                    "office;a;" + a.tcpAddress() + ";;" + PASSWORD + ";",
                    "office;b;" + b.tcpAddress() + ";;;52:54:00:00:00:0b",
                    "office/old;wrong-password;" + b.tcpAddress() + ";;guess;",
                    "lab;down;tcp:127.0.0.1:1;;" + PASSWORD + ";");

            NodeProcess.Result r = guest(null, "batch", "hosts", "office/,lab/down");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("office/b") && r.out().contains("52:54:00:00:00:0b")
                    && r.out().endsWith("4 Host(s)\n"), r.out());

            // b has no password of its own: it logs on with --password-file (guestArgs gives one).
            r = guest(null, "batch", "run", "office/,lab/down", "tool", "system", "show", "--parallel", "4",
                    "--save", "daily");
            assertEquals(1, r.status(), r.out() + r.err());
            row(r.out(), "office/a", "ok", "Operating system: " + System.getProperty("os.name"));
            row(r.out(), "office/b", "ok", "Operating system: " + System.getProperty("os.name"));
            // A row shows the start of a long output; all of it follows the table.
            assertTrue(r.out().matches("(?s).*\n--- office/b:\n  Host name: [^\n]*; Node user: "
                    + Pattern.quote(System.getProperty("user.name")) + "\n.*"), r.out());
            row(r.out(), "office/old/wrong-password", "FAILED", "");
            row(r.out(), "lab/down", "FAILED", "");
            assertTrue(r.out().contains("2 of 4 Host(s) succeeded, 2 failed"), r.out());
            assertTrue(r.err().contains("[4/4] "), r.err());
            assertTrue(r.err().contains("Saved to the list daily (1 batch(es))"), r.err());

            r = guest(null, "batch", "run", "office/a,office/b", "message", "Backup", "tonight");
            assertEquals(0, r.status(), r.out() + r.err());
            row(r.out(), "office/a", "ok", "delivered");
            assertTrue(r.out().contains("2 of 2 Host(s) succeeded, 0 failed"), r.out());

            r = guest(null, "batch", "saved");
            assertEquals("daily (1 batch(es))\n", r.out(), r.err());
            r = guest(null, "batch", "replay", "daily", "--parallel", "1");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("== 1/1: office/,lab/down tool system show\n"), r.out());
            row(r.out(), "office/b", "ok", "Host name: ");
            row(r.out(), "lab/down", "FAILED", "");

            // Wrong requests are refused before any Host is contacted.
            r = guest(null, "batch", "run", "office/", "reboot");
            assertEquals(2, r.status(), r.err());
            r = guest(null, "batch", "run", "nowhere/", "wake");
            assertEquals(8, r.status(), r.err());
            assertTrue(r.err().contains("there is no phonebook folder nowhere"), r.err());
            r = guest(null, "batch", "replay", "../../etc/passwd");
            assertEquals(2, r.status(), r.err());
        }
    }

    @Test
    void wakeOnLanBroadcastsOnTheSleepingMachinesSubnetFromTheGuestOrThroughAHost() throws Exception {
        try (Netns net = new Netns("wol")) {
            // guest 10.207.1.1 -- 10.207.1.2 host 10.207.2.1 -- 10.207.2.2 lan; the host forwards nothing.
            net.chain("10.207", 1, "g", "h", "lan");
            Path home = tmp.resolve("host");
            Homes.host(home, "gateway-pc", "comm-tcp, sessions, terminal, log-file, tools-system, tools-wake", Map.of());
            Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
            try (NodeProcess host = NodeProcess.startIn(net.ns("h"), Map.of(), "host", "--home", home.toString(),
                    "--listen", "tcp:10.207.1.2:6502", "--password-file", pw.toString())) {
                host.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
                phonebook(net.ns("g"),
                        "near;pc1;tcp:10.207.1.9:6502;;;52:54:00:aa:bb:01",
                        "near;no-mac;tcp:10.207.1.10:6502;;;",
                        "far;pc2;tcp:10.207.2.9:6502;;;52-54-00-AA-BB-02",
                        ";gateway;tcp:10.207.1.2:6502;;" + PASSWORD + ";");
                try (Capture onHost = Capture.start(net.ns("h"), tmp.resolve("h.pcap"));
                        Capture onLan = Capture.start(net.ns("lan"), tmp.resolve("lan.pcap"))) {
                    NodeProcess.Result r = guest(net.ns("g"), "batch", "run", "near/", "wake");
                    assertEquals(1, r.status(), r.out() + r.err());
                    row(r.out(), "near/pc1", "ok", "Sent the Wake-on-LAN packet for 52:54:00:aa:bb:01 to 10.207.1.255:9");
                    row(r.out(), "near/no-mac", "FAILED", "the record has no Wake-on-LAN MAC address");

                    r = guest(net.ns("g"), "batch", "run", "far/pc2", "wake", "via", "gateway");
                    assertEquals(0, r.status(), r.out() + r.err());
                    row(r.out(), "far/pc2", "ok", "through gateway: Sent the Wake-on-LAN packet for 52:54:00:aa:bb:02"
                            + " to 10.207.");
                    assertTrue(r.out().contains("10.207.2.255:9"), r.out());

                    byte[] hostSaw = onHost.stop();
                    byte[] lanSaw = onLan.stop();
                    List<String> names = List.of("pc1's magic packet", "pc2's magic packet");
                    List<byte[]> packets = List.of(magic(0x01), magic(0x02));
                    assertNotNull(Capture.firstFound(hostSaw, packets.subList(0, 1), names), "the Guest's broadcast"
                            + " did not reach its subnet: " + onHost);
                    assertNotNull(Capture.firstFound(lanSaw, packets.subList(1, 2), names.subList(1, 2)),
                            "the Host's broadcast did not reach the far subnet: " + onLan);
                    assertNull(Capture.firstFound(lanSaw, packets.subList(0, 1), names),
                            "a broadcast crossed the Host, which forwards nothing");
                }
                assertTrue(Homes.events(home).contains("wake"), Homes.events(home));
            }
        }
    }

    /** The console's Many Hosts page asks the node to run a batch over the login's phonebook and reads the table as it fills. */
    @Test
    void theConsoleRunsABatchOverItsPhonebookAndTheTableFills() throws Exception {
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        int port = ConsoleIT.freePort();
        try (NodeProcess a = NodeProcess.host(tmp.resolve("a"), pw, Map.of(), false, Map.of());
                NodeProcess console = ConsoleIT.console(tmp.resolve("console"), port)) {
            String base = "http://127.0.0.1:" + port;
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            ConsoleIT.Login login = ConsoleIT.setUp(http, base, console.output());
            java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> post = (path, json) -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                            .header("Cookie", login.cookie()).header("X-Tandem-Csrf", login.csrf()).header("Origin", base)
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            assertEquals(200, post.apply("/api/phonebook/save", "{\"folder\":\"office\",\"description\":\"a\",\"name\":\""
                    + a.tcpAddress() + "\",\"hostPassword\":\"" + PASSWORD + "\"}").statusCode());
            assertEquals(200, post.apply("/api/phonebook/save", "{\"folder\":\"office\",\"description\":\"down\","
                    + "\"name\":\"tcp:127.0.0.1:1\",\"hostPassword\":\"x\"}").statusCode());

            java.net.http.HttpResponse<String> started = post.apply("/api/batch/run", "{\"hosts\":\"office/\",\"parallel\":2,"
                    + "\"action\":{\"kind\":\"tool\",\"tool\":\"system\",\"operation\":\"show\"}}");
            assertEquals(200, started.statusCode(), started.body());
            String id = started.body().replaceAll(".*\"id\":\"([0-9a-f-]+)\".*", "$1");
            String run = "";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
            while (!run.contains("\"finished\":true") && System.nanoTime() < deadline) {
                Thread.sleep(300);
                run = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/batch?id=" + id))
                        .header("Cookie", login.cookie()).header("X-Tandem-Csrf", login.csrf()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(run.contains("\"finished\":true") && run.contains("\"total\":2") && run.contains("\"done\":2")
                    && run.contains("\"failed\":1"), run);
            assertTrue(Pattern.compile("\\{\"host\":\"office/a\",\"ok\":true,\"output\":\"Host name: [^\"]*Operating system: ")
                    .matcher(run).find(), run);
            assertTrue(run.contains("{\"host\":\"office/down\",\"ok\":false,\"output\":\"cannot connect to tcp:127.0.0.1:1"),
                    run);

            // Refused before anything runs: a folder the phonebook lacks, an action the page cannot ask for.
            assertEquals(404, post.apply("/api/batch/run", "{\"hosts\":\"nowhere/\",\"action\":{\"kind\":\"wake\"}}")
                    .statusCode());
            assertEquals(400, post.apply("/api/batch/run", "{\"hosts\":\"office/\",\"action\":{\"kind\":\"send\","
                    + "\"file\":\"/etc/shadow\"}}").statusCode());
        }
    }

    /** The Many Hosts page in Debian's Chromium (batch-test.mjs): the table fills, the progress counts, axe-core checks it. */
    @Test
    void theManyHostsPageShowsEachHostsOutcome() throws Exception {
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("batch-test.mjs"), dir.resolve("batch-test.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Path home = tmp.resolve("console");
        int port = ConsoleIT.freePort();
        try (NodeProcess a = NodeProcess.host(tmp.resolve("a"), pw, Map.of(), false, Map.of());
                NodeProcess console = ConsoleIT.console(home, port)) {
            // The console's shared phonebook is its home's: filled as a Guest command on that home fills it.
            Path csv = Files.writeString(tmp.resolve("office.csv"), "office,a,," + a.tcpAddress() + ",,,," + PASSWORD
                    + ",,,,,,,,,\r\noffice,down,,tcp:127.0.0.1:1,,,,x,,,,,,,,,\r\n");
            NodeProcess.Result r = NodeProcess.run("guest", "batch", "import", csv.toString(), "--home", home.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            Path log = home.resolve("data/log/tandem.log");
            java.util.function.Supplier<String> why = () -> ConsoleIT.context(a, log);
            String config = "{\"setupUrl\":\"" + ConsoleIT.setupUrl(console) + "\",\"consolePassword\":\""
                    + "a good console password\",\"chromium\":\"" + ConsoleIT.chromium() + "\",\"screenshots\":\""
                    + shots + "\"}";
            try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""), dir,
                    "node", "batch-test.mjs")) {
                ConsoleIT.step(browser, "done", 180_000, why);
                assertEquals(0, browser.awaitExit(60_000), browser.output() + why.get());
                assertTrue(!browser.output().contains("PAGE-ERROR") && !browser.output().contains("PAGE-CONSOLE"),
                        browser.output());
            }
        }
    }

    /** The magic packet of 52:54:00:aa:bb:{@code last}: six 0xFF bytes, then the address sixteen times. */
    private static byte[] magic(int last) {
        byte[] mac = {0x52, 0x54, 0x00, (byte) 0xaa, (byte) 0xbb, (byte) last};
        byte[] p = new byte[102];
        java.util.Arrays.fill(p, 0, 6, (byte) 0xFF);
        for (int i = 0; i < 16; i++) {
            System.arraycopy(mac, 0, p, 6 + 6 * i, 6);
        }
        return p;
    }
}
