package org.tandemrc.tool.command.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.screen.x11.testing.Xvfb;

/** Run Program on a real X server, and what it refuses before anything runs. */
class RunProgramToolTest {

    @TempDir
    Path tmp;

    private static String start(RunProgramTool tool, String program, String arguments) throws ToolException {
        return ((Result.Message) tool.invoke("start", Map.of("program", program, "arguments", arguments))).text();
    }

    @Test
    void aProgramStartsOnTheHostsDisplayAndKeepsRunning() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp)) {
            RunProgramTool tool = new RunProgramTool(x.display);
            String name = "tandemtest" + ProcessHandle.current().pid();
            String said = start(tool, "xmessage", "-name " + name + " hello from the Guest");
            assertTrue(said.matches("Started xmessage \\(pid \\d+\\) on display " + x.display + "\\."), said);
            long pid = CommandToolTest.pid(said);
            try {
                String windows = "";
                for (int i = 0; i < 50 && windows.isBlank(); i++) {
                    ProcessBuilder pb = new ProcessBuilder("xdotool", "search", "--classname", name)
                            .redirectErrorStream(true);
                    pb.environment().put("DISPLAY", x.display);
                    Process p = pb.start();
                    windows = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor();
                    if (windows.isBlank()) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(windows.strip().matches("\\d+(\\s+\\d+)*"), "the program's window is on the display: " + windows);
            } finally {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }

            ToolException e = assertThrows(ToolException.class, () -> start(tool, "false", ""));
            assertTrue(e.getMessage().matches("false \\(pid \\d+\\) ended at once with exit status 1 on display "
                    + x.display), e.getMessage());
            assertEquals("Ran true (pid ", start(tool, "true", "").substring(0, 14));
        }
    }

    @Test
    void aHostWithoutADesktopRefuses() {
        ToolException e = assertThrows(ToolException.class, () -> start(new RunProgramTool(null), "xclock", ""));
        assertTrue(e.getMessage().contains("no desktop"), e.getMessage());
        assertThrows(ToolException.class, () -> start(new RunProgramTool(" "), "xclock", ""));
    }

    @Test
    void programsThatAreNotABareNameOrAnAbsolutePathAreRefused() {
        RunProgramTool tool = new RunProgramTool(":12345");
        for (String bad : List.of("", " ", "bin/sh", "./sh", "../../bin/sh", "/bin/../bin/sh", "/bin/./sh",
                "sh -c id", "sh;id", "$(id)", "`id`", "-rf", ".hidden", "sh\0", "/etc/passwd", "/no/such/program",
                "no-such-program-tandemtest", "x".repeat(300), "/" + "x".repeat(Programs.MAX_COMMAND))) {
            assertThrows(ToolException.class, () -> start(tool, bad, ""), bad);
        }
        String many = "a ".repeat(RunProgramTool.MAX_ARGUMENTS + 1);
        ToolException e = assertThrows(ToolException.class, () -> start(tool, "true", many));
        assertTrue(e.getMessage().contains("at most " + RunProgramTool.MAX_ARGUMENTS), e.getMessage());
        assertThrows(ToolException.class, () -> start(tool, "true", "a\0b"));
    }

    @Test
    void aRootNodeStartsTheProgramAsTheUserWhoseDisplayItIs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root starts programs as another user");
        String user = "tandemtest" + ProcessHandle.current().pid() % 100_000 + "d";
        assertEquals(0, exec("/usr/sbin/useradd", "--no-create-home", "--", user));
        try {
            Path sockets = Files.createDirectories(tmp.resolve("sockets"));
            Path socket = Files.createFile(sockets.resolve("X42"));
            RunProgramTool tool = new RunProgramTool(":42", sockets, true);
            assertEquals(null, tool.owner(":42"), "root's display is root's");
            assertEquals(0, exec("/bin/chown", user, socket.toString()));
            assertEquals(user, tool.owner(":42"));
            assertEquals(user, tool.owner(":42.0"));
            assertEquals(user, tool.owner("unix:42"));
            assertEquals(null, tool.owner("otherhost:42"), "a remote display has no local owner");
            assertEquals(null, tool.owner(":43"), "no socket");
            assertEquals(null, tool.owner(":42/../X42"));

            // the user may pass through the test's folder (private by default) to one it may write in
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
            Path shared = Files.createDirectories(tmp.resolve("shared"));
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path made = shared.resolve("made");
            String said = start(tool, "touch", made.toString());
            assertTrue(said.matches("Ran touch \\(pid \\d+\\) as " + user + " on display :42; it ended with exit status 0\\."),
                    said);
            assertEquals(user, Files.getOwner(made).getName(), "the program ran as the display's owner");

            Files.delete(made);
            start(new RunProgramTool(":42", sockets, false), "touch", made.toString());
            assertEquals(System.getProperty("user.name"), Files.getOwner(made).getName(),
                    "a node that is not root starts it as itself");
        } finally {
            exec("/usr/sbin/userdel", "--", user);
        }
    }

    private static int exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
