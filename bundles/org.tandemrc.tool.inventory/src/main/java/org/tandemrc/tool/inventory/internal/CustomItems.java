package org.tandemrc.tool.inventory.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The items an operator adds to the inventory in the tool's configuration: each a name and a command
 * ({@code NAME=/ABSOLUTE/PROGRAM [ARGUMENT ...]}, split at white space, run without a shell), whose output
 * is the item's value. The Guest chooses none of it: it only reads the values. Each command is bounded in
 * time and output; one that fails, says too much or takes too long shows so in its value.
 */
final class CustomItems {

    /** The most items the configuration may define. */
    static final int MAX_ITEMS = 64;
    /** The most characters of a value: an answer carries at most 1 MiB, a value at most 64 KiB. */
    static final int MAX_VALUE = 8 * 1024;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,63}");

    /** One configured item: its name and its command's argv. */
    record Item(String name, List<String> argv) {
    }

    private final List<Item> items;
    private final Duration timeout;

    private CustomItems(List<Item> items, Duration timeout) {
        this.items = List.copyOf(items);
        this.timeout = timeout;
    }

    /**
     * The items of the configuration's lines.
     *
     * @throws IllegalArgumentException naming the first line that is not {@code NAME=/PROGRAM [ARGUMENT ...]}
     *                                  with a program that exists, or a name given twice
     */
    static CustomItems parse(String[] lines, int timeoutSeconds) {
        if (timeoutSeconds < 1 || timeoutSeconds > 600) {
            throw new IllegalArgumentException("the custom items' timeout is 1..600 seconds, not " + timeoutSeconds);
        }
        if (lines.length > MAX_ITEMS) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS + " custom items, not " + lines.length);
        }
        List<Item> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            String name = eq < 0 ? "" : line.substring(0, eq).strip();
            List<String> argv = eq < 0 ? List.of() : Arrays.stream(line.substring(eq + 1).strip().split("\\s+"))
                    .filter(w -> !w.isEmpty()).toList();
            if (!NAME.matcher(name).matches() || argv.isEmpty()) {
                throw new IllegalArgumentException("custom item '" + line + "' is not NAME=/PROGRAM [ARGUMENT ...]"
                        + " with a NAME of letters, digits, spaces and . _ ( ) / -");
            }
            Path program = Path.of(argv.get(0));
            if (!program.isAbsolute() || !Files.isRegularFile(program) || !Files.isExecutable(program)) {
                throw new IllegalArgumentException("custom item '" + name + "': " + argv.get(0)
                        + " is not the absolute path of an executable file");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("custom item '" + name + "' is defined twice");
            }
            items.add(new Item(name, argv));
        }
        return new CustomItems(items, Duration.ofSeconds(timeoutSeconds));
    }

    List<Item> items() {
        return items;
    }

    /** Each item's (name, value) row, in the configuration's order. */
    List<List<String>> rows() throws InterruptedException {
        return rows(() -> false);
    }

    /** As {@link #rows()}, stopped with the running command as soon as {@code stopped} says so. */
    List<List<String>> rows(BooleanSupplier stopped) throws InterruptedException {
        List<List<String>> rows = new ArrayList<>();
        for (Item item : items) {
            if (stopped.getAsBoolean()) {
                throw new InterruptedException("stopped");
            }
            rows.add(List.of(item.name(), value(item, stopped)));
        }
        return rows;
    }

    private String value(Item item, BooleanSupplier stopped) throws InterruptedException {
        BoundedCommand.Output out;
        try {
            out = BoundedCommand.run(item.argv(), timeout, MAX_VALUE, stopped);
        } catch (IOException e) {
            return "(not run: " + e.getMessage() + ")";
        }
        String text = out.text().strip();
        if (out.timedOut()) {
            return "(stopped after " + timeout.toSeconds() + " s) " + text;
        }
        if (out.truncated()) {
            return text + " (cut at " + MAX_VALUE / 1024 + " KiB)";
        }
        return out.exitStatus() == 0 ? text : "(exit status " + out.exitStatus() + ") " + text;
    }
}
