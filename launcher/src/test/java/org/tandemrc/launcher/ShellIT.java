package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Command Console between real processes on loopback: {@code tandem guest shell} typing into a real
 * shell on the Host (piped input, and a real terminal in raw mode), its exit status; the shell through
 * {@code tandem guest tool}; a role without execute_command.
 */
class ShellIT {

    private static final String PASSWORD = "shell host password";
    /** The node user's own rc files may be slow on a loaded machine; the POSIX shell reads none. */
    private static final Map<String, String> ENV = Map.of("SHELL", "/bin/sh");

    @TempDir
    Path tmp;

    private NodeProcess host(Path home, String role) throws Exception {
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> etc = new HashMap<>();
        etc.put("node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-system, tools-shell\n");
        if (role != null) {
            etc.put("org.tandemrc.host.security.cfg", "shared.role = " + role + "\n");
        }
        return NodeProcess.host(home, pw, ENV, false, etc);
    }

    private String[] guest(String... args) throws Exception {
        return NodeProcess.guestArgs(tmp, PASSWORD, args);
    }

    @Test
    void aGuestTypesIntoARealShellAndGetsItsExitStatus() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null)) {
            String address = host.tcpAddress();
            NodeProcess.Result r = NodeProcess.run(guest("tools", address));
            assertTrue(r.out().contains("  Command Console (shell)\n    open  Open a shell (changes the Host)\n"), r.out());

            r = NodeProcess.runWithInput("echo $((6 * 7))x; tty\nexit 5\n", guest("shell", address));
            assertEquals(5, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("42x"), r.out());
            assertTrue(r.out().contains("/dev/pts/"), "the shell runs on a terminal: " + r.out());

            // Piped input that ends: the terminal's end-of-file ends the shell, with its last status.
            r = NodeProcess.runWithInput("true\n", guest("shell", address));
            assertEquals(0, r.status(), r.out() + r.err());

            r = NodeProcess.run(guest("tool", address, "shell", "open"));
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: 'shell open' is a terminal: use 'tandem guest shell ADDRESS'\n", r.err());

            String events = events(home);
            assertTrue(events.contains("TACTTOOL") && events.contains("shell open"), "a shell is audited: " + events);
        }
    }

    @Test
    void onARealTerminalEveryKeyGoesToTheHostAndTheTerminalComesBack() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, null)) {
            // On a terminal of 91 columns and 33 rows (util-linux's script makes it, stty sizes it).
            StringBuilder command = new StringBuilder("stty cols 91 rows 33; exec ")
                    .append(NodeProcess.quote(NodeProcess.DIST.resolve("bin/tandem").toAbsolutePath().toString()));
            for (String a : guest("shell", host.tcpAddress())) {
                command.append(' ').append(NodeProcess.quote(a));
            }
            NodeProcess guest = NodeProcess.command(ENV, tmp, "script", "-qefc", command.toString(), "/dev/null");
            guest.type("echo $((2 + 3))y; stty size");
            guest.awaitLine(l -> l.contains("5y"), 60_000);
            guest.awaitLine(l -> l.trim().equals("33 91"), 10_000);

            // The Guest's terminal is resized: the Host's follows.
            ProcessHandle shell = guest.process().toHandle().children().findFirst().orElseThrow();
            Path tty = Files.readSymbolicLink(Path.of("/proc/" + shell.pid() + "/fd/0"));
            assertEquals(0, new ProcessBuilder("stty", "-F", tty.toString(), "cols", "120", "rows", "40").start().waitFor());
            Thread.sleep(1_500);
            guest.type("stty size");
            guest.awaitLine(l -> l.trim().equals("40 120"), 10_000);
            guest.type("sleep 60; echo sl''ept");
            Thread.sleep(1_000);
            // Raw mode: Ctrl+C is a key for the Host's terminal, not a signal that ends this Guest.
            guest.typeRaw("\u0003");
            guest.type("exit 4");
            assertEquals(4, guest.awaitExit(30_000), guest.output());
            assertFalse(guest.output().contains("slept"), "Ctrl+C reached the sleep: " + guest.output());
        }
    }

    @Test
    void aRoleWithoutExecuteCommandGetsNoShell() throws Exception {
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, "Remote management only")) {
            String address = host.tcpAddress();
            NodeProcess.Result r = NodeProcess.run(guest("tools", address));
            assertEquals(0, r.status(), r.out() + r.err());
            r = NodeProcess.runWithInput("touch " + tmp.resolve("owned") + "\nexit 0\n", guest("shell", address));
            assertTrue(r.status() != 0, r.out() + r.err());
            assertEquals("tandem: your role does not allow Command Console\n", r.err());
            assertFalse(Files.exists(tmp.resolve("owned")), "nothing ran");
        }
    }

}
