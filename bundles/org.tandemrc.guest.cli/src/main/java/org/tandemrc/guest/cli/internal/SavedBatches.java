package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The saved action lists of the Guest (the reference's scripts): {@code data/batch/NAME.batch} in its home,
 * one batch per line, written as on the command line ({@code HOSTS ACTION [ARG ...]}; a word with spaces,
 * quotes, backslashes or {@code #} in double quotes, {@code \"} {@code \\} {@code \n} inside), {@code #}
 * lines are comments. A person may edit the file; what it holds is checked again before it runs.
 */
final class SavedBatches {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_BYTES = 64 << 10;
    static final int MAX_LINES = 200;
    static final int MAX_WORDS = 300;
    private static final String EXT = ".batch";
    private static final Pattern PLAIN = Pattern.compile("[^\\s\"\\\\#]+");

    private final Path dir;

    SavedBatches(Path dir) {
        this.dir = dir;
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches() || name.endsWith(".")) {
            throw new IllegalArgumentException("a saved list's name is letters, digits, '.', '_' and '-' (at most 64,"
                    + " starting with a letter or digit), not '" + name + "'");
        }
    }

    /** Appends one batch to the list {@code name}, made when it is new; returns how many batches it holds. */
    int append(String name, List<String> words) throws IOException {
        checkName(name);
        Files.createDirectories(dir);
        Path file = dir.resolve(name + EXT);
        List<List<String>> lines = Files.exists(file) ? read(name) : List.of();
        if (lines.size() >= MAX_LINES) {
            throw new IOException("the list " + name + " holds " + MAX_LINES + " batches already");
        }
        String line = join(words) + "\n";
        if ((Files.exists(file) ? Files.size(file) : 0) + line.length() > MAX_BYTES) {
            throw new IOException("the list " + name + " would grow over " + (MAX_BYTES >> 10) + " KiB");
        }
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return lines.size() + 1;
    }

    /** The names of the saved lists, sorted. */
    List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + EXT)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                n = n.substring(0, n.length() - EXT.length());
                if (NAME.matcher(n).matches()) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** The batches of the list {@code name}, each as its words. */
    List<List<String>> read(String name) throws IOException {
        checkName(name);
        Path file = dir.resolve(name + EXT);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException("there is no saved list " + name + " (in " + dir + ")");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("the list " + name + " is over " + (MAX_BYTES >> 10) + " KiB: " + file);
        }
        List<List<String>> out = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (out.size() >= MAX_LINES) {
                throw new IOException(file + " holds more than " + MAX_LINES + " batches");
            }
            try {
                out.add(split(t));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + number + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** Deletes the list {@code name}; false when there was none. */
    boolean delete(String name) throws IOException {
        checkName(name);
        return Files.deleteIfExists(dir.resolve(name + EXT));
    }

    /** The words as one line that {@link #split} reads back. */
    static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (PLAIN.matcher(w).matches()) {
                b.append(w);
                continue;
            }
            b.append('"');
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
        return b.toString();
    }

    /**
     * A line's words, as {@link #join} writes them.
     *
     * @throws IllegalArgumentException when a quote is not closed, an escape is unknown, or there are too many words
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (words.size() >= MAX_WORDS) {
                throw new IllegalArgumentException("more than " + MAX_WORDS + " words");
            }
            StringBuilder w = new StringBuilder();
            if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("a quote is not closed");
                    }
                    char q = line.charAt(i++);
                    if (q == '"') {
                        break;
                    }
                    if (q == '\\') {
                        if (i >= n) {
                            throw new IllegalArgumentException("a line ends in a backslash");
                        }
                        char e = line.charAt(i++);
                        w.append(switch (e) {
                            case '"' -> '"';
                            case '\\' -> '\\';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            default -> throw new IllegalArgumentException("unknown escape \\" + e);
                        });
                    } else {
                        w.append(q);
                    }
                }
                if (i < n && !Character.isWhitespace(line.charAt(i))) {
                    throw new IllegalArgumentException("a quoted word runs into the next");
                }
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    char p = line.charAt(i++);
                    if (p == '"' || p == '\\') {
                        throw new IllegalArgumentException("a quote or backslash inside an unquoted word");
                    }
                    w.append(p);
                }
            }
            words.add(w.toString());
        }
        return words;
    }
}
