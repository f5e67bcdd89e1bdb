package org.tandemrc.toolkit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.ToolException;

class CommandsTest {

    @Test
    void anArgumentStaysOneArgumentWhateverItHolds(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("pwned");
        Commands.Outcome o = Commands.run(List.of("/bin/echo", "a; touch " + marker, "$(touch " + marker + ")"),
                Duration.ofSeconds(10), 1024);
        assertEquals(0, o.status());
        assertEquals("a; touch " + marker + " $(touch " + marker + ")\n", o.output());
        assertFalse(Files.exists(marker));
    }

    @Test
    void outputIsCutAtTheBoundAndTheCommandStillFinishes() throws Exception {
        Commands.Outcome o = Commands.run(List.of("/usr/bin/head", "-c", "1000000", "/dev/zero"), Duration.ofSeconds(10), 100);
        assertEquals(100, o.output().length());
        assertTrue(o.truncated());
        assertEquals(0, o.status());
    }

    @Test
    void aCommandThatRunsTooLongIsKilled() {
        long start = System.nanoTime();
        ToolException e = assertThrows(ToolException.class,
                () -> Commands.run(List.of("/bin/sleep", "30"), Duration.ofMillis(300), 100));
        assertEquals("/bin/sleep 30 did not finish within 300 ms", e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void onlyAbsolutePathsRunAndFindSkipsWhatIsNotThere() {
        assertThrows(IllegalArgumentException.class, () -> Commands.run(List.of("sh", "-c", "true"), Duration.ofSeconds(1), 1));
        assertEquals(Path.of("/bin/sh"), Commands.find("/nonexistent/sh", "sh", "/bin/sh").orElseThrow());
        assertTrue(Commands.find("/nonexistent/x").isEmpty());
        assertEquals("b", new Commands.Outcome(1, "a\nb\n\n", false).lastLine());
    }
}
