package org.tandemrc.tool.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

class SystemToolsTest {

    private final ProcessesTool processes = new ProcessesTool();

    @TempDir
    Path tmp;

    @Test
    void theListHoldsThisJvmWithItsCommandAndUser() throws Exception {
        Result.Table table = (Result.Table) processes.invoke("list", Map.of());
        assertEquals(List.of("pid", "name", "user", "cpuPercent", "memory", "cpu", "started", "command"),
                table.columns().stream().map(Field::name).toList());
        String self = Long.toString(ProcessHandle.current().pid());
        List<String> row = table.rows().stream().filter(r -> r.get(0).equals(self)).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + self + " is not listed"));
        assertTrue(row.get(7).contains("java"), row.toString());
        assertEquals(System.getProperty("user.name"), row.get(2));
        assertFalse(row.get(6).isEmpty(), "this JVM's start time");
        assertTrue(row.get(5).matches("\\d+:\\d\\d:\\d\\d"), row.get(5));
        assertTrue(table.rows().size() > 1);
    }

    @Test
    void itRefusesToEndItsOwnProcess() {
        long self = ProcessHandle.current().pid();
        ToolException e = assertThrows(ToolException.class,
                () -> processes.invoke("end", Map.of("pid", Long.toString(self), "force", "true")));
        assertEquals("process " + self + " is this Tandem node itself; it is not ended from here", e.getMessage());
    }

    @Test
    void itEndsAChildProcess() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Result r = processes.invoke("end", Map.of("pid", Long.toString(sleep.pid())));
            assertEquals(new Result.Message("Process " + sleep.pid() + " (sleep) ended."), r);
            assertTrue(sleep.waitFor(5, TimeUnit.SECONDS));
            assertEquals(143, sleep.exitValue(), "ended by SIGTERM");

            ToolException e = assertThrows(ToolException.class,
                    () -> processes.invoke("end", Map.of("pid", Long.toString(sleep.pid()))));
            assertEquals("there is no process " + sleep.pid(), e.getMessage());
        } finally {
            sleep.destroyForcibly();
        }
        Process another = new ProcessBuilder("sleep", "60").start();
        try {
            Result r = processes.invoke("end", Map.of("pid", Long.toString(another.pid()), "force", "true"));
            assertEquals(new Result.Message("Process " + another.pid() + " (sleep) was killed."), r);
            assertTrue(another.waitFor(5, TimeUnit.SECONDS));
            assertEquals(137, another.exitValue(), "killed by SIGKILL");
        } finally {
            another.destroyForcibly();
        }
    }

    @Test
    void itRefusesWhatItMayNotEnd() throws Exception {
        ToolException e = assertThrows(ToolException.class, () -> processes.invoke("end", Map.of("pid", "0")));
        assertEquals("there is no process 0", e.getMessage());
        e = assertThrows(ToolException.class, () -> processes.invoke("end", Map.of("pid", "1", "force", "true")));
        assertEquals("process 1 is the system's init; ending it would stop the Host", e.getMessage());
    }

    @Test
    void cpuTimeIsHoursMinutesSeconds() {
        assertEquals("0:00:00", ProcessesTool.cpu(Duration.ZERO));
        assertEquals("1:01:01", ProcessesTool.cpu(Duration.ofSeconds(3661).plusMillis(900)));
        assertEquals("27:46:40", ProcessesTool.cpu(Duration.ofSeconds(100_000)));
    }

    @Test
    void systemInformationShowsTheHostAndTheNode() throws Exception {
        Result.Form form = (Result.Form) new SystemTool().invoke("show", Map.of());
        List<String> names = form.fields().stream().map(Field::name).toList();
        assertTrue(names.containsAll(List.of("host", "os.name", "os.version", "os.arch", "processors", "jvm",
                "memory.total", "memory.free", "user")), names.toString());
        assertEquals(System.getProperty("os.name"), form.values().get("os.name"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), form.values().get("processors"));
        assertEquals(System.getProperty("user.name"), form.values().get("user"));
        assertTrue(Long.parseLong(form.values().get("memory.total")) > 0);
        assertEquals(Files.isReadable(Path.of("/proc/uptime")), names.contains("uptime"));
        assertThrows(ToolException.class, () -> new SystemTool().invoke("reboot", Map.of()));
    }

    @Test
    void uptimeComesFromProcUptimeOrIsLeftOut() throws Exception {
        Path uptime = Files.writeString(tmp.resolve("uptime"), "93784.51 180000.00\n");
        assertEquals("1 d 02:03:04", SystemTool.uptime(uptime));
        Result.Form form = SystemTool.show(uptime);
        assertEquals("1 d 02:03:04", form.values().get("uptime"));
        Result.Form without = SystemTool.show(tmp.resolve("missing"));
        assertFalse(without.fields().stream().anyMatch(f -> f.name().equals("uptime")));
        assertFalse(without.values().containsKey("uptime"));
        Files.writeString(uptime, "garbage");
        assertEquals(null, SystemTool.uptime(uptime));
    }
}
