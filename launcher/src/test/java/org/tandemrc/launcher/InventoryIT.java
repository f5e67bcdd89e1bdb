package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory between a Guest and a Host as real processes on loopback: the Host's tools-inventory feature
 * with custom items from its configuration, a Guest whose role has the inventory privilege only (the
 * reference's "Inventory only": no remote management) collecting and keeping two runs, listing them,
 * exporting them as CSV and JSON, and comparing them; and a role without the privilege refused.
 */
class InventoryIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;

    private NodeProcess host(Path home, String role, Path tag) throws Exception {
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-inventory\n");
        etc.put("org.tandemrc.host.security.cfg", "name = inventory-host\nshared.role = " + role + "\n");
        etc.put("org.tandemrc.tool.inventory.cfg", "item.Asset-tag = /bin/cat " + tag + "\n"
                + "item.Formula = /bin/echo =HYPERLINK(\"http://x\")\n" + "timeout = 5\n");
        return NodeProcess.host(home, pw, Map.of(), false, etc);
    }

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void anInventoryOnlyRoleCollectsKeepsExportsAndComparesRuns() throws Exception {
        Path tag = tmp.resolve("asset-tag");
        Files.writeString(tag, "AT-4711\n");
        try (NodeProcess host = host(tmp.resolve("host"), "Inventory only", tag)) {
            String address = host.tcpAddress();

            NodeProcess.Result r = guest("inventory", address);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("Kept the inventory of inventory-host as \\d{8}T\\d{6}Z: \\d+ item\\(s\\) in"
                    + " \\d+\\.\\d s \\(Hardware \\d+, Installed software \\d+, Custom items 2\\)\\n"), r.out());

            Files.writeString(tag, "AT-4712\n");
            r = guest("inventory", address);
            assertEquals(0, r.status(), r.out() + r.err());

            r = guest("inventory", address, "runs");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("RUN "), r.out());
            assertTrue(r.out().contains("2 run(s) in "), r.out());
            assertTrue(r.out().matches("(?s).*\\n\\d{8}T\\d{6}Z(-2)?\\s+20\\d\\d-\\S+Z\\s+\\d+\\.\\d s\\s+\\d+\\s+inventory-host\\n.*"),
                    r.out());

            r = guest("inventory", address, "compare");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("~ Custom items: Asset-tag: AT-4711 -> AT-4712\n"), r.out());
            assertTrue(r.out().matches("(?s).*\\d+ added, \\d+ removed, [1-9]\\d* changed\\n"), r.out());

            Path csv = tmp.resolve("latest.csv");
            r = guest("inventory", address, "show", "--export", "csv", "--out", csv.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            String text = Files.readString(csv);
            assertTrue(text.startsWith("section,item,value\r\n"), text);
            assertTrue(text.contains("\r\nCustom items,Asset-tag,AT-4712\r\n"), text);
            // A value a spreadsheet would run as a formula is exported as text.
            assertTrue(text.contains("\r\nCustom items,Formula,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"), text);
            assertTrue(text.contains("\r\nHardware,Processor / Logical processors,"
                    + Runtime.getRuntime().availableProcessors() + "\r\n"), text);
            assertTrue(text.contains("\r\nHardware,Memory / Total,"), text);
            if (Files.isExecutable(Path.of("/usr/bin/dpkg-query"))) {
                assertTrue(text.matches("(?s).*\\r\\nInstalled software,dpkg / \\S+,\\S+\\r\\n.*"), "dpkg is installed");
            }

            r = guest("inventory", address, "show", "--export", "json");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("\"host\" : \"inventory-host\"") && r.out().contains("\"AT-4712\""), r.out());
            assertTrue(r.out().contains("\"millis\" : "), r.out());

            r = guest("inventory", address, "compare", "--export", "csv");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("change,section,item,before,after\r\n"), r.out());
            assertTrue(r.out().contains("\r\nchanged,Custom items,Asset-tag,AT-4711,AT-4712\r\n"), r.out());

            // Wrong usage is refused before anything connects.
            r = guest("inventory", address, "show", "../../etc/passwd");
            assertEquals(2, r.status(), r.out() + r.err());
            r = guest("inventory", address, "dance");
            assertEquals(2, r.status(), r.out() + r.err());

            // The role has no remote management: the tools session stays closed, the inventory stream is open.
            r = guest("tool", address, "inventory", "hardware");
            assertEquals(7, r.status(), r.out() + r.err());
        }
    }

    @Test
    void aRoleWithoutTheInventoryPrivilegeIsRefused() throws Exception {
        Path tag = tmp.resolve("asset-tag");
        Files.writeString(tag, "AT-1\n");
        try (NodeProcess host = host(tmp.resolve("host"), "View only", tag)) {
            NodeProcess.Result r = guest("inventory", host.tcpAddress());
            assertNotEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.err().startsWith("tandem: "), r.err());
            assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("inventory"), r.err());
            assertEquals("", r.out());
            assertTrue(!Files.exists(tmp.resolve("guest-home/data/inventory")) || Files.list(
                    tmp.resolve("guest-home/data/inventory")).allMatch(d -> d.toFile().list().length == 0),
                    "nothing kept");
        }
    }
}
