package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem guest copy|move|sync|clone SRC DST} and {@code ls}: places are local paths or
 * {@code ADDRESS:/SHARE/PATH}; progress as a bar on a terminal, as plain lines otherwise; a summary
 * at the end; each file's outcome appended to a log file when asked.
 */
final class FileActions {

    static final Set<String> VERBS = Set.of("copy", "move", "sync", "clone", "ls");

    /** Where a command line's place is: the Host's address (null for local) and the path. */
    record Spec(String address, String path) {
        Place place() {
            return address == null ? Place.local(path) : Place.host(path);
        }
    }

    /**
     * {@code ADDRESS:/PATH} is on a Host (the last {@code :/} splits it); anything else is a local
     * path ({@code ./a:/b} to force a local one).
     */
    static Spec spec(String text) {
        int split = text.lastIndexOf(":/");
        if (split > 0 && !text.startsWith("./") && !text.startsWith("/")) {
            return new Spec(text.substring(0, split), text.substring(split + 1));
        }
        return new Spec(null, Path.of(text).toAbsolutePath().toString());
    }

    private final FileSession files;
    private final PrintStream out;
    private final boolean terminal;
    private final Writer log;
    private final UnaryOperator<String> ask;

    /**
     * @param ask reads the answer to a question from the user (null on end of input); null when there
     *            is nobody to ask, which {@code --confirm} refuses before it gets here
     */
    FileActions(FileSession files, PrintStream out, boolean terminal, Writer log, UnaryOperator<String> ask) {
        this.files = files;
        this.out = out;
        this.terminal = terminal;
        this.log = log;
        this.ask = ask;
    }

    /** Parses {@code --confirm}: a comma-separated list of replace, read-only, hidden, folders, or all. */
    static Set<TransferOptions.Confirm> confirmations(String list) {
        if (list == null) {
            return Set.of();
        }
        Set<TransferOptions.Confirm> set = EnumSet.noneOf(TransferOptions.Confirm.class);
        for (String word : list.split(",")) {
            switch (word.trim().toLowerCase(Locale.ROOT)) {
                case "all" -> set.addAll(EnumSet.allOf(TransferOptions.Confirm.class));
                case "replace" -> set.add(TransferOptions.Confirm.REPLACE);
                case "read-only" -> set.add(TransferOptions.Confirm.READ_ONLY);
                case "hidden" -> set.add(TransferOptions.Confirm.HIDDEN);
                case "folders" -> set.add(TransferOptions.Confirm.FOLDER);
                default -> throw new IllegalArgumentException("--confirm takes replace, read-only, hidden, folders or all,"
                        + " comma-separated; not '" + word + "'");
            }
        }
        return set;
    }

    static Writer openLog(String file) throws IOException {
        return file == null ? null : Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Lists a folder. */
    int list(Spec where) throws FileException {
        List<FileEntry> entries = files.list(where.place());
        for (FileEntry e : entries) {
            String kind = switch (e.kind()) {
                case FOLDER -> "d";
                case LINK -> "l";
                case FILE -> "-";
            };
            String mode = e.mode() < 0 ? "---------" : modeString(e.mode());
            out.printf("%s%s %14d  %s  %s%s%n", kind, mode, e.size(),
                    e.modified() == 0 ? "                    " : Instant.ofEpochMilli(e.modified()).toString().substring(0, 19) + "Z",
                    PeerText.escape(e.name()), e.target() == null ? "" : " -> " + PeerText.escape(e.target()));
        }
        return 0;
    }

    private static String modeString(int mode) {
        StringBuilder sb = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? letters.charAt(i) : '-');
        }
        return sb.toString();
    }

    /** Runs copy, move, sync or clone and prints the summary; 0 when everything went through. */
    int run(String verb, Spec from, Spec to, TransferOptions options) throws FileException, InterruptedException {
        Progress progress = new Progress();
        long start = System.nanoTime();
        TransferResult r = switch (verb) {
            case "copy" -> files.copy(from.place(), to.place(), options, progress);
            case "move" -> files.move(from.place(), to.place(), options, progress);
            case "sync" -> files.synchronize(from.place(), to.place(), options, progress);
            case "clone" -> files.clone(from.place(), to.place(), options, progress);
            default -> throw new IllegalArgumentException(verb);
        };
        progress.clearBar();
        double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        out.printf(Locale.ROOT, "%s: %d file(s), %s in %.1f s (%s/s), %s on the wire; %d skipped, %d deleted, %d failed%s%n",
                verb, r.files(), size(r.bytes()), seconds, size((long) (r.bytes() / seconds)), size(r.wireBytes()),
                r.skipped(), r.deleted(), r.failed().size(), r.stopped() ? "; stopped at the first error" : "");
        for (String f : r.failed()) {
            out.println("  failed: " + PeerText.escape(f));
        }
        return r.ok() ? 0 : 1;
    }

    /** {@code bytes} in binary units, one decimal: also for the byte counts a Host's tool returns. */
    static String size(long bytes) {
        return org.tandemrc.support.text.Sizes.binary(bytes);
    }

    /** The progress bar (terminal) or progress lines (not a terminal), and the log file. */
    private final class Progress implements TransferListener {
        private long totalBytes;
        private int totalFiles;
        private long doneBefore;
        private long current;
        private int filesDone;
        private final long start = System.nanoTime();
        private long lastShown;
        private int lastPercent = -1;
        private boolean barShown;

        @Override
        public void planned(int files, long bytes) {
            totalFiles = files;
            totalBytes = bytes;
            if (!terminal) {
                out.println("planned: " + files + " file(s), " + size(bytes));
            }
        }

        @Override
        public void started(String file, long size) {
            current = 0;
        }

        @Override
        public void progress(String file, long done, long size) {
            current = done;
            long now = System.nanoTime();
            long all = doneBefore + current;
            if (terminal) {
                if (now - lastShown > 100_000_000L) {
                    lastShown = now;
                    bar(file, all);
                }
            } else {
                int percent = totalBytes == 0 ? 100 : (int) (all * 100 / totalBytes);
                if (percent / 10 != lastPercent / 10 && now - lastShown > 1_000_000_000L) {
                    lastShown = now;
                    lastPercent = percent;
                    out.printf(Locale.ROOT, "progress: %d%% (%s of %s) %s/s%n", percent, size(all), size(totalBytes),
                            size(rate(all)));
                }
            }
        }

        private long rate(long all) {
            double s = (System.nanoTime() - start) / 1e9;
            return s <= 0 ? 0 : (long) (all / s);
        }

        private void bar(String file, long all) {
            int width = 30;
            int percent = totalBytes == 0 ? 100 : (int) Math.min(100, all * 100 / totalBytes);
            int filled = percent * width / 100;
            long rate = rate(all);
            String eta = rate <= 0 ? "--:--" : clock((totalBytes - all) / Math.max(1, rate));
            String shown = PeerText.escape(file);
            String name = shown.length() > 30 ? "…" + shown.substring(shown.length() - 29) : shown;
            out.printf(Locale.ROOT, "\r[%s%s] %3d%% %d/%d %10s/s ETA %s  %-30s", "=".repeat(filled),
                    " ".repeat(width - filled), percent, filesDone, totalFiles, size(rate), eta, name);
            out.flush();
            barShown = true;
        }

        void clearBar() {
            if (barShown) {
                out.print("\r" + " ".repeat(110) + "\r");
                barShown = false;
            }
        }

        private String clock(long seconds) {
            return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }

        @Override
        public Answer confirm(String file, FileEntry existing, boolean delete, TransferOptions.Confirm reason) {
            clearBar();
            String what = switch (reason) {
                case REPLACE -> "";
                case READ_ONLY -> "read-only ";
                case HIDDEN -> "hidden ";
                case FOLDER -> "non-empty folder ";
            };
            String question = (delete ? "Delete " : "Overwrite ") + what + PeerText.escape(file) + " (" + (existing.kind() == FileEntry.Kind.FOLDER
                    ? "folder" : size(existing.size())) + (existing.modified() == 0 ? ""
                    : ", modified " + Instant.ofEpochMilli(existing.modified()).toString().substring(0, 19) + "Z")
                    + ")? [y]es, [n]o, [a]ll like it, [c]ancel: ";
            while (true) {
                String line = ask == null ? null : ask.apply(question);
                if (line == null) {
                    return Answer.CANCEL;
                }
                switch (line.trim().toLowerCase(Locale.ROOT)) {
                    case "y", "yes" -> {
                        return Answer.YES;
                    }
                    case "n", "no" -> {
                        return Answer.NO;
                    }
                    case "a", "all" -> {
                        return Answer.ALL;
                    }
                    case "c", "cancel" -> {
                        return Answer.CANCEL;
                    }
                    default -> out.println("Answer y, n, a or c.");
                }
            }
        }

        @Override
        public void finished(String file, String action, String detail) {
            if (action.equals("copied") || action.equals("updated")) {
                doneBefore += current;
                current = 0;
                filesDone++;
            }
            String line = action + " " + PeerText.escape(file) + (detail.isEmpty() ? "" : " (" + PeerText.escape(detail) + ")");
            if (terminal) {
                if (!action.equals("copied") && !action.equals("updated") && !action.equals("created")) {
                    clearBar();
                    out.println(line);
                }
            } else {
                out.println(line);
            }
            if (log != null) {
                try {
                    log.write(Instant.now() + " " + line + System.lineSeparator());
                    log.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("the transfer log cannot be written", e);
                }
            }
        }
    }
}
