package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote management between a Guest and a Host as real processes on loopback: the tools a Host
 * offers by default, Task Manager and System Information, ending a process, wrong requests, and a
 * role without remote management.
 */
class ToolsIT {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;

    private NodeProcess host(Path home, String security) throws Exception {
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        return NodeProcess.host(home, pw, Map.of(), false,
                security == null ? Map.of() : Map.of("org.tandemrc.host.security.cfg", security));
    }


    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void aGuestListsToolsReadsTheHostAndEndsAProcess() throws Exception {
        Path home = tmp.resolve("host");
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try (NodeProcess host = host(home, null)) {
            String address = host.tcpAddress();

            NodeProcess.Result r = guest("tools", address);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("System\n  System Information (system)\n    show  Show\n"
                    + "  Task Manager (processes)\n"), r.out());
            assertTrue(r.out().contains("    end    End process (changes the Host)\n"), r.out());
            assertTrue(r.out().contains("pid=    Process ID, a whole number, required"), r.out());
            assertTrue(r.out().contains("force=  Force (kill at once), true or false"), r.out());

            r = guest("tool", address, "processes", "list");
            assertEquals(0, r.status(), r.out() + r.err());
            String[] lines = r.out().split("\n");
            assertTrue(lines[0].matches("\\s*PID  Name\\s+User\\s+CPU % \\(0\\.25 s\\)\\s+Memory  CPU time\\s+Started\\s+Command"), lines[0]);
            assertTrue(r.out().matches("(?s).*\\n\\s*" + sleep.pid() + "  sleep\\s+\\S+\\s+\\d+\\.\\d\\s+[\\d.]+ [KMG]?i?B\\s+\\d+:\\d\\d:\\d\\d\\s+20\\d\\d-\\S+\\s+\\S*sleep 600\\n.*"),
                    r.out());
            assertTrue(lines[lines.length - 1].matches("\\d+ row\\(s\\)"), lines[lines.length - 1]);

            r = guest("tool", address, "system", "show");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Operating system: " + System.getProperty("os.name") + "\n"), r.out());
            assertTrue(r.out().contains("Processors: "), r.out());
            assertTrue(r.out().contains("Node user: " + System.getProperty("user.name") + "\n"), r.out());
            assertTrue(r.out().matches("(?s).*Node memory \\(total\\): [\\d.]+ [KMG]iB\\n.*"), r.out());
            assertEquals(Files.isReadable(Path.of("/proc/uptime")), r.out().contains("Uptime: "), r.out());

            // Wrong requests: refused on the Host with its reason, exit status 1.
            r = guest("tool", address, "processes", "end");
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: 'Process ID' (pid) is required\n", r.err());
            r = guest("tool", address, "processes", "end", "pid=abc");
            assertEquals(1, r.status());
            assertEquals("tandem: 'Process ID' (pid) must be a whole number, not 'abc'\n", r.err());
            r = guest("tool", address, "processes", "end", "pid=1", "force=maybe");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("must be true or false, not 'maybe'"), r.err());
            r = guest("tool", address, "registry", "list");
            assertEquals(1, r.status());
            assertEquals("tandem: this Host has no tool 'registry'\n", r.err());
            r = guest("tool", address, "processes", "dance");
            assertEquals("tandem: Task Manager has no operation 'dance'\n", r.err());
            r = guest("tool", address, "processes", "end", "pid");
            assertEquals(2, r.status(), "not NAME=VALUE is a usage error: " + r.err());

            assertTrue(sleep.isAlive(), "nothing ended the process yet");
            r = guest("tool", address, "processes", "end", "pid=" + sleep.pid());
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("Process " + sleep.pid() + " (sleep) ended.\n", r.out());
            assertTrue(sleep.waitFor(10, TimeUnit.SECONDS), "the process ended");
            assertEquals(143, sleep.exitValue());

            r = guest("tool", address, "processes", "end", "pid=" + sleep.pid());
            assertEquals(1, r.status());
            assertEquals("tandem: there is no process " + sleep.pid() + "\n", r.err());

            String events = events(home);
            assertTrue(events.contains("TACTTOOL") && events.contains("processes end pid=" + sleep.pid()), events);
            assertFalse(events.contains("processes list"), "a read-only operation is not audited: " + events);
            assertTrue(events.contains("processes end pid=" + sleep.pid() + " -> Process " + sleep.pid()
                    + " (sleep) ended."), "the event names what changed: " + events);
            assertTrue(events.contains("\tHSESRM+\t") && events.contains("\tHSESRM-\t"),
                    "remote management sessions are audited: " + events);
            String guestEvents = events(tmp.resolve("guest-home"));
            assertTrue(guestEvents.contains("\tGSESRM+\t") && guestEvents.contains("\tGSESRM-\t"),
                    "and on the Guest: " + guestEvents);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aRoleWithoutRemoteManagementIsRefused() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, "shared.role = View only\n")) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tools", address);
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("your role 'View only' does not allow Remote Management"), r.err());
            r = guest("tool", address, "processes", "list");
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("does not allow Remote Management"), r.err());
            assertTrue(events(home).contains("TSECPRIV!"), events(home));
        }
    }
}
