package org.tandemrc.tool.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;

/** A real shell on a real pseudo-terminal: what is typed runs, sizes and Ctrl+C reach it, its end is the stream's. */
class ShellToolTest {

    private static final long WAIT = 10_000;

    // The node user's own shell runs its rc files, which may take long on a loaded test machine: the POSIX shell
    // reads none.
    static final Path SH = Path.of("/bin/sh");
    static final Path SETSID = Path.of("/usr/bin/setsid");

    private final ShellTool tool = new ShellTool(SH, SETSID);
    private final List<StreamInput> opened = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() {
        opened.forEach(i -> i.closed("test over"));
    }

    private StreamInput open(RecordingStream out, Map<String, String> arguments) throws ToolException {
        StreamInput in = tool.open("open", arguments, out);
        opened.add(in);
        return in;
    }

    private static void type(StreamInput in, String keys) throws Exception {
        in.data(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS);
    }

    private static boolean poll(BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void await(RecordingStream out, String text) throws InterruptedException {
        assertTrue(out.await(s -> s.text().contains(text), WAIT), "no '" + text + "' in: " + out.text());
    }

    @Test
    void whatIsTypedRunsAndTheShellsExitStatusEndsTheStream() throws Exception {
        assertEquals(Privilege.EXECUTE_COMMAND, tool.requiredPrivilege());
        RecordingStream out = new RecordingStream();
        StreamInput in = open(out, Map.of());
        type(in, "echo $((6 * 7))x; tty\n");
        await(out, "42x");
        await(out, "/dev/pts/");
        type(in, "exit 3\n");
        assertTrue(out.await(RecordingStream::ended, WAIT), out.text());
        assertEquals("exit status 3", out.endSentence());
        assertFalse(out.endedOk());
        assertTrue(poll(() -> tool.running() == 0), "the shell is no longer counted");
    }

    @Test
    void theTerminalHasTheGuestsSizeAndColoursAndFollowsResizes() throws Exception {
        RecordingStream out = new RecordingStream();
        StreamInput in = open(out, Map.of("columns", "100", "rows", "30"));
        type(in, "stty size; echo T=$TERM\n");
        await(out, "30 100");
        await(out, "T=xterm-256color");
        in.resize(132, 43);
        type(in, "stty size\n");
        await(out, "43 132");
        // Out of bounds from a hostile Guest: ignored, the size stays.
        in.resize(0, 70000);
        type(in, "stty size\n");
        assertTrue(out.await(s -> s.text().split("43 132", -1).length > 2, WAIT), out.text());
    }

    @Test
    void ctrlCReachesTheForegroundProcessNotTheShell() throws Exception {
        RecordingStream out = new RecordingStream();
        StreamInput in = open(out, Map.of());
        type(in, "sleep 60; echo sl''ept\n");
        Thread.sleep(500);
        type(in, "\u0003");
        type(in, "echo after-$((1+1))\n");
        await(out, "after-2");
        assertFalse(out.text().contains("slept"), out.text());
        assertFalse(out.ended(), "the shell itself survives Ctrl+C");
    }

    @Test
    void theGuestClosingHangsUpTheShellAndWhatItRuns() throws Exception {
        RecordingStream out = new RecordingStream();
        StreamInput in = open(out, Map.of());
        Path pid = tmp.resolve("pid");
        type(in, "sleep 300 & echo $! > " + pid + "; echo st''arted\n");
        await(out, "started");
        long sleeper = Long.parseLong(Files.readString(pid).trim());
        assertTrue(ProcessHandle.of(sleeper).isPresent());
        in.closed("the Guest closed it");
        out.closeByGuest();
        assertTrue(poll(() -> tool.running() == 0), "the shell ended");
        assertTrue(poll(() -> !ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)),
                "the shell's job got the hang-up too");
    }

    @Test
    void aGuestThatReadsNothingHoldsTheShellToOneWindow() throws Exception {
        RecordingStream out = new RecordingStream();
        StreamInput in = open(out, Map.of());
        out.hold();
        type(in, "yes 0123456789abcdef\n");
        Thread.sleep(2_000);
        int held = out.output().length;
        Thread.sleep(1_000);
        assertEquals(held, out.output().length, "nothing more came while the Guest had no room");
        assertTrue(held <= 256 * 1024 + 16 * 1024, "at most one write beyond the stage: " + held);
        assertEquals(null, out.violation());
        out.release();
        type(in, "\u0003");
        type(in, "echo released\n");
        assertTrue(out.await(s -> {
            s.release();
            return s.text().contains("released");
        }, WAIT), "the shell runs on once the Guest reads");
    }

    @Test
    void hostileSizesAndUnknownOperationsAreRefused() {
        RecordingStream out = new RecordingStream();
        assertEquals("'Columns' must be between 1 and 1000, not 100000",
                assertThrows(ToolException.class, () -> open(out, Map.of("columns", "100000"))).getMessage());
        assertEquals("'Rows' must be between 1 and 1000, not 0",
                assertThrows(ToolException.class, () -> open(out, Map.of("rows", "0"))).getMessage());
        assertEquals("'Rows' must be a whole number, not '2;reboot'",
                assertThrows(ToolException.class, () -> open(out, Map.of("rows", "2;reboot"))).getMessage());
        assertEquals(0, tool.running());
    }

    @Test
    void aNodeRunsABoundedNumberOfShells() throws Exception {
        for (int i = 0; i < ShellTool.MAX_SHELLS; i++) {
            open(new RecordingStream(), Map.of());
        }
        ToolException e = assertThrows(ToolException.class, () -> open(new RecordingStream(), Map.of()));
        assertEquals("this Host runs 16 shells already; close one first", e.getMessage());
        opened.get(0).closed("make room");
        assertTrue(poll(() -> tool.running() < ShellTool.MAX_SHELLS));
        open(new RecordingStream(), Map.of());
    }
}
