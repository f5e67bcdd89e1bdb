package org.tandemrc.tool.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;

/** Task Manager's sort and filter, in the list and in the live table {@code watch}. */
class ProcessesViewTest {

    private Process sleeper;
    private String marker;

    @BeforeEach
    void start() throws Exception {
        // An argument no other process on the machine has, so the filter finds exactly this one.
        marker = Long.toString(600_000 + ProcessHandle.current().pid() % 100_000);
        sleeper = new ProcessBuilder("sleep", marker).start();
    }

    @AfterEach
    void stop() {
        sleeper.destroyForcibly();
    }

    private Result.Table list(Map<String, String> arguments) throws ToolException {
        return (Result.Table) new ProcessesTool().invoke("list", arguments);
    }

    @Test
    void theFilterKeepsRowsWhoseNameUserOrCommandContainsItIgnoringCase() throws Exception {
        Result.Table t = list(Map.of("filter", "SLEEP " + marker));
        assertEquals(1, t.rows().size(), t.rows().toString());
        assertEquals(Long.toString(sleeper.pid()), t.rows().get(0).get(0));
        assertEquals(List.of(), list(Map.of("filter", "no process is called this " + marker)).rows());
        String user = System.getProperty("user.name");
        assertTrue(list(Map.of("filter", user)).rows().stream().allMatch(r -> r.get(2).equals(user)
                || r.get(1).contains(user) || r.get(7).contains(user)));
    }

    @Test
    void sortOrdersPidsUpAndMemoryAndCpuDown() throws Exception {
        List<List<String>> rows = list(Map.of()).rows();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(Long.parseLong(rows.get(i - 1).get(0)) < Long.parseLong(rows.get(i).get(0)), "by pid by default");
        }
        rows = list(Map.of("sort", "memory")).rows();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(size(rows.get(i - 1).get(4)) >= size(rows.get(i).get(4)), rows.get(i - 1) + " before " + rows.get(i));
        }
        rows = list(Map.of("sort", "cpu")).rows();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(size(rows.get(i - 1).get(3)) >= size(rows.get(i).get(3)), rows.get(i - 1) + " before " + rows.get(i));
        }
        rows = list(Map.of("sort", "started")).rows().stream().filter(r -> !r.get(6).isEmpty()).toList();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(!Instant.parse(rows.get(i - 1).get(6)).isAfter(Instant.parse(rows.get(i).get(6))),
                    rows.get(i - 1) + " before " + rows.get(i));
        }
        rows = list(Map.of("sort", "name")).rows();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).get(1).compareToIgnoreCase(rows.get(i).get(1)) <= 0);
        }
    }

    private static double size(String s) {
        return s.isEmpty() ? -1 : Double.parseDouble(s);
    }

    @Test
    void aWrongSortAHugeFilterOrAWrongIntervalIsRefused() {
        ToolException e = assertThrows(ToolException.class, () -> list(Map.of("sort", "pid;rm")));
        assertTrue(e.getMessage().contains("cannot sort by 'pid;rm'"), e.getMessage());
        e = assertThrows(ToolException.class, () -> list(Map.of("filter", "x".repeat(ProcessesTool.MAX_FILTER + 1))));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        for (String seconds : List.of("0", "-1", "3601", "99999999999", "1e3")) {
            e = assertThrows(ToolException.class,
                    () -> new ProcessesTool().open("watch", Map.of("seconds", seconds), new RecordingStream()));
            assertTrue(e.getMessage().contains("refresh interval"), seconds + ": " + e.getMessage());
        }
    }

    @Test
    void watchShowsTheFilteredTableAgainEachIntervalAndStopsWhenClosed() throws Exception {
        RecordingStream stream = new RecordingStream();
        StreamInput in = new ProcessesTool().open("watch", Map.of("filter", "sleep " + marker, "seconds", "1"), stream);
        try {
            assertTrue(stream.await(s -> s.shown().size() >= 2, 10_000), "two tables within 10 s: " + stream.shown());
            for (Result r : stream.shown()) {
                Result.Table t = (Result.Table) r;
                assertEquals(1, t.rows().size(), t.rows().toString());
                assertEquals(Long.toString(sleeper.pid()), t.rows().get(0).get(0));
            }
            sleeper.destroyForcibly().waitFor();
            int before = stream.shown().size();
            assertTrue(stream.await(s -> s.shown().size() > before
                    && ((Result.Table) s.shown().get(s.shown().size() - 1)).rows().isEmpty(), 10_000),
                    "the ended process leaves the live table");
        } finally {
            in.closed("the test is done");
        }
        Thread.sleep(300);
        int shown = stream.shown().size();
        Thread.sleep(2_500);
        assertEquals(shown, stream.shown().size(), "nothing is shown once the Guest closed the stream");
    }

    @Test
    void watchWaitsForTheGuestToTakeATableBeforeMakingTheNext() throws Exception {
        RecordingStream stream = new RecordingStream();
        stream.hold();
        StreamInput in = new ProcessesTool().open("watch", Map.of("filter", "sleep " + marker, "seconds", "1"), stream);
        try {
            assertTrue(stream.await(s -> s.shown().size() == 1, 10_000));
            Thread.sleep(3_000);
            assertEquals(1, stream.shown().size(), "a Guest that has not taken the table gets no other");
            stream.release();
            assertTrue(stream.await(s -> s.shown().size() >= 2, 10_000), "once it took it, the next comes");
        } finally {
            in.closed("the test is done");
        }
    }

    @Test
    void aListWithoutProcMatchesTheDefaultView() throws Exception {
        Result.Table t = ProcessesTool.list(Path.of("/no/proc/here"), ProcessesTool.View.ALL);
        assertTrue(t.rows().size() <= ProcessesTool.MAX_PROCESSES);
        assertTrue(t.rows().stream().anyMatch(r -> r.get(0).equals(Long.toString(sleeper.pid()))), "sleep is listed");
    }
}
