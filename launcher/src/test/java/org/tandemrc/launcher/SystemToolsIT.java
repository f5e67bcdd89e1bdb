package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.HostDesktopIT.xdotool;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The system tools of features tools-command, tools-disks and tools-users, and Task Manager's sort and
 * filter, used by a Guest through {@code tandem guest tool} on a Host that runs on an X server (Xvfb) as
 * root: a command's output and exit status, a program started on the Host's display, the file systems and
 * block devices, a real user {@code tandemtest...} added and removed, and the changes audited.
 */
class SystemToolsIT {

    private static final String PASSWORD = "system tools host password";

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void aGuestRunsCommandsAndProgramsReadsDisksAndManagesUsers() throws Exception {
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-system, tools-command,"
                + " tools-disks, tools-users\n");
        etc.put("org.tandemrc.host.desktop.cfg", "notices = false\n");
        String user = "tandemtest" + ProcessHandle.current().pid() % 100_000 + "it";
        String marker = Long.toString(700_000 + ProcessHandle.current().pid() % 100_000);
        Process sleep = new ProcessBuilder("sleep", marker).start();
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Xvfb x = Xvfb.start(800, 600, fb);
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, etc)) {
            String address = host.tcpAddress();

            NodeProcess.Result r = guest("tools", address);
            assertEquals(0, r.status(), r.out() + r.err());
            for (String tool : new String[] {"Disk Drives (disks)", "Execute Command (command)",
                "Local Users and Groups (users)", "Run Program (run-program)", "Task Manager (processes)"}) {
                assertTrue(r.out().contains("  " + tool + "\n"), tool + " is not offered:\n" + r.out());
            }

            r = guest("tool", address, "command", "run", "command=echo hello from $(id -un); echo oops >&2; exit 3");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Exit status: 3\n"), r.out());
            assertTrue(r.out().contains("hello from root") && r.out().contains("oops"), r.out());
            assertTrue(r.out().contains("Outcome: ended with exit status 3\n"), r.out());

            // The same through the streaming operation: the output as it comes, the status as the stream's end.
            r = guest("tool", address, "command", "execute", "command=printf 'one\\033[31mred\\n'; echo two; exit 4");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("one") && r.out().contains("red\ntwo\n"), r.out());
            assertFalse(r.out().contains("\033"), "the Host's escape sequence is shown, not obeyed: " + r.out());
            assertTrue(r.err().contains("exit status 4"), r.err());
            r = guest("tool", address, "command", "execute", "command=echo fine");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("fine\n", r.out());
            assertTrue(r.err().contains("exit status 0"), r.err());

            r = guest("tool", address, "run-program", "start", "program=xmessage", "arguments=-name " + user + " hello");
            assertEquals(0, r.status(), r.out() + r.err());
            Matcher m = Pattern.compile("Started xmessage \\(pid (\\d+)\\) on display " + Pattern.quote(x.display) + "\\.")
                    .matcher(r.out());
            assertTrue(m.find(), r.out());
            long pid = Long.parseLong(m.group(1));
            try {
                String window = "";
                for (int i = 0; i < 100 && window.isEmpty(); i++) {
                    window = xdotool(x, "search", "--classname", user);
                    Thread.sleep(window.isEmpty() ? 100 : 0);
                }
                assertTrue(window.matches("\\d+(\\s+\\d+)*"), "the program's window is on the Host's display: " + window);
            } finally {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }

            r = guest("tool", address, "disks", "filesystems");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().split("\n")[0].matches("Mounted on\\s+Device\\s+Type\\s+Size\\s+Used\\s+Free\\s+Used %\\s+Read-only\\s*"),
                    r.out());
            assertTrue(r.out().matches("(?s).*\\n/\\s+\\S+\\s+\\S+\\s+[\\d.]+ [KMGT]?i?B\\s+[\\d.]+ [KMGT]?i?B.*"), r.out());
            r = guest("tool", address, "disks", "devices");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("Device"), r.out());

            // watch: the live table, a frame each second, through the streaming operation until the Guest stops.
            try (NodeProcess watch = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "tool", address, "processes",
                    "watch", "filter=sleep " + marker, "seconds=1"))) {
                long end = System.currentTimeMillis() + 30_000;
                while (watch.output().split("sleep " + marker, -1).length < 3 && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                }
                assertTrue(watch.output().split("sleep " + marker, -1).length >= 3, "two frames: " + watch.output());
            }
            r = guest("tool", address, "processes", "list", "sort=memory", "filter=sleep " + marker);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().matches("(?s).*\\n\\s*" + sleep.pid() + "  sleep\\s.*sleep " + marker + "\\n1 row\\(s\\)\\n"), r.out());

            r = guest("tool", address, "users", "add", "user=" + user, "fullName=IT Person");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("User " + user + " added.\n", r.out());
            r = guest("tool", address, "users", "users");
            assertTrue(r.out().matches("(?s).*\\n" + user + "\\s+\\d{4,5}\\s+" + user + "\\s+IT Person\\s.*"), r.out());
            r = guest("tool", address, "users", "add", "user=-o");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("'-o' is not a user name"), r.err());
            r = guest("tool", address, "users", "remove", "user=root");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("system's own accounts"), r.err());
            r = guest("tool", address, "users", "remove", "user=" + user);
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("User " + user + " removed.\n", r.out());

            String events = events(home);
            assertTrue(events.contains("users add user=" + user) && events.contains("-> User " + user + " added."), events);
            assertTrue(events.contains("users remove user=" + user) && events.contains("-> User " + user + " removed."), events);
            assertTrue(events.contains("command run command=echo hello"), events);
            assertTrue(events.contains("command execute command=echo fine (stream opened)")
                    && events.contains("command execute command=echo fine -> exit status 0"), events);
            assertTrue(events.contains("run-program start program=xmessage") && events.contains("-> Started xmessage"), events);
        } finally {
            sleep.destroyForcibly();
            new ProcessBuilder("/usr/sbin/userdel", "--remove", "--", user).start().waitFor();
        }
    }

    @Test
    void aRoleWithRemoteManagementOnlyNeitherRunsCommandsNorStartsPrograms() throws Exception {
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-system, tools-command\n");
        etc.put("org.tandemrc.host.role-helpdesk.cfg", "name = Helpdesk\nprivileges = remote_management\n");
        etc.put("org.tandemrc.host.security.cfg", "shared.role = Helpdesk\n");
        Path made = tmp.resolve("made-by-the-guest");
        try (NodeProcess host = NodeProcess.host(home, pw, Map.of(), false, etc)) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tools", address);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Task Manager (processes)"), r.out());
            assertTrue(!r.out().contains("(command)") && !r.out().contains("(run-program)"),
                    "tools the role may not use are not offered:\n" + r.out());

            r = guest("tool", address, "command", "run", "command=touch " + made);
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: your role does not allow Execute Command\n", r.err());
            r = guest("tool", address, "run-program", "start", "program=touch", "arguments=" + made);
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: your role does not allow Run Program\n", r.err());
            assertTrue(!Files.exists(made), "nothing ran");
            assertTrue(events(home).contains("role may not use Execute Command"), events(home));
        }
    }
}
