package org.tandemrc.tool.inventory.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hardware inventory, read from {@code /proc} and {@code /sys} under a root folder (the real {@code /},
 * or a test's copy): processors, memory, block devices, network interfaces, firmware and the system's make,
 * and the operating system. Only values that stay put are listed (no clock speeds, no free memory), so two
 * runs compare by what changed in the machine. Each row is (category, name, value).
 */
final class Hardware {

    /** The most bytes read from one file: /proc/cpuinfo of a large machine fits; a /sys attribute is tiny. */
    static final int MAX_FILE = 4 * 1024 * 1024;
    /** The most characters of one value: an attribute is one short line; a file that is not gets cut. */
    static final int MAX_VALUE = 4096;
    /** The most devices of one kind listed (block devices, network interfaces). */
    static final int MAX_DEVICES = 256;
    /** Device names as the kernel gives them; anything else in the folder is skipped. */
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}");

    private final Path root;
    private final List<List<String>> rows = new ArrayList<>();

    private Hardware(Path root) {
        this.root = root;
    }

    static List<List<String>> read(Path root) {
        Hardware h = new Hardware(root);
        h.processors();
        h.memory();
        h.disks();
        h.network();
        h.firmware();
        h.system();
        return h.rows;
    }

    private void add(String category, String name, String value) {
        if (value != null && !value.isBlank()) {
            String v = value.strip();
            rows.add(List.of(category, name, v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v));
        }
    }

    private void processors() {
        String cpuinfo = text("proc/cpuinfo");
        if (cpuinfo == null) {
            return;
        }
        int logical = 0;
        String model = null;
        Set<String> sockets = new HashSet<>();
        Set<String> cores = new HashSet<>();
        String socket = "";
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> logical++;
                case "model name", "Model", "cpu" -> model = model == null ? value : model;
                case "physical id" -> {
                    socket = value;
                    sockets.add(value);
                }
                case "core id" -> cores.add(socket + "/" + value);
                default -> {
                }
            }
        }
        add("Processor", "Model", model);
        add("Processor", "Logical processors", logical == 0 ? null : Integer.toString(logical));
        add("Processor", "Sockets", sockets.isEmpty() ? null : Integer.toString(sockets.size()));
        add("Processor", "Cores", cores.isEmpty() ? null : Integer.toString(cores.size()));
    }

    private void memory() {
        String meminfo = text("proc/meminfo");
        if (meminfo == null) {
            return;
        }
        for (String line : meminfo.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 3 && words[2].equals("kB") && (words[0].equals("MemTotal:") || words[0].equals("SwapTotal:"))) {
                try {
                    long bytes = Math.multiplyExact(Long.parseLong(words[1]), 1024L);
                    add("Memory", words[0].equals("MemTotal:") ? "Total" : "Swap", size(bytes));
                } catch (ArithmeticException | NumberFormatException e) {
                    // not a size: left out rather than guessed
                }
            }
        }
    }

    private void disks() {
        for (String dev : devices("sys/block")) {
            // Loop and RAM disks are files and memory, not drives of the machine.
            if (dev.startsWith("loop") || dev.startsWith("ram") || dev.startsWith("zram")) {
                continue;
            }
            Path d = root.resolve("sys/block").resolve(dev);
            long sectors = number(d.resolve("size"));
            if (sectors <= 0) {
                continue;
            }
            String category = "Disk " + dev;
            // /sys/block/X/size counts 512-byte sectors whatever the device's own sector size.
            add(category, "Size", sectors > Long.MAX_VALUE / 512 ? null : size(sectors * 512));
            add(category, "Model", text(d.resolve("device/model")));
            add(category, "Vendor", text(d.resolve("device/vendor")));
            add(category, "Serial", text(d.resolve("device/serial")));
            long rotational = number(d.resolve("queue/rotational"));
            add(category, "Rotational", rotational < 0 ? null : rotational == 1 ? "yes" : "no");
            long removable = number(d.resolve("removable"));
            add(category, "Removable", removable < 0 ? null : removable == 1 ? "yes" : "no");
        }
    }

    private void network() {
        for (String dev : devices("sys/class/net")) {
            if (dev.equals("lo")) {
                continue;
            }
            Path d = root.resolve("sys/class/net").resolve(dev);
            String category = "Network " + dev;
            add(category, "MAC address", text(d.resolve("address")));
            long mtu = number(d.resolve("mtu"));
            add(category, "MTU", mtu < 0 ? null : Long.toString(mtu));
            // Reading speed fails (EINVAL) on an interface that is down; it is left out then.
            long speed = number(d.resolve("speed"));
            add(category, "Speed", speed <= 0 ? null : speed + " Mb/s");
            add(category, "Driver", link(d.resolve("device/driver")));
        }
    }

    private void firmware() {
        Path dmi = root.resolve("sys/class/dmi/id");
        add("Firmware", "Vendor", text(dmi.resolve("bios_vendor")));
        add("Firmware", "Version", text(dmi.resolve("bios_version")));
        add("Firmware", "Date", text(dmi.resolve("bios_date")));
        add("Firmware", "Type", Files.isDirectory(root.resolve("sys/firmware/efi")) ? "UEFI" : null);
        add("System", "Vendor", text(dmi.resolve("sys_vendor")));
        add("System", "Product", text(dmi.resolve("product_name")));
        add("System", "Version", text(dmi.resolve("product_version")));
        add("System", "Board vendor", text(dmi.resolve("board_vendor")));
        add("System", "Board", text(dmi.resolve("board_name")));
    }

    private void system() {
        String release = text("etc/os-release");
        if (release != null) {
            for (String line : release.split("\n")) {
                if (line.startsWith("PRETTY_NAME=")) {
                    add("Operating system", "Name", unquote(line.substring("PRETTY_NAME=".length()).strip()));
                }
            }
        }
        add("Operating system", "Kernel", text("proc/sys/kernel/osrelease"));
        add("Operating system", "Architecture", text("proc/sys/kernel/arch"));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
                ? s.substring(1, s.length() - 1) : s;
    }

    /** The device names in a folder, sorted, at most {@link #MAX_DEVICES}. */
    private List<String> devices(String folder) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.resolve(folder))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (DEVICE.matcher(name).matches()) {
                    names.add(name);
                }
                if (names.size() >= MAX_DEVICES) {
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private String text(String relative) {
        return text(root.resolve(relative));
    }

    /** A file's text, at most {@link #MAX_FILE} bytes; null when it cannot be read. */
    private static String text(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String s = new String(in.readNBytes(MAX_FILE), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** A file holding one whole number; -1 when it does not. */
    private static long number(Path file) {
        String s = text(file);
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String link(Path file) {
        try {
            Path target = Files.readSymbolicLink(file).getFileName();
            return target == null ? null : target.toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** A size in binary units with the exact bytes, e.g. "15.6 GiB (16777216000 bytes)". */
    static String size(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
    }
}
