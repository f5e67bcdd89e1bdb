package org.tandemrc.tool.command.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;

/** Execute Command on this machine's real shell: the form of {@code run} and the text stream of {@code execute}. */
class CommandToolTest {

    @TempDir
    Path tmp;

    private static Result.Form run(Map<String, String> arguments) throws ToolException {
        return (Result.Form) new CommandTool().invoke("run", arguments);
    }

    @Test
    void itNeedsTheExecuteCommandPrivilege() {
        assertEquals(Privilege.EXECUTE_COMMAND, new CommandTool().requiredPrivilege());
        assertEquals(Privilege.RUN_PROGRAM, new RunProgramTool(null).requiredPrivilege());
    }

    @Test
    void runAnswersTheOutputAndErrorsWithTheExitStatus() throws Exception {
        Files.writeString(tmp.resolve("marker"), "");
        Result.Form f = run(Map.of("command", "ls; echo to-errors >&2; exit 3", "directory", tmp.toString()));
        assertEquals("3", f.values().get("exitCode"));
        assertEquals("ended with exit status 3", f.values().get("status"));
        assertEquals("marker\nto-errors\n", f.values().get("output"));
        assertEquals("0", run(Map.of("command", "read x; echo got:$x")).values().get("exitCode"),
                "no input: read ends at once");
    }

    @Test
    void runKillsACommandAndWhatItStartedAtTheTimeLimit() throws Exception {
        long start = System.nanoTime();
        Result.Form f = run(Map.of("command", "sleep 300 & echo $!; wait", "seconds", "1"));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "it came back soon after the limit");
        assertEquals("killed after 1 s: it did not end in time", f.values().get("status"));
        assertEquals("", f.values().get("exitCode"));
        long child = Long.parseLong(f.values().get("output").strip());
        assertGone(child);
    }

    /** A duration no other program on the machine sleeps, so the test ends only the one it left behind. */
    private static final String ORPHAN = "2999." + ProcessHandle.current().pid();

    @Test
    void aProgramLeftInTheBackgroundDoesNotHoldTheAnswer() throws Exception {
        long start = System.nanoTime();
        Result.Form f = run(Map.of("command", "(sleep " + ORPHAN + " &) ; echo done"));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "it did not wait for the background program");
        assertEquals("0", f.values().get("exitCode"));
        assertEquals("done\n", f.values().get("output"));
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).equals(List.of(ORPHAN))).orElse(false)).toList();
        assertEquals(1, left.size(), "the program left in the background runs on");
        left.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void runKeepsTheFirstBytesOfAHugeOutputAndSaysHowMuchWasLeftOut() throws Exception {
        Result.Form f = run(Map.of("command", "head -c 1000000 /dev/zero | tr '\\0' a"));
        String out = f.values().get("output");
        assertTrue(out.startsWith("a".repeat(CommandTool.MAX_OUTPUT) + "\n["), out.substring(0, 80));
        assertTrue(out.endsWith("[" + (1_000_000 - CommandTool.MAX_OUTPUT) + " more bytes of output left out]"),
                out.substring(out.length() - 80));
        assertTrue(out.getBytes(StandardCharsets.UTF_8).length < 64 * 1024, "it fits one text of an answer");
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() throws Exception {
        assertEquals("\uFFFD\uFFFDok é", run(Map.of("command", "printf '\\377\\376ok \\303\\251'")).values().get("output"));
        Programs.Text text = new Programs.Text();
        byte[] e = "é€".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(new byte[0], text.decode(e, 1, false), "half a character waits for its other half");
        assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), text.decode(new byte[] {e[1], e[2]}, 2, false));
        assertArrayEquals("€".getBytes(StandardCharsets.UTF_8), text.decode(new byte[] {e[3], e[4]}, 2, true));
    }

    @Test
    void wrongArgumentsAreRefusedBeforeAnythingRuns() throws Exception {
        Path made = tmp.resolve("made");
        String make = "touch " + made;
        for (Map<String, String> bad : List.of(
                Map.of("command", ""),
                Map.of("command", "   "),
                Map.of("command", make + "\0"),
                Map.of("command", make + " " + "x".repeat(Programs.MAX_COMMAND)),
                Map.of("command", make, "directory", "relative/folder"),
                Map.of("command", make, "directory", tmp.resolve("missing").toString()),
                Map.of("command", make, "directory", tmp + "\0"))) {
            assertThrows(ToolException.class, () -> run(bad), bad.toString());
            assertThrows(ToolException.class, () -> new CommandTool().open("execute", bad, new RecordingStream()),
                    bad.toString());
        }
        for (String seconds : List.of("0", "601", "-5", "99999999999999", "1e3")) {
            assertThrows(ToolException.class, () -> run(Map.of("command", make, "seconds", seconds)), seconds);
        }
        assertFalse(Files.exists(made), "nothing ran");
    }

    @Test
    void executeStreamsTheOutputAndEndsWithTheExitStatus() throws Exception {
        RecordingStream stream = new RecordingStream();
        new CommandTool().open("execute", Map.of("command", "echo one; sleep 0.2; echo two >&2; exit 5"), stream);
        assertTrue(stream.await(RecordingStream::ended, 10_000));
        assertEquals("one\ntwo\n", stream.text());
        assertEquals("exit status 5", stream.endSentence());
        assertFalse(stream.endedOk());

        stream = new RecordingStream();
        new CommandTool().open("execute", Map.of("command", "true"), stream);
        assertTrue(stream.await(RecordingStream::ended, 10_000));
        assertEquals("exit status 0", stream.endSentence());
        assertTrue(stream.endedOk());
    }

    @Test
    void closingTheStreamKillsTheCommandAndWhatItStarted() throws Exception {
        RecordingStream stream = new RecordingStream();
        StreamInput in = new CommandTool().open("execute", Map.of("command", "sleep 300 & echo $!; wait"), stream);
        assertTrue(stream.await(s -> s.text().endsWith("\n"), 10_000), stream.text());
        long child = Long.parseLong(stream.text().strip());
        assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        in.closed("the Guest closed it");
        stream.closeByGuest();
        assertGone(child);
    }

    private static void assertGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("process " + pid + " still runs");
    }

    static final Pattern PID = Pattern.compile("pid (\\d+)");

    static long pid(String message) {
        Matcher m = PID.matcher(message);
        assertTrue(m.find(), message);
        return Long.parseLong(m.group(1));
    }
}
