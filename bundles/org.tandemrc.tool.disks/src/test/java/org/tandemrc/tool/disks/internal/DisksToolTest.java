package org.tandemrc.tool.disks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/** Disk Drives on this machine's real tables, and on made-up ones at the bounds. */
class DisksToolTest {

    @TempDir
    Path tmp;

    private static Result.Table table(DisksTool tool, String op, Map<String, String> arguments) throws ToolException {
        return (Result.Table) tool.invoke(op, arguments);
    }

    @Test
    void theRootFileSystemIsListedWithItsSizeAndUse() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/mounts")), "a Linux /proc");
        Result.Table t = table(new DisksTool(), "filesystems", Map.of());
        List<String> root = t.rows().stream().filter(r -> r.get(0).equals("/")).findFirst()
                .orElseThrow(() -> new AssertionError("no / in " + t.rows()));
        long size = Long.parseLong(root.get(3));
        long used = Long.parseLong(root.get(4));
        long free = Long.parseLong(root.get(5));
        assertTrue(size > 0 && used > 0 && free >= 0 && used + free <= size, root.toString());
        assertEquals(Files.getFileStore(Path.of("/")).type(), root.get(2));
        assertTrue(root.get(6).matches("\\d{1,3}\\.\\d"), root.get(6));
        assertTrue(t.rows().stream().allMatch(r -> Long.parseLong(r.get(3)) > 0), "without all=true, none without size");
        Result.Table all = table(new DisksTool(), "filesystems", Map.of("all", "true"));
        assertTrue(all.rows().stream().anyMatch(r -> r.get(0).equals("/proc") && r.get(2).equals("proc")),
                "all=true lists /proc too");
    }

    @Test
    void thisMachinesBlockDevicesAreListed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/block")), "a Linux /sys");
        Result.Table t = table(new DisksTool(), "devices", Map.of());
        try (var names = Files.list(Path.of("/sys/block"))) {
            List<String> expected = names.map(p -> p.getFileName().toString().replace('!', '/')).sorted().toList();
            assertEquals(expected, t.rows().stream().filter(r -> r.get(1).isEmpty()).map(r -> r.get(0)).toList());
        }
    }

    @Test
    void mountPointsWithEscapedSpacesAndPartitionsWithTheirDisk() throws Exception {
        Path mounts = Files.writeString(tmp.resolve("mounts"), "/dev/sda1 " + tmp.toString().replace(" ", "\\040")
                + " ext4 rw,relatime 0 0\n/dev/sda2 /media/my\\040stick vfat ro,nosuid 0 0\nshort line\n");
        Path block = tmp.resolve("block");
        Path sda = Files.createDirectories(block.resolve("sda"));
        Files.writeString(sda.resolve("size"), "1953525168\n");
        Files.writeString(sda.resolve("removable"), "0\n");
        Files.writeString(sda.resolve("ro"), "0\n");
        Files.createDirectories(sda.resolve("queue"));
        Files.writeString(sda.resolve("queue/rotational"), "1\n");
        Files.createDirectories(sda.resolve("device"));
        Files.writeString(sda.resolve("device/vendor"), "ATA     \n");
        Files.writeString(sda.resolve("device/model"), "WDC WD10EZEX\n");
        for (String p : List.of("sda1", "sda2")) {
            Files.createDirectories(sda.resolve(p));
            Files.writeString(sda.resolve(p).resolve("partition"), p.substring(3) + "\n");
            Files.writeString(sda.resolve(p).resolve("size"), "2048\n");
            Files.writeString(sda.resolve(p).resolve("ro"), p.equals("sda2") ? "1\n" : "0\n");
        }
        Files.createDirectories(sda.resolve("holders"));
        Files.createDirectories(block.resolve("cciss!c0d0"));
        DisksTool tool = new DisksTool(mounts, block);

        assertEquals(List.of(new DisksTool.Mount("/dev/sda1", tmp.toString(), "ext4", false),
                new DisksTool.Mount("/dev/sda2", "/media/my stick", "vfat", true)), tool.mounts());
        Result.Table t = table(tool, "devices", Map.of());
        assertEquals(List.of(
                List.of("cciss/c0d0", "", "", "", "", "", "", ""),
                List.of("sda", "", Long.toString(1953525168L * 512), "ATA WDC WD10EZEX", "false", "false", "true", ""),
                List.of("sda1", "sda", "1048576", "ATA WDC WD10EZEX", "false", "false", "true", tmp.toString()),
                List.of("sda2", "sda", "1048576", "ATA WDC WD10EZEX", "false", "true", "true", "/media/my stick")),
                t.rows());
        Result.Table fs = table(tool, "filesystems", Map.of());
        assertEquals(1, fs.rows().size(), "the mount that does not exist here is left out: " + fs.rows());
        assertEquals(tmp.toString(), fs.rows().get(0).get(0));
    }

    @Test
    void escapesAreUndoneOnlyWhenWhole() {
        assertEquals("a b\tc\\d", DisksTool.unescape("a\\040b\\011c\\134d"));
        assertEquals("end\\04", DisksTool.unescape("end\\04"));
        assertEquals("\\999", DisksTool.unescape("\\999"));
    }

    @Test
    void hugeOrHostileTablesAreBounded() throws Exception {
        Path mounts = tmp.resolve("mounts");
        Files.writeString(mounts, ("/dev/x " + tmp + " ext4 rw 0 0\n").repeat(50_000));
        DisksTool tool = new DisksTool(mounts, tmp.resolve("block"));
        assertEquals(DisksTool.MAX_ROWS, tool.mounts().size());
        assertTrue(table(tool, "filesystems", Map.of()).rows().size() <= DisksTool.MAX_ROWS);
        Path block = tmp.resolve("block");
        for (int i = 0; i < DisksTool.MAX_ROWS + 50; i++) {
            Files.createDirectories(block.resolve("d" + i));
        }
        Files.createDirectories(block.resolve("bad name"));
        Files.createDirectories(block.resolve("..."));
        Result.Table t = table(tool, "devices", Map.of());
        assertEquals(DisksTool.MAX_ROWS, t.rows().size());
        assertTrue(t.rows().stream().noneMatch(r -> r.get(0).contains(" ")), "a name the kernel does not make is skipped");
        Files.writeString(block.resolve("d1/size"), "9".repeat(100));
        assertTrue(table(tool, "devices", Map.of()).rows().stream().filter(r -> r.get(0).equals("d1"))
                .allMatch(r -> r.get(2).isEmpty()), "a size that is not a number is left empty");
    }

    @Test
    void aHostWithoutTheTablesRefusesWithTheReason() {
        DisksTool tool = new DisksTool(tmp.resolve("no-mounts"), tmp.resolve("no-block"));
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("filesystems", Map.of()));
        assertTrue(e.getMessage().contains("not Linux"), e.getMessage());
        e = assertThrows(ToolException.class, () -> tool.invoke("devices", Map.of()));
        assertTrue(e.getMessage().contains("block devices cannot be listed"), e.getMessage());
    }
}
