package org.tandemrc.tool.inventory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

class InventoryToolTest {

    @TempDir
    Path dir;

    private Path write(String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Path script(String name, String body) throws IOException {
        Path p = write("bin/" + name, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static Map<String, String> byName(List<List<String>> rows) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        rows.forEach(r -> m.put(r.get(0) + "/" + r.get(1), r.get(2)));
        return m;
    }

    @Test
    void hardwareIsReadFromProcAndSys() throws IOException {
        write("proc/cpuinfo", """
                processor\t: 0
                model name\t: Test CPU 3000
                physical id\t: 0
                core id\t: 0
                cpu MHz\t: 2400.123

                processor\t: 1
                model name\t: Test CPU 3000
                physical id\t: 0
                core id\t: 1
                """);
        write("proc/meminfo", "MemTotal:       16384 kB\nMemFree:         1234 kB\nSwapTotal:       2048 kB\n");
        write("sys/block/sda/size", "2097152\n");
        write("sys/block/sda/device/model", "TESTDISK  \n");
        write("sys/block/sda/queue/rotational", "0\n");
        write("sys/block/sda/removable", "0\n");
        write("sys/block/loop0/size", "100\n");
        write("sys/class/net/lo/address", "00:00:00:00:00:00\n");
        write("sys/class/net/eth0/address", "52:54:00:12:34:56\n");
        write("sys/class/net/eth0/mtu", "1500\n");
        write("sys/class/dmi/id/bios_vendor", "SeaBIOS\n");
        write("sys/class/dmi/id/product_name", "Test Machine\n");
        write("etc/os-release", "NAME=Debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        write("proc/sys/kernel/osrelease", "6.1.0-test\n");

        Map<String, String> hw = byName(Hardware.read(dir));

        assertEquals("Test CPU 3000", hw.get("Processor/Model"));
        assertEquals("2", hw.get("Processor/Logical processors"));
        assertEquals("1", hw.get("Processor/Sockets"));
        assertEquals("2", hw.get("Processor/Cores"));
        assertEquals("16.0 MiB (16777216 bytes)", hw.get("Memory/Total"));
        assertEquals("2.0 MiB (2097152 bytes)", hw.get("Memory/Swap"));
        assertEquals("1.0 GiB (1073741824 bytes)", hw.get("Disk sda/Size"));
        assertEquals("TESTDISK", hw.get("Disk sda/Model"));
        assertEquals("no", hw.get("Disk sda/Rotational"));
        assertEquals("52:54:00:12:34:56", hw.get("Network eth0/MAC address"));
        assertEquals("1500", hw.get("Network eth0/MTU"));
        assertEquals("SeaBIOS", hw.get("Firmware/Vendor"));
        assertEquals("Test Machine", hw.get("System/Product"));
        assertEquals("Debian GNU/Linux 12 (bookworm)", hw.get("Operating system/Name"));
        assertEquals("6.1.0-test", hw.get("Operating system/Kernel"));
        // Loop devices, the loopback interface, clock speeds and free memory are not the machine's inventory.
        assertFalse(hw.keySet().stream().anyMatch(k -> k.contains("loop0") || k.startsWith("Network lo/")), hw.toString());
        assertFalse(hw.toString().contains("2400") || hw.toString().contains("1234"), hw.toString());
    }

    @Test
    void aMissingProcAndSysGiveAnEmptyTableNotACrash() {
        assertEquals(List.of(), Hardware.read(dir.resolve("nothing-here")));
    }

    @Test
    void theRealHostsHardwareHasItsProcessorsAndMemory() throws Exception {
        Result.Table t = (Result.Table) new InventoryTool().invoke("hardware", Map.of());
        Map<String, String> hw = byName(t.rows());
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), hw.get("Processor/Logical processors"));
        assertTrue(hw.containsKey("Memory/Total"), hw.toString());
        assertEquals(Privilege.INVENTORY, new InventoryTool().requiredPrivilege());
    }

    @Test
    void theRealHostsPackagesIncludeDpkgItself() throws Exception {
        Packages p = Packages.find();
        org.junit.jupiter.api.Assumptions.assumeTrue(p != null && Files.exists(Path.of("/usr/bin/dpkg-query")),
                "a Debian Host: the rpm path is tested with a stand-in below");
        Result.Table t = (Result.Table) new InventoryTool(dir, p).invoke("software", Map.of());
        assertTrue(t.rows().stream().anyMatch(r -> r.get(0).equals("dpkg") && !r.get(2).isEmpty()), "dpkg is installed");
        List<String> names = t.rows().stream().map(r -> r.get(0)).toList();
        assertEquals(names.stream().sorted().toList(), names, "sorted by package");
    }

    @Test
    void packagesOfTheListingThatAreNotInstalledAreLeftOut() {
        List<List<String>> rows = Packages.parse("installed\tzsh\tamd64\t5.9-4\nconfig-files\told\tamd64\t1.0\n"
                + "installed\tbash\tamd64\t5.2.15-2\nnot a line\n");
        assertEquals(List.of(List.of("bash", "amd64", "5.2.15-2"), List.of("zsh", "amd64", "5.9-4")), rows);
    }

    @Test
    void rpmIsAskedWithItsOwnQueryFormat() throws Exception {
        Path rpm = script("rpm", "[ \"$1 $2\" = '--query --all' ] || exit 9\n"
                + "printf 'installed\\tkernel\\tx86_64\\t5.14.0-1.el9\\ninstalled\\tbash\\tx86_64\\t1:5.1-6.el9\\n'");
        Result.Table t = (Result.Table) new InventoryTool(dir, new Packages(Packages.Manager.RPM, rpm))
                .invoke("software", Map.of());
        assertEquals(List.of(List.of("bash", "x86_64", "1:5.1-6.el9"), List.of("kernel", "x86_64", "5.14.0-1.el9")),
                t.rows());
    }

    @Test
    void aHostWithoutAPackageManagerRefusesInWords() {
        ToolException e = assertThrows(ToolException.class, () -> new InventoryTool(dir, null).invoke("software", Map.of()));
        assertTrue(e.getMessage().contains("neither dpkg-query nor rpm"), e.getMessage());
    }

    /** Attack: a huge listing is read in pages that each fit in an answer, never as one. */
    @Test
    void aHugeListingComesInBoundedPages() throws Exception {
        Path dpkg = script("dpkg-query", "i=0; while [ $i -lt 5000 ]; do printf 'installed\\tpkg%05d\\tamd64\\t"
                + "1.0-%0400d\\n' $i 0; i=$((i+1)); done");
        InventoryTool tool = new InventoryTool(dir, new Packages(Packages.Manager.DPKG, dpkg));
        int seen = 0;
        int pages = 0;
        for (Result.Table t = page(tool, 0); !t.rows().isEmpty(); t = page(tool, seen)) {
            int bytes = t.rows().stream().flatMap(List::stream).mapToInt(c -> c.length() + 4).sum();
            assertTrue(bytes <= Packages.PAGE_BYTES && t.rows().size() <= Packages.PAGE_ROWS, "page of " + bytes);
            assertEquals(String.format("pkg%05d", seen), t.rows().get(0).get(0));
            seen += t.rows().size();
            assertTrue(++pages < 20, "pages end");
        }
        assertEquals(5000, seen);
        assertTrue(pages > 2, "more than one page: " + pages);
    }

    private static Result.Table page(InventoryTool tool, int start) throws ToolException {
        return (Result.Table) tool.invoke("software", Map.of("start", Integer.toString(start)));
    }

    @Test
    void aStartThatIsNotAPackageNumberIsRefused() throws IOException {
        InventoryTool tool = new InventoryTool(dir, new Packages(Packages.Manager.DPKG, script("dpkg-query", "true")));
        for (String bad : List.of("-1", "x", "99999999999")) {
            assertThrows(ToolException.class, () -> tool.invoke("software", Map.of("start", bad)), bad);
        }
    }

    @Test
    void customItemsRunTheirCommandsWithoutAShell() throws Exception {
        Path echo = Path.of("/bin/echo");
        InventoryTool tool = new InventoryTool(dir, null);
        tool.custom(CustomItems.parse(new String[] {
            "Asset tag=" + echo + " AT-4711", "Quoted=" + echo + " $(id) ;rm -rf /tmp/x `id`",
            "Fails=" + script("fail", "echo broken; exit 3")}, 10));
        Result.Table t = (Result.Table) tool.invoke("custom", Map.of());
        assertEquals(List.of(List.of("Asset tag", "AT-4711"), List.of("Quoted", "$(id) ;rm -rf /tmp/x `id`"),
                List.of("Fails", "(exit status 3) broken")), t.rows());
    }

    /** Attack: a custom command that never stops talking is cut and killed, not read to the end. */
    @Test
    void aCustomItemThatFloodsIsCutAndKilled() throws Exception {
        CustomItems items = CustomItems.parse(new String[] {"Flood=/usr/bin/yes inventory"}, 30);
        long t0 = System.nanoTime();
        List<List<String>> rows = items.rows();
        String value = rows.get(0).get(1);
        assertTrue(value.length() <= CustomItems.MAX_VALUE + 64, "bounded: " + value.length());
        assertTrue(value.endsWith("(cut at 8 KiB)"), value.substring(value.length() - 40));
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, "cut at once, not at the timeout");
    }

    /** Attack: a custom command that hangs is stopped at the timeout, with its children. */
    @Test
    void aCustomItemThatHangsIsStoppedAtTheTimeout() throws Exception {
        Path marker = dir.resolve("child-survived");
        Path hang = script("hang", "echo started; (sleep 3; touch " + marker + ") & sleep 60");
        CustomItems items = CustomItems.parse(new String[] {"Hang=" + hang}, 1);
        long t0 = System.nanoTime();
        List<List<String>> rows = items.rows();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 6, "stopped at the timeout");
        assertEquals("(stopped after 1 s) started", rows.get(0).get(1));
        Thread.sleep(4000);
        assertFalse(Files.exists(marker), "the command's children were stopped too");
    }

    @Test
    void aMisconfiguredListRefusesTheCustomItemsOnlyAndSaysWhy() throws Exception {
        InventoryTool tool = new InventoryTool(dir, null);
        tool.configure(Map.of("item.Tag", "relative/echo", "timeout", "10", "service.pid", "x"));
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("custom", Map.of()));
        assertTrue(e.getMessage().contains("misconfigured") && e.getMessage().contains("relative/echo"), e.getMessage());
        assertTrue(tool.invoke("hardware", Map.of()) instanceof Result.Table, "hardware still works");
        tool.configure(Map.of("item.Tag", "/bin/echo AT-1", "item.Kernel", "/bin/uname -s", "service.pid", "x"));
        assertEquals(List.of(List.of("Kernel", "Linux"), List.of("Tag", "AT-1")),
                ((Result.Table) tool.invoke("custom", Map.of())).rows());
        tool.configure(Map.of("item.Tag", "/bin/echo AT-1", "timeout", "soon"));
        e = assertThrows(ToolException.class, () -> tool.invoke("custom", Map.of()));
        assertTrue(e.getMessage().contains("timeout is a number of seconds, not 'soon'"), e.getMessage());
    }

    @Test
    void collectStreamsEveryTableAsTextLinesWithCellsEscaped() throws Exception {
        write("proc/meminfo", "MemTotal:       16384 kB\n");
        Path dpkg = script("dpkg-query", "printf 'installed\\tbash\\tamd64\\t5.2\\n'");
        InventoryTool tool = new InventoryTool(dir, new Packages(Packages.Manager.DPKG, dpkg));
        tool.custom(CustomItems.parse(new String[] {"Tabs=" + script("tabs", "printf 'a\\tb\\\\c\\033[2J'")}, 10));
        RecordingStream stream = new RecordingStream();
        tool.open("collect", Map.of(), stream);
        assertTrue(stream.await(RecordingStream::ended, 10_000), "ended");
        assertEquals("""
                section\thardware\tHardware\tCategory\tName\tValue
                row\tMemory\tTotal\t16.0 MiB (16777216 bytes)
                section\tsoftware\tInstalled software\tPackage\tArchitecture\tVersion
                row\tbash\tamd64\t5.2
                section\tcustom\tCustom items\tItem\tValue
                row\tTabs\ta\\tb\\\\c\\x1b[2J
                """, stream.text());
        assertTrue(stream.endedOk() && stream.endSentence().equals("3 item(s)"), stream.endSentence());
    }

    @Test
    void aTableThatCannotBeReadIsAProblemLineAndTheOthersStillCome() throws Exception {
        RecordingStream stream = new RecordingStream();
        new InventoryTool(dir, null).open("collect", Map.of(), stream);
        assertTrue(stream.await(RecordingStream::ended, 10_000), "ended");
        assertTrue(stream.text().contains("\nproblem\tsoftware\tInstalled software\tThis Host has neither dpkg-query nor rpm"),
                stream.text());
        assertTrue(stream.text().contains("section\tcustom\tCustom items\tItem\tValue\n"), stream.text());
        assertEquals("0 item(s), 1 table(s) not read", stream.endSentence());
    }

    /** Attack: a Guest that closes the stream stops the custom command it was waiting for. */
    @Test
    void closingTheStreamStopsARunningCustomCommand() throws Exception {
        Path marker = dir.resolve("still-running");
        InventoryTool tool = new InventoryTool(dir, null);
        tool.custom(CustomItems.parse(new String[] {"Slow=" + script("slow", "sleep 3; touch " + marker)}, 60));
        RecordingStream stream = new RecordingStream();
        org.tandemrc.api.tool.StreamInput input = tool.open("collect", Map.of(), stream);
        Thread.sleep(1000);
        input.closed("the Guest closed it");
        stream.closeByGuest();
        Thread.sleep(3500);
        assertFalse(Files.exists(marker), "the custom command was stopped with the stream");
    }

    /** Attack: a Guest that opens collection after collection gets a refusal, not a thread and a process each. */
    @Test
    void collectionsAtOnceAreBounded() throws Exception {
        InventoryTool tool = new InventoryTool(dir, null);
        tool.custom(CustomItems.parse(new String[] {"Slow=" + script("slow", "sleep 2")}, 10));
        List<RecordingStream> streams = new java.util.ArrayList<>();
        for (int i = 0; i < InventoryTool.MAX_COLLECTING; i++) {
            RecordingStream s = new RecordingStream();
            tool.open("collect", Map.of(), s);
            streams.add(s);
        }
        ToolException e = assertThrows(ToolException.class, () -> tool.open("collect", Map.of(), new RecordingStream()));
        assertTrue(e.getMessage().contains("already collecting"), e.getMessage());
        for (RecordingStream s : streams) {
            assertTrue(s.await(RecordingStream::ended, 10_000), "ended");
        }
        RecordingStream again = new RecordingStream();
        tool.open("collect", Map.of(), again);
        assertTrue(again.await(RecordingStream::ended, 10_000), "a place is free again once they ended");
    }

    @Test
    void aWrongConfigurationLineIsRefusedNamingIt() throws IOException {
        Path ok = script("ok", "echo ok");
        for (String[] bad : List.of(new String[] {"no-equals"}, new String[] {"Rel=bin/echo x"},
                new String[] {"Missing=/no/such/program"}, new String[] {"=" + ok}, new String[] {"Bad\nname=" + ok},
                new String[] {"Twice=" + ok, "Twice=" + ok})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CustomItems.parse(bad, 10),
                    String.join(",", bad));
            assertTrue(e.getMessage().contains("custom item"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CustomItems.parse(new String[0], 0));
        String[] tooMany = new String[CustomItems.MAX_ITEMS + 1];
        java.util.Arrays.fill(tooMany, "X=" + ok);
        assertThrows(IllegalArgumentException.class, () -> CustomItems.parse(tooMany, 10));
    }
}
