package org.tandemrc.tool.command.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
}
