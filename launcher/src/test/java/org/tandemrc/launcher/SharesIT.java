package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared Folders between a Guest and a Host as real processes on loopback: the Host's file-transfer shares
 * listed, a share added and removed from the Guest behind the Host's maintenance password, file transfer
 * serving the new share at once, its settings file rewritten, and the node's home refused.
 */
class SharesIT {

    private static final String PASSWORD = "shares test host password";
    private static final String MAINTENANCE = "the keys to the kingdom";

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void aGuestAddsAndRemovesAShareWithTheMaintenancePassword() throws Exception {
        Path home = tmp.resolve("host");
        Path old = Files.createDirectories(tmp.resolve("old"));
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.writeString(docs.resolve("readme.txt"), "shared from the Guest's tool");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> etc = new LinkedHashMap<>();
        etc.put("node.properties", "features = comm-tcp, sessions, log-file, tools-shares\n");
        etc.put("org.tandemrc.files.cfg", "# the Host's shares\nshares = old=" + old + "\n");
        try (NodeProcess host = NodeProcess.host(home, pw, Map.of(), false, etc)) {
            String a = host.tcpAddress();
            Path m = Files.writeString(tmp.resolve("maintenance"), MAINTENANCE + "\n");
            assertEquals(0, NodeProcess.admin(home, "access", "maintenance", "--password-file", m.toString()).status());

            NodeProcess.Result r = guest("tool", a, "shares", "list");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("(?s)\\s*Share name\\s+Folder\\s+Folder exists\\s*\\nold\\s+" + old + "\\s+(yes|true)\\s*\\n.*"),
                    r.out());

            r = guest("tool", a, "shares", "add", "name=docs", "path=" + docs);
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: this Host has a maintenance password: give it as maintenancePassword\n", r.err());
            r = guest("tool", a, "shares", "add", "name=docs", "path=" + docs, "maintenancePassword=guess");
            assertEquals("tandem: wrong maintenance password\n", r.err());
            r = guest("tool", a, "shares", "add", "name=home", "path=" + home.resolve("etc"),
                    "maintenancePassword=" + MAINTENANCE);
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("is inside this Tandem node's home"), r.err());
            r = guest("ls", a + ":/docs");
            assertEquals(1, r.status(), "no such share yet: " + r.out() + r.err());

            r = guest("tool", a, "shares", "add", "name=docs", "path=" + docs, "maintenancePassword=" + MAINTENANCE);
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("Share 'docs' added: Guests with file transfer see " + docs.toRealPath() + " as /docs.\n", r.out());
            assertEquals("# the Host's shares\nshares = old=" + old + ", docs=" + docs.toRealPath() + "\n",
                    Files.readString(home.resolve("etc/org.tandemrc.files.cfg")), "the settings file keeps the change");
            r = guest("ls", a + ":/docs");
            assertEquals(0, r.status(), "file transfer serves the new share at once: " + r.out() + r.err());
            assertTrue(r.out().contains("readme.txt"), r.out());

            r = guest("tool", a, "shares", "remove", "name=docs", "maintenancePassword=" + MAINTENANCE);
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("Share 'docs' removed: Guests no longer see /docs.\n", r.out());
            r = guest("ls", a + ":/docs");
            assertEquals(1, r.status(), r.out() + r.err());

            String events = events(home);
            assertTrue(events.contains("shares add name=docs") && events.contains("maintenancePassword=***"), events);
            assertTrue(events.contains("wrong maintenance password"), "a wrong one is audited: " + events);
            assertFalse(events.contains(MAINTENANCE) || events.contains("=guess"), "no password reaches the log: " + events);
        }
    }
}
