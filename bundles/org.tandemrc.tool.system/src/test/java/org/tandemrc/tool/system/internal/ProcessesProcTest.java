package org.tandemrc.tool.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Result;

/** What Task Manager reads from {@code /proc}: this machine's real one, and made-up files at the bounds. */
class ProcessesProcTest {

    @TempDir
    Path tmp;

    @Test
    void thisJvmIsListedWithItsCpuUseAndResidentMemory() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
        AtomicBoolean spin = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            long x = 0;
            while (spin.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        busy.start();
        Result.Table table;
        try {
            table = ProcessesTool.list(Path.of("/proc"));
        } finally {
            spin.set(false);
            busy.join();
        }
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> row = table.rows().stream().filter(r -> r.get(0).equals(self)).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + self + " is not listed"));
        assertEquals("java", row.get(1), row.toString());
        double cpu = Double.parseDouble(row.get(3));
        int processors = Runtime.getRuntime().availableProcessors();
        assertTrue(cpu > 1 && cpu <= 100.0 * processors + 50, "a spinning thread's CPU use: " + cpu + " %");
        long resident = Long.parseLong(row.get(4));
        assertTrue(resident > 10_000_000L && resident < Runtime.getRuntime().maxMemory() + 2_000_000_000L,
                "this JVM's resident memory: " + resident);
        assertTrue(table.rows().size() <= ProcessesTool.MAX_PROCESSES);
        assertTrue(table.rows().stream().allMatch(r -> r.get(3).isEmpty() || r.get(3).matches("\\d+\\.\\d")),
                "every CPU use is a number with one decimal");
        assertTrue(table.rows().stream().allMatch(r -> r.get(4).isEmpty() || Long.parseLong(r.get(4)) >= 0),
                "memory is bytes, or nothing for a kernel thread");
    }

    @Test
    void aNameWithSpacesAndParenthesesIsReadWhole() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("77"));
        Files.writeString(dir.resolve("stat"), "77 (my (odd) name) S 1 77 77 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0"
                + " 1000 12345678 300 18446744073709551615\n");
        Files.writeString(dir.resolve("status"), "Name:\tmy (odd) name\nVmPeak:\t  9000 kB\nVmRSS:\t    1200 kB\n");
        assertEquals(new ProcessesTool.Reading("my (odd) name", 300, 1200 * 1024), ProcessesTool.read(dir));
    }

    @Test
    void aKernelThreadHasNoResidentMemoryAndAGoneProcessNoReading() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("2"));
        Files.writeString(dir.resolve("stat"), "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 3 7 0 0 20 0 1 0 9 0 0\n");
        Files.writeString(dir.resolve("status"), "Name:\tkthreadd\nThreads:\t1\n");
        assertEquals(new ProcessesTool.Reading("kthreadd", 10, -1), ProcessesTool.read(dir));
        assertNull(ProcessesTool.read(tmp.resolve("3")), "no such process");
    }

    @Test
    void onlyTheFirstBytesOfAProcFileAreRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("9"));
        // A hostile or broken file: a name without end, far longer than any real one.
        Files.writeString(dir.resolve("stat"), "9 (" + "x".repeat(1_000_000) + ") S 1 2 3 4 5 6 7 8 9 10 11 12 13");
        Files.writeString(dir.resolve("status"), "Name:\tx\n" + "Junk:\t1\n".repeat(200_000) + "VmRSS:\t5 kB\n");
        assertEquals(ProcessesTool.MAX_PROC_FILE, ProcessesTool.head(dir.resolve("stat")).length());
        assertNull(ProcessesTool.read(dir), "the cut file has no fields after the name");
        assertEquals(-1, ProcessesTool.resident(ProcessesTool.head(dir.resolve("status"))),
                "VmRSS beyond the bound is not read");
    }

    @Test
    void cpuUseIsTheShareOfOneProcessorOverTheInterval() {
        assertEquals("50.0", ProcessesTool.percent(25, 0.5));
        assertEquals("150.0", ProcessesTool.percent(75, 0.5));
        assertEquals("0.0", ProcessesTool.percent(-3, 0.5));
        assertEquals("0.0", ProcessesTool.percent(5, 0));
    }
}
