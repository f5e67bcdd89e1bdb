package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tandemrc.launcher.Homes.events;
import static org.tandemrc.launcher.HostDesktopIT.closed;
import static org.tandemrc.launcher.HostDesktopIT.keys;
import static org.tandemrc.launcher.HostDesktopIT.shoot;
import static org.tandemrc.launcher.HostDesktopIT.window;
import static org.tandemrc.launcher.HostDesktopIT.xdotool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The Host management tools on a real Host node, used from {@code tandem guest tool}. Services: the
 * machine's own tinyproxy init script enabled and disabled at boot (and put back), a hostile name refused,
 * changes audited with what changed. Event Viewer: the events of a syslog file the Host is configured to
 * read, filtered. System Control on Xvfb: the countdown window shows the Guest's message, the person at the
 * Host postpones with Enter (found and pressed with xdotool as in {@link HostDesktopIT}), the Guest calls it
 * off, and a lock runs at the end of its countdown; every command is a recorder script, so the test machine
 * is never restarted.
 */
class HostManagementIT {

    private static final String PASSWORD = "host management password";

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

            // follow: the lines the file gets from now on, through the streaming operation, until the Guest stops.
            try (NodeProcess follow = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "tool", address, "events",
                    "follow", "program=tandemapp"))) {
                long end = System.currentTimeMillis() + 30_000;
                for (int n = 1; !follow.output().contains("followed line") && System.currentTimeMillis() < end; n++) {
                    Files.writeString(syslog, "<14>2026-12-05T14:00:03.000000+00:00 pc cron[8]: not this one " + n + "\n"
                            + "<11>2026-12-05T14:00:03.000000+00:00 pc tandemapp[7]: \u001b[31mfollowed line " + n + "\n",
                            java.nio.file.StandardOpenOption.APPEND);
                    Thread.sleep(1000);
                }
                assertTrue(follow.output().contains("followed line"), follow.output());
                assertFalse(follow.output().contains("\u001b"), "the log's escape sequence is shown, not obeyed");
                assertFalse(follow.output().contains("not this one"), follow.output());
            }
        }
    }

    @Test
    void thePersonAtTheHostSeesTheCountdownAndPostponesAndTheCommandRunsAtItsEnd() throws Exception {
        Path record = tmp.resolve("record");
        Path recorder = tmp.resolve("recorder");
        Files.writeString(recorder, "#!/bin/sh\necho \"$*\" >> " + record + "\n");
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        String commands = "restart.command = " + recorder + " restart\nshutdown.command = " + recorder + " shutdown\n"
                + "logoff.command = " + recorder + " logoff {user}\nlock.command = " + recorder + " lock\n"
                + "postpone.minutes = 1\nmax.postpones = 2\n";
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(tmp.resolve("fb")));
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, Map.of(
                        "node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-power\n",
                        "org.tandemrc.tool.power.cfg", commands))) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tool", address, "power", "restart", "message=<html><b>Updates</b> are in",
                    "countdown=120", "postpone=true");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("The computer restarts in 120 s: the person at the Host sees it, who may postpone it by 1 min"
                    + " up to 2 times.\n", r.out());
            String w = window(x, home, "The computer restarts", "countdown on the desktop", 1);
            assertEquals("Tandem: The computer restarts", xdotool(x, "getwindowname", w));
            shoot(x, w, "host-desktop-countdown");
            keys(x, w, "Return");
            closed(x, "Postpone closed the window", "--name", "The computer restarts");
            r = guest("tool", address, "power", "status");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Coming: Restart\n") && r.out().contains("Postponed: 1\n"), r.out());
            r = guest("tool", address, "power", "cancel");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("Restart (due at "), r.out());
            assertTrue(Files.notExists(record), "nothing ran");

            r = guest("tool", address, "power", "lock", "message=Lunch", "countdown=3");
            assertEquals(0, r.status(), r.out() + r.err());
            window(x, home, "The screen locks", "countdown on the desktop", 2);
            closed(x, "the window goes when the countdown ends", "--name", "The screen locks");
            for (int i = 0; i < 100 && Files.notExists(record); i++) {
                Thread.sleep(100);
            }
            assertEquals(List.of("lock"), Files.readAllLines(record));
            String events = events(home);
            assertTrue(events.contains("power restart") && events.contains("power cancel") && events.contains("power lock"),
                    events);
        }
    }
}
