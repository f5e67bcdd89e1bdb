package org.tandemrc.tool.inventory.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.tandemrc.api.tool.ToolException;

/**
 * The installed packages, from {@code dpkg-query} where the Host has it, else {@code rpm}: (package,
 * architecture, version) rows sorted by package, read in pages so that no answer outgrows what a tools
 * session carries. The package manager's whole listing is bounded in bytes and time.
 */
final class Packages {

    /** Rows in one page. */
    static final int PAGE_ROWS = 2000;
    /** Bytes of text in one page: an answer carries at most 1 MiB. */
    static final int PAGE_BYTES = 640 * 1024;
    /** The most bytes a package manager's listing may have (a Debian desktop's is about 300 KiB). */
    static final int MAX_LISTING = 32 * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_CELL = 1024;

    enum Manager { DPKG, RPM }

    private final Manager manager;
    private final Path program;

    Packages(Manager manager, Path program) {
        this.manager = manager;
        this.program = program;
    }

    /** The Host's package manager, found once at fixed absolute paths; null when it has neither. */
    static Packages find() {
        Path dpkg = BoundedCommand.executable(List.of(Path.of("/usr/bin/dpkg-query"), Path.of("/bin/dpkg-query")));
        if (dpkg != null) {
            return new Packages(Manager.DPKG, dpkg);
        }
        Path rpm = BoundedCommand.executable(List.of(Path.of("/usr/bin/rpm"), Path.of("/bin/rpm")));
        return rpm == null ? null : new Packages(Manager.RPM, rpm);
    }

    List<String> argv() {
        return switch (manager) {
            case DPKG -> List.of(program.toString(), "--show",
                    "--showformat=${db:Status-Status}\\t${Package}\\t${Architecture}\\t${Version}\\n");
            case RPM -> List.of(program.toString(), "--query", "--all",
                    "--queryformat=installed\\t%{NAME}\\t%{ARCH}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n");
        };
    }

    /** The rows from index {@code start} on, at most a page. */
    List<List<String>> page(int start) throws ToolException, InterruptedException {
        List<List<String>> all = all(() -> false);
        List<List<String>> page = new ArrayList<>();
        int bytes = 0;
        for (int i = start; i < all.size() && page.size() < PAGE_ROWS; i++) {
            List<String> row = all.get(i);
            bytes += row.stream().mapToInt(c -> c.getBytes(StandardCharsets.UTF_8).length + 4).sum();
            if (bytes > PAGE_BYTES) {
                break;
            }
            page.add(row);
        }
        return page;
    }

    /** Every installed package's row, sorted; the listing stops as soon as {@code stopped} says so. */
    List<List<String>> all(BooleanSupplier stopped) throws ToolException, InterruptedException {
        BoundedCommand.Output out;
        try {
            out = BoundedCommand.run(argv(), TIMEOUT, MAX_LISTING, stopped);
        } catch (IOException e) {
            throw new ToolException("Cannot run " + program + ": " + e.getMessage());
        }
        if (out.timedOut()) {
            throw new ToolException(program + " did not list the packages within " + TIMEOUT.toSeconds() + " s");
        }
        if (out.truncated()) {
            throw new ToolException(program + " listed more than " + MAX_LISTING / (1024 * 1024) + " MiB of packages");
        }
        if (out.exitStatus() != 0) {
            throw new ToolException(program + " failed listing the packages (exit status " + out.exitStatus() + ")");
        }
        return parse(out.text());
    }

    /** The installed packages' rows of a listing, sorted; lines of packages not installed are skipped. */
    static List<List<String>> parse(String listing) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 4 && f[0].equals("installed") && !f[1].isEmpty()) {
                rows.add(List.of(cell(f[1]), cell(f[2]), cell(f[3])));
            }
        }
        rows.sort(Comparator.<List<String>, String>comparing(r -> r.get(0)).thenComparing(r -> r.get(1))
                .thenComparing(r -> r.get(2)));
        return rows;
    }

    private static String cell(String s) {
        return s.length() > MAX_CELL ? s.substring(0, MAX_CELL) : s;
    }
}
