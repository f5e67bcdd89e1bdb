package org.tandemrc.tool.disks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Disk Drives: the Host's mounted file systems as the kernel lists them ({@code /proc/self/mounts}) with
 * size, used and free space, and its block devices and their partitions from {@code /sys/block}, with
 * where each is mounted. Read-only. A Host without them (not Linux) is refused with the reason.
 */
@Component(service = RemoteTool.class)
@TandemToolId(DisksTool.ID)
public class DisksTool extends OperationTool {

    static final String ID = "disks";
    /** At most this many rows, so a Host with thousands of mounts or devices still answers in one message. */
    static final int MAX_ROWS = 1000;
    /** Bytes read of the mount table; a real one is far shorter. */
    static final int MAX_MOUNTS_FILE = 1024 * 1024;
    /** Bytes read of one {@code /sys} attribute file. */
    static final int MAX_ATTRIBUTE = 4096;
    /** A kernel block device name: the kernel's own characters ({@code !} stands for {@code /}). */
    static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9._:!+-]{1,64}");
    /** {@code /sys/block/DEV/size} counts sectors of 512 bytes, whatever the device's own sector size. */
    static final long SECTOR = 512;

    static final Operation FILE_SYSTEMS = new Operation("filesystems", "List file systems", List.of(
            Field.of("all", "Also those without size (proc, sysfs, cgroup...)", FieldType.BOOLEAN, false)), false);
    static final Operation DEVICES = new Operation("devices", "List block devices", List.of(), false);

    static final List<Field> FILE_SYSTEM_COLUMNS = List.of(
            Field.of("mount", "Mounted on", FieldType.TEXT, false),
            Field.of("device", "Device", FieldType.TEXT, false),
            Field.of("type", "Type", FieldType.TEXT, false),
            Field.of("size", "Size", FieldType.BYTES, false),
            Field.of("used", "Used", FieldType.BYTES, false),
            Field.of("free", "Free", FieldType.BYTES, false),
            Field.of("usedPercent", "Used %", FieldType.TEXT, false),
            Field.of("readOnly", "Read-only", FieldType.BOOLEAN, false));
    static final List<Field> DEVICE_COLUMNS = List.of(
            Field.of("name", "Device", FieldType.TEXT, false),
            Field.of("disk", "Disk", FieldType.TEXT, false),
            Field.of("size", "Size", FieldType.BYTES, false),
            Field.of("model", "Model", FieldType.TEXT, false),
            Field.of("removable", "Removable", FieldType.BOOLEAN, false),
            Field.of("readOnly", "Read-only", FieldType.BOOLEAN, false),
            Field.of("rotational", "Spinning", FieldType.BOOLEAN, false),
            Field.of("mount", "Mounted on", FieldType.TEXT, false));

    private final Path mounts;
    private final Path sysBlock;

    public DisksTool() {
        this(Path.of("/proc/self/mounts"), Path.of("/sys/block"));
    }

    DisksTool(Path mounts, Path sysBlock) {
        super(ID, "Disk Drives", "System");
        this.mounts = mounts;
        this.sysBlock = sysBlock;
        operation(FILE_SYSTEMS, arguments -> fileSystems(Boolean.parseBoolean(arguments.get("all"))));
        operation(DEVICES, arguments -> devices());
    }

    /** One line of the mount table. */
    record Mount(String device, String mount, String type, boolean readOnly) {
    }

    /** The mount table, each field's octal escapes ({@code \040} for a space) undone; bounded. */
    List<Mount> mounts() throws ToolException {
        String text = head(mounts, MAX_MOUNTS_FILE);
        if (text == null) {
            throw new ToolException("this Host has no " + mounts + " (it is not Linux): its file systems cannot be listed");
        }
        List<Mount> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 4 || list.size() == MAX_ROWS) {
                continue;
            }
            list.add(new Mount(unescape(f[0]), unescape(f[1]), unescape(f[2]),
                    List.of(f[3].split(",")).contains("ro")));
        }
        return list;
    }

    /** Undoes the kernel's escapes of a mount table field: a backslash and three octal digits. */
    static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-3][0-7][0-7]")) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    Result.Table fileSystems(boolean all) throws ToolException {
        List<List<String>> rows = new ArrayList<>();
        for (Mount m : mounts()) {
            long size;
            long free;
            long available;
            try {
                FileStore store = Files.getFileStore(Path.of(m.mount()));
                size = store.getTotalSpace();
                free = store.getUnallocatedSpace();
                available = store.getUsableSpace();
            } catch (IOException | RuntimeException e) {
                // gone since the table was read, or not for this user to see: leave it out
                continue;
            }
            if (size <= 0 && !all) {
                continue;
            }
            long used = Math.max(0, size - free);
            // as df counts it: of the space a user may fill, the part in use
            long usable = used + available;
            String percent = usable <= 0 ? "" : String.format(Locale.ROOT, "%.1f", used * 100.0 / usable);
            rows.add(List.of(m.mount(), m.device(), m.type(), Long.toString(size), Long.toString(used),
                    Long.toString(available), percent, Boolean.toString(m.readOnly())));
        }
        return new Result.Table(FILE_SYSTEM_COLUMNS, rows);
    }

    Result.Table devices() throws ToolException {
        if (!Files.isDirectory(sysBlock)) {
            throw new ToolException("this Host has no " + sysBlock + " (it is not Linux): its block devices cannot be listed");
        }
        Map<String, String> mountOf = new HashMap<>();
        try {
            for (Mount m : mounts()) {
                if (m.device().startsWith("/dev/")) {
                    mountOf.putIfAbsent(m.device().substring(5), m.mount());
                }
            }
        } catch (ToolException e) {
            // without a mount table the devices are still listed, with no mount points
        }
        List<List<String>> rows = new ArrayList<>();
        for (Path disk : children(sysBlock)) {
            String name = disk.getFileName().toString();
            if (rows.size() == MAX_ROWS) {
                break;
            }
            rows.add(row(disk, name, "", mountOf));
            for (Path part : children(disk)) {
                if (rows.size() < MAX_ROWS && Files.exists(part.resolve("partition"))) {
                    rows.add(row(part, part.getFileName().toString(), name, mountOf));
                }
            }
        }
        return new Result.Table(DEVICE_COLUMNS, rows);
    }

    private static List<String> row(Path dir, String name, String disk, Map<String, String> mountOf) {
        String sectors = attribute(dir, "size");
        String size = sectors.matches("\\d{1,18}") ? Long.toString(Long.parseLong(sectors) * SECTOR) : "";
        // a partition's own queue and model are its disk's
        Path device = disk.isEmpty() ? dir : dir.getParent();
        String model = (attribute(device.resolve("device"), "vendor") + " " + attribute(device.resolve("device"), "model"))
                .strip();
        return List.of(name.replace('!', '/'), disk.replace('!', '/'), size, model,
                flag(attribute(device, "removable")), flag(attribute(dir, "ro")),
                flag(attribute(device.resolve("queue"), "rotational")),
                mountOf.getOrDefault(name.replace('!', '/'), ""));
    }

    private static String flag(String value) {
        return value.isEmpty() ? "" : Boolean.toString(value.equals("1"));
    }

    /** The entries of a folder whose names are kernel device names, sorted; none when it cannot be read. */
    private static List<Path> children(Path dir) {
        List<Path> list = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (list.size() == MAX_ROWS) {
                    break;
                }
                if (DEVICE.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) {
                    list.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        list.sort(Comparator.comparing(Path::toString));
        return list;
    }

    /** A {@code /sys} attribute's first line, trimmed; empty when there is none. */
    private static String attribute(Path dir, String name) {
        String text = head(dir.resolve(name), MAX_ATTRIBUTE);
        return text == null ? "" : text.lines().findFirst().orElse("").strip();
    }

    /** The first {@code max} bytes of a file as text, or null when it cannot be read. */
    static String head(Path file, int max) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(max), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
