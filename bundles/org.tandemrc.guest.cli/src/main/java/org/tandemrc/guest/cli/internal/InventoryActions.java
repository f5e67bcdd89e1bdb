package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.guest.cli.internal.GuestCommand.Failure;
import org.tandemrc.guest.cli.internal.GuestCommand.Usage;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.Csv;
import org.tandemrc.support.text.PeerText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * {@code tandem guest inventory ADDRESS [runs | show [RUN] | compare [OLD [NEW]]] [--export csv|json] [--out FILE]}:
 * collects the Host's inventory (the {@code inventory} tool's {@code collect} stream: every table, for a role
 * with the inventory privilege alone) and keeps each run in the Guest's home, {@code data/inventory/HOST/RUN.json}, with when it started
 * and how long it took; lists and shows kept runs, exports them as CSV or JSON, and compares two (added,
 * removed and changed items). An item is a row of the tool's tables: its last column is the value, the
 * others name it.
 */
final class InventoryActions {

    static final Set<String> VERBS = Set.of("inventory");
    static final String TOOL = "inventory";
    /** A run's name: when it started, in UTC, and a number when two started in the same second. */
    static final Pattern RUN = Pattern.compile("\\d{8}T\\d{6}Z(-\\d{1,4})?");
    /** A day, for the last run kept on it. */
    static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** The streaming operation that sends every table. */
    static final String COLLECT = "collect";
    /** How long a Host may take: its package manager and custom commands are bounded, a Host is not. */
    static final int COLLECT_MINUTES = 30;
    /** The most bytes of the stream, and of one line of it. */
    static final int MAX_STREAM = 128 * 1024 * 1024;
    static final int MAX_LINE = 1024 * 1024;
    /** Items kept of one run, whatever the Host sends. */
    static final int MAX_ITEMS = 500_000;
    /** The largest kept run read back. */
    static final int MAX_FILE = 256 * 1024 * 1024;

    /** One table of a run: an operation's result. */
    record Section(String operation, String title, List<String> columns, List<List<String>> rows) {
    }

    /** One kept run. */
    record Run(int format, String address, String host, String fingerprint, String started, long millis,
            List<Section> sections, List<String> problems) {
    }

    /** One item of a run: where it is, what names it, its value. */
    record Item(String section, String name, String value) {
    }

    /** Runs work on the Host with its tools service (connects with the command's logon, then disconnects). */
    interface OnHost {
        Run collect(GuestCommand.ToolWork<Run> work) throws Usage, Failure, InterruptedException;
    }

    /**
     * The JSON mapper, made on first use: {@link #VERBS} is read for every Guest command, and building the
     * mapper when the class loads added about 100 ms to each of them.
     */
    private static final class Json {
        static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_FILE).maxNestingDepth(16)
                        .maxStringLength(MAX_FILE).build()).build())
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Exports go to standard output too, which must stay open for what follows.
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                // A control character or any other a Host chose beyond ASCII is written escaped, never raw.
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .build();
    }

    private final Path home;
    private final PrintStream out;

    InventoryActions(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    /** The folder of one Host's runs: its address as given, in a name that cannot leave the inventory folder. */
    Path folder(String address) {
        StringBuilder b = new StringBuilder("host-");
        for (byte c : address.getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
                b.append((char) c);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(c));
            }
        }
        String name = b.length() <= 120 ? b.toString() : "host-" + sha256(address);
        return home.resolve("data").resolve("inventory").resolve(name);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the command: {@code args} is {@code inventory ADDRESS [ACTION ...]}. */
    int run(List<String> args, String export, String outFile, OnHost host)
            throws Usage, Failure, InterruptedException {
        if (args.size() < 2) {
            throw new Usage("tandem guest inventory: give the Host's ADDRESS, e.g. 'tandem guest inventory 127.0.0.1'");
        }
        if (export != null && !export.equals("csv") && !export.equals("json")) {
            throw new Usage("tandem guest inventory: --export is csv or json");
        }
        if (outFile != null && export == null) {
            throw new Usage("tandem guest inventory: --out FILE goes with --export csv|json");
        }
        String address = args.get(1);
        List<String> action = args.subList(2, args.size());
        String verb = action.isEmpty() ? "collect" : action.get(0);
        Path folder = folder(address);
        switch (verb) {
            case "collect" -> {
                words(action, 0, 1, "collect");
                Run run = host.collect((tools, c) -> collect(address, tools, c));
                String name = keep(folder, run);
                int items = items(run).size();
                if (export == null) {
                    print("Kept the inventory of " + run.host() + " as " + name + ": " + items + " item(s) in "
                            + seconds(run.millis()) + " (" + String.join(", ", run.sections().stream()
                                    .map(s -> s.title() + " " + s.rows().size()).toList()) + ")");
                    run.problems().forEach(p -> print("  not collected: " + p));
                } else {
                    export(run, export, outFile);
                }
                return run.problems().isEmpty() ? ExitStatus.OK : ExitStatus.FAILURE;
            }
            case "runs" -> {
                words(action, 1, 1, "runs");
                if (export != null) {
                    throw new Usage("tandem guest inventory runs: --export goes with collect, show and compare");
                }
                return runs(folder, address);
            }
            case "show" -> {
                words(action, 1, 2, "show [RUN]");
                Run run = read(folder, address, action.size() > 1 ? action.get(1) : "latest", 0);
                export(run, export == null ? "csv" : export, outFile);
                return ExitStatus.OK;
            }
            case "compare" -> {
                words(action, 1, 3, "compare [OLD [NEW]]");
                Run older = read(folder, address, action.size() > 1 ? action.get(1) : "latest", action.size() > 1 ? 0 : 1);
                Run newer = read(folder, address, action.size() > 2 ? action.get(2) : "latest", 0);
                compare(older, newer, export, outFile);
                return ExitStatus.OK;
            }
            default -> throw new Usage("tandem guest inventory: '" + verb + "' is not collect, runs, show or compare");
        }
    }

    private static void words(List<String> action, int min, int max, String form) throws Usage {
        if (action.size() < min || action.size() > max) {
            throw new Usage("tandem guest inventory: say ADDRESS " + form);
        }
    }

    /** Opens the Host's {@code collect} stream on {@code c} and reads every table of it. */
    static Run collect(String address, RemoteTools tools, HostConnection c)
            throws GuestException, ToolException, InterruptedException {
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        Collector collector = new Collector();
        try (OpenStream stream = tools.stream(c, TOOL, COLLECT, StreamKind.TEXT, Map.of(), collector)) {
            if (!collector.ended.await(COLLECT_MINUTES, TimeUnit.MINUTES)) {
                throw new ToolException("the Host's inventory did not end within " + COLLECT_MINUTES + " minutes");
            }
        }
        if (collector.violation != null) {
            throw new ToolException("the Host's inventory is not readable: " + collector.violation);
        }
        if (!collector.ok) {
            throw new ToolException("the Host's inventory failed: " + collector.sentence);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Run(1, address, c.hostName(), c.fingerprint(), started.toString(), millis,
                collector.sections(), collector.problems);
    }

    /**
     * Reads the {@code collect} stream's lines (the tool's InventoryText): tab-separated cells, the first
     * the line's kind, {@code \\ \t \n \r \xHH} escapes. Every byte is the Host's: lines, bytes and items are
     * bounded, and the first thing wrong stops the reading.
     */
    static final class Collector implements StreamListener {
        final CountDownLatch ended = new CountDownLatch(1);
        final List<String> problems = new ArrayList<>();
        private final List<Section> sections = new ArrayList<>();
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private long total;
        private int items;
        volatile String violation;
        volatile boolean ok;
        volatile String sentence;

        @Override
        public CompletionStage<Void> data(ByteBuffer data) {
            while (data.hasRemaining() && violation == null) {
                byte b = data.get();
                if (++total > MAX_STREAM) {
                    violation = "more than " + MAX_STREAM / (1024 * 1024) + " MiB";
                } else if (b != '\n') {
                    if (line.size() >= MAX_LINE) {
                        violation = "a line longer than " + MAX_LINE + " bytes";
                    }
                    line.write(b);
                } else {
                    String text = new String(line.toByteArray(), StandardCharsets.UTF_8);
                    line.reset();
                    try {
                        record(text);
                    } catch (IllegalArgumentException e) {
                        violation = e.getMessage();
                    }
                }
            }
            if (violation != null) {
                // Nothing more is read: the Guest closes the stream rather than wait for the rest.
                ended.countDown();
            }
            return CompletableFuture.completedFuture(null);
        }

        private void record(String text) {
            String[] raw = text.split("\t", -1);
            List<String> cells = new ArrayList<>(raw.length);
            for (int i = 1; i < raw.length; i++) {
                cells.add(unescape(raw[i]));
            }
            switch (raw[0]) {
                case "section" -> {
                    if (cells.size() < 3) {
                        throw new IllegalArgumentException("a section without columns");
                    }
                    sections.add(new Section(cells.get(0), cells.get(1), List.copyOf(cells.subList(2, cells.size())),
                            new ArrayList<>()));
                }
                case "row" -> {
                    if (sections.isEmpty() || cells.size() != sections.get(sections.size() - 1).columns().size()) {
                        throw new IllegalArgumentException("a row that fits no section");
                    }
                    if (++items > MAX_ITEMS) {
                        throw new IllegalArgumentException("more than " + MAX_ITEMS + " items");
                    }
                    sections.get(sections.size() - 1).rows().add(List.copyOf(cells));
                }
                case "problem" -> {
                    if (cells.size() != 3 || problems.size() >= 100) {
                        throw new IllegalArgumentException("a malformed problem line");
                    }
                    problems.add(cells.get(1) + ": " + cells.get(2));
                }
                default -> throw new IllegalArgumentException("a line of unknown kind");
            }
        }

        static String unescape(String cell) {
            StringBuilder b = new StringBuilder(cell.length());
            for (int i = 0; i < cell.length(); i++) {
                char c = cell.charAt(i);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = i + 1 < cell.length() ? cell.charAt(++i) : ' ';
                switch (e) {
                    case '\\' -> b.append('\\');
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 'x' -> {
                        int hi = i + 2 < cell.length() ? Character.digit(cell.charAt(i + 1), 16) : -1;
                        int lo = hi < 0 ? -1 : Character.digit(cell.charAt(i + 2), 16);
                        if (lo < 0) {
                            throw new IllegalArgumentException("a wrong \\x escape");
                        }
                        b.append((char) (hi * 16 + lo));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("a wrong escape");
                }
            }
            return b.toString();
        }

        List<Section> sections() {
            return sections.stream().map(s -> new Section(s.operation(), s.title(), s.columns(), List.copyOf(s.rows())))
                    .toList();
        }

        @Override
        public void ended(String why, boolean fine) {
            if (line.size() > 0 && violation == null && fine) {
                violation = "the last line is cut";
            }
            sentence = why;
            ok = fine;
            ended.countDown();
        }
    }

    /** Writes the run into the Host's folder under a new name, whole or not at all; returns the name. */
    String keep(Path folder, Run run) throws Failure {
        try {
            Files.createDirectories(folder);
            String base = RUN_TIME.format(Instant.parse(run.started()));
            Path tmp = Files.createTempFile(folder, ".run-", ".tmp");
            try {
                Json.JSON.writeValue(tmp.toFile(), run);
                for (int n = 1; n < 10_000; n++) {
                    String name = n == 1 ? base : base + "-" + n;
                    Path target = folder.resolve(name + ".json");
                    if (!Files.exists(target)) {
                        try {
                            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        } catch (AtomicMoveNotSupportedException e) {
                            Files.move(tmp, target);
                        }
                        return name;
                    }
                }
                throw new Failure("too many runs started at " + base + " in " + folder);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new Failure("cannot keep the inventory in " + folder + ": " + e.getMessage());
        }
    }

    /** The kept runs' names, oldest first. */
    static List<String> names(Path folder) throws Failure {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.json")) {
            for (Path p : dir) {
                String n = p.getFileName().toString();
                n = n.substring(0, n.length() - ".json".length());
                if (RUN.matcher(n).matches()) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new Failure("cannot list " + folder + ": " + e.getMessage());
        }
        names.sort((a, b) -> {
            String[] x = a.split("-");
            String[] y = b.split("-");
            int c = x[0].compareTo(y[0]);
            return c != 0 ? c : Integer.compare(x.length > 1 ? Integer.parseInt(x[1]) : 1, y.length > 1 ? Integer.parseInt(y[1]) : 1);
        });
        return names;
    }

    /** A kept run by name, or "latest" ({@code back} runs before the latest). */
    Run read(Path folder, String address, String name, int back) throws Usage, Failure {
        boolean day = DAY.matcher(name).matches();
        if (!name.equals("latest") && !day && !RUN.matcher(name).matches()) {
            throw new Usage("tandem guest inventory: a RUN is a name 'runs' lists (e.g. 20261205T150312Z), a day"
                    + " (2026-12-05: its last run, UTC), or latest");
        }
        List<String> names = names(folder);
        if (day) {
            String prefix = name.replace("-", "") + "T";
            List<String> that = names.stream().filter(n -> n.startsWith(prefix)).toList();
            if (that.isEmpty()) {
                throw new Failure("no run of " + address + " on " + name + " (UTC; see 'tandem guest inventory " + address
                        + " runs')", ExitStatus.NOT_FOUND);
            }
            name = that.get(that.size() - 1);
        }
        if (name.equals("latest")) {
            if (names.size() <= back) {
                throw new Failure("there " + (names.size() == 1 ? "is 1 kept run" : "are " + names.size() + " kept runs")
                        + " of " + address + "; collect with 'tandem guest inventory " + address + "'", ExitStatus.NOT_FOUND);
            }
            name = names.get(names.size() - 1 - back);
        }
        Path file = folder.resolve(name + ".json");
        try {
            if (!Files.isRegularFile(file)) {
                throw new Failure("no run " + name + " of " + address + " (see 'tandem guest inventory " + address
                        + " runs')", ExitStatus.NOT_FOUND);
            }
            if (Files.size(file) > MAX_FILE) {
                throw new Failure(file + " is larger than " + MAX_FILE / (1024 * 1024) + " MiB");
            }
            try (InputStream in = Files.newInputStream(file)) {
                Run run = Json.JSON.readValue(in, Run.class);
                if (run.sections() == null || run.started() == null || run.problems() == null || run.host() == null
                        || run.fingerprint() == null) {
                    throw new IOException("not a kept inventory run");
                }
                return run;
            }
        } catch (IOException | RuntimeException e) {
            throw new Failure("cannot read " + file + ": " + e.getMessage());
        }
    }

    private int runs(Path folder, String address) throws Failure, Usage {
        List<String> names = names(folder);
        if (names.isEmpty()) {
            print("No kept inventory of " + address + "; collect one with 'tandem guest inventory " + address + "'");
            return ExitStatus.OK;
        }
        print(String.format("%-20s  %-20s  %9s  %8s  %s", "RUN", "STARTED (UTC)", "TOOK", "ITEMS", "HOST"));
        for (String n : names) {
            Run r = read(folder, address, n, 0);
            print(String.format("%-20s  %-20s  %9s  %8d  %s", n, when(r), seconds(r.millis()), items(r).size(),
                    r.host()));
        }
        print(names.size() + " run(s) in " + folder);
        return ExitStatus.OK;
    }

    /** Every item of a run, in order; a name that repeats in its section gets " #2", " #3"... */
    static List<Item> items(Run run) {
        List<Item> items = new ArrayList<>();
        for (Section s : run.sections()) {
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (List<String> row : s.rows()) {
                int n = row.size();
                String name = String.join(" / ", row.subList(0, Math.max(1, n - 1)));
                String value = n > 1 ? row.get(n - 1) : "";
                int count = seen.merge(name, 1, Integer::sum);
                items.add(new Item(s.title(), count == 1 ? name : name + " #" + count, value));
            }
        }
        return items;
    }

    /** One run as CSV (section, item, value) or as its kept JSON. */
    void export(Run run, String format, String outFile) throws Failure {
        write(outFile, w -> {
            if (format.equals("json")) {
                Json.JSON.writeValue(w, run);
                w.write("\n");
            } else {
                w.write(Csv.line("section", "item", "value"));
                for (Item i : items(run)) {
                    w.write(Csv.line(cell(i.section(), outFile), cell(i.name(), outFile), cell(i.value(), outFile)));
                }
            }
        });
    }

    /** One difference between two runs. */
    record Change(String change, String section, String item, String before, String after) {
    }

    static List<Change> changes(Run older, Run newer) {
        Map<List<String>, String> before = new LinkedHashMap<>();
        items(older).forEach(i -> before.put(List.of(i.section(), i.name()), i.value()));
        Map<List<String>, String> after = new LinkedHashMap<>();
        items(newer).forEach(i -> after.put(List.of(i.section(), i.name()), i.value()));
        List<Change> changes = new ArrayList<>();
        after.forEach((k, v) -> {
            String old = before.get(k);
            if (old == null) {
                changes.add(new Change("added", k.get(0), k.get(1), "", v));
            } else if (!old.equals(v)) {
                changes.add(new Change("changed", k.get(0), k.get(1), old, v));
            }
        });
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) {
                changes.add(new Change("removed", k.get(0), k.get(1), v, ""));
            }
        });
        return changes;
    }

    private void compare(Run older, Run newer, String export, String outFile) throws Failure {
        List<Change> changes = changes(older, newer);
        if (export != null) {
            write(outFile, w -> {
                if (export.equals("json")) {
                    Json.JSON.writeValue(w, Map.of("older", older.started(), "newer", newer.started(), "changes", changes));
                    w.write("\n");
                } else {
                    w.write(Csv.line("change", "section", "item", "before", "after"));
                    for (Change c : changes) {
                        w.write(Csv.line(c.change(), cell(c.section(), outFile), cell(c.item(), outFile),
                                cell(c.before(), outFile), cell(c.after(), outFile)));
                    }
                }
            });
            return;
        }
        print("Comparing " + when(older) + " (" + older.host() + ") with " + when(newer) + " (" + newer.host() + ")");
        if (!older.fingerprint().equals(newer.fingerprint())) {
            print("  note: the Host's identity key differs between the two runs");
        }
        long added = 0;
        long removed = 0;
        long changed = 0;
        for (Change c : changes) {
            switch (c.change()) {
                case "added" -> {
                    added++;
                    print("+ " + c.section() + ": " + c.item() + " = " + c.after());
                }
                case "removed" -> {
                    removed++;
                    print("- " + c.section() + ": " + c.item() + " = " + c.before());
                }
                default -> {
                    changed++;
                    print("~ " + c.section() + ": " + c.item() + ": " + c.before() + " -> " + c.after());
                }
            }
        }
        print(added + " added, " + removed + " removed, " + changed + " changed");
    }

    /** What writes an export. */
    private interface Export {
        void to(Writer w) throws IOException;
    }

    /** To {@code outFile}, or to standard output; a file is replaced only once it is written whole. */
    private void write(String outFile, Export export) throws Failure {
        try {
            if (outFile == null) {
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                export.to(w);
                w.flush();
                return;
            }
            Path target = Path.of(outFile).toAbsolutePath();
            Path tmp = Files.createTempFile(target.getParent(), ".tandem-export-", ".tmp");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    export.to(w);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            print("Wrote " + target);
        } catch (IOException e) {
            throw new Failure("cannot write the export" + (outFile == null ? "" : " to " + outFile) + ": " + e.getMessage());
        }
    }

    /** A cell as the file gets it, or escaped when it goes to the terminal: the Host chose its characters. */
    private static String cell(String text, String outFile) {
        return outFile == null ? PeerText.escape(text) : text;
    }

    /** When a run started, to the second; as kept when the file says something else. */
    private static String when(Run run) {
        try {
            return Instant.parse(run.started()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return run.started();
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** Host names, items and values came from the Host: escaped before they reach the terminal. */
    private void print(String line) {
        out.println(PeerText.escape(line));
    }
}
