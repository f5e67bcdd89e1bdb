package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services and Event Viewer on a real Host node, used from {@code tandem guest tool}: the machine's own
 * tinyproxy init script enabled and disabled at boot (and put back), a hostile name refused, changes
 * audited with what changed; the events of a syslog file the Host is configured to read, filtered.
 */
class ServicesEventsIT {

    private static final String PASSWORD = "services events host password";

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void aGuestListsAndChangesServicesAndReadsTheLog() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/etc/init.d/tinyproxy")) && !Files.isDirectory(Path.of("/run/systemd/system")),
                "tinyproxy's init script on a machine systemd does not run");
        boolean wasEnabled = Files.exists(Path.of("/etc/rc2.d/S01tinyproxy"));
        Path syslog = Files.writeString(tmp.resolve("syslog"),
                "<11>2026-12-05T14:00:00.000000+00:00 pc tandemapp[7]: disk nearly full\n"
                        + "<14>2026-12-05T14:00:01.000000+00:00 pc tandemapp[7]: all is well\n"
                        + "<14>2026-12-05T14:00:02.000000+00:00 pc cron[8]: (root) CMD (true)\n");
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (NodeProcess host = NodeProcess.host(home, pw, Map.of(), false, Map.of(
                "node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-services, tools-events\n",
                "org.tandemrc.tool.events.cfg", "source = files\nfiles = " + syslog + ", /nonexistent/messages\n"))) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tools", address);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("  Services (services)\n    list     List services\n"), r.out());
            assertTrue(r.out().contains("    restart  Restart service (changes the Host)\n"), r.out());
            assertTrue(r.out().contains("  Event Viewer (events)\n"), r.out());

            r = guest("tool", address, "services", "list");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("(?s)\\s*Service\\s+State\\s+At boot\\s+Description\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*\ntinyproxy\\s+unknown\\s+" + (wasEnabled ? "enabled" : "disabled")
                    + "\\s+Tinyproxy HTTP proxy\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*\npostgresql\\s+(running|stopped)\\s+\\S+.*"), r.out());

            try {
                r = guest("tool", address, "services", "enable", "name=tinyproxy");
                assertEquals(0, r.status(), r.out() + r.err());
                assertEquals("Service tinyproxy enabled (starts at boot) through SysV init; at boot it is now enabled.\n", r.out());
                assertTrue(Files.exists(Path.of("/etc/rc2.d/S01tinyproxy")));
                r = guest("tool", address, "services", "disable", "name=tinyproxy");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(Files.notExists(Path.of("/etc/rc2.d/S01tinyproxy")));
            } finally {
                NodeProcess.command(Map.of(), tmp, "/usr/sbin/update-rc.d", "tinyproxy", wasEnabled ? "enable" : "disable")
                        .process().waitFor();
            }

            r = guest("tool", address, "services", "start", "name=../../usr/bin/touch");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().startsWith("tandem: that is not a service name"), r.err());

            String events = events(home);
            assertTrue(events.contains("services enable name=tinyproxy -> Service tinyproxy enabled (starts at boot)"), events);
            assertTrue(events.contains("services disable name=tinyproxy -> Service tinyproxy disabled"), events);

            r = guest("tool", address, "events", "show", "program=tandemapp");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("disk nearly full") && r.out().contains("all is well"), r.out());
            assertTrue(!r.out().contains("CMD (true)"), r.out());
            r = guest("tool", address, "events", "show", "priority=err");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("disk nearly full") && !r.out().contains("all is well"), r.out());
            assertTrue(r.out().endsWith("1 row(s)\n"), r.out());
            r = guest("tool", address, "events", "show", "unit=ssh.service");
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: the syslog files do not record systemd units; filter by program instead\n", r.err());
        }
    }
}
