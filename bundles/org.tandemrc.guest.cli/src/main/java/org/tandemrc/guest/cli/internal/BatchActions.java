package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.guest.cli.internal.GuestCommand.Failure;
import org.tandemrc.guest.cli.internal.GuestCommand.Usage;
import org.tandemrc.support.batch.Batch;
import org.tandemrc.support.batch.BatchWork;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem guest batch ...}: one action on many Hosts of the Guest's phonebook at once, with
 * progress and one results table (Host, outcome, time, output); saved lists of such batches run again
 * on demand. Each record logs on with its own logon and password; records without a password use the
 * one given with {@code --password-file}/{@code --password-stdin} (with {@code --guest-id}).
 */
final class BatchActions {

    static final int DEFAULT_PARALLEL = 8;
    static final int DEFAULT_DEADLINE = 120;
    private static final long MAX_CSV = 1 << 20;
    /** Characters of a Host's output shown in its table row; a longer one follows the table in full. */
    private static final int ROW_OUTPUT = 100;

    /** The password for records without one, read when first needed; null when none was given. */
    @FunctionalInterface
    interface Fallback {
        char[] read() throws Failure;
    }

    /** The command line's choices. */
    record Settings(int parallel, int deadlineSeconds, String save, boolean acceptNewKey, String guestId) {
    }

    private final Guest guest;
    private final BundleContext context;
    private final SavedBatches saved;
    private final PrintStream out;
    private final PrintStream err;

    BatchActions(Guest guest, BundleContext context, Path home, PrintStream out, PrintStream err) {
        this.guest = guest;
        this.context = context;
        this.saved = new SavedBatches(home.resolve("data/batch"));
        this.out = out;
        this.err = err;
    }

    /** Parses {@code --parallel} and {@code --timeout}: whole numbers in their ranges. */
    static Settings settings(String parallel, String timeout, String save, boolean acceptNewKey, String guestId)
            throws Usage {
        int p = number(parallel, DEFAULT_PARALLEL, Batch.MAX_PARALLEL, "--parallel");
        int t = number(timeout, DEFAULT_DEADLINE, 86_400, "--timeout");
        if (save != null) {
            try {
                SavedBatches.checkName(save);
            } catch (IllegalArgumentException e) {
                throw new Usage("tandem guest batch: " + e.getMessage());
            }
        }
        return new Settings(p, t, save, acceptNewKey, guestId);
    }

    private static int number(String text, int otherwise, int max, String option) throws Usage {
        if (text == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Usage("tandem guest batch: " + option + " is 1.." + max + ", not '" + text + "'");
    }

    /** {@code batch run|replay|saved|forget|hosts|import ...} ({@code args} without {@code batch}). */
    int run(List<String> args, Settings settings, Fallback fallback) throws Usage, Failure, InterruptedException {
        String verb = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        if (settings.save() != null && !verb.equals("run")) {
            throw new Usage("tandem guest batch: --save goes with run");
        }
        switch (verb) {
            case "run" -> {
                if (rest.size() < 2) {
                    throw new Usage("tandem guest batch run: give HOSTS and an ACTION, e.g. 'tandem guest batch run"
                            + " Office/ tool system show'");
                }
                Plan plan = plan(rest, "tandem guest batch run");
                if (settings.save() != null) {
                    int n;
                    try {
                        n = saved.append(settings.save(), plan.words());
                    } catch (IOException e) {
                        throw new Failure("cannot save the list " + settings.save() + ": " + e.getMessage());
                    }
                    err.println("Saved to the list " + settings.save() + " (" + n + " batch(es)); run it again with"
                            + " 'tandem guest batch replay " + settings.save() + "'.");
                }
                return execute(plan, settings, fallback) ? 0 : ExitStatus.FAILURE;
            }
            case "replay" -> {
                String name = only(rest, "replay", "NAME");
                List<Plan> plans = new ArrayList<>();
                try {
                    for (List<String> line : saved.read(name)) {
                        plans.add(plan(line, "the saved list " + name));
                    }
                } catch (IllegalArgumentException e) {
                    throw new Usage("tandem guest batch replay: " + e.getMessage());
                } catch (java.nio.file.NoSuchFileException e) {
                    throw new Failure(e.getMessage(), ExitStatus.NOT_FOUND);
                } catch (IOException e) {
                    throw new Failure("cannot read the list " + name + ": " + e.getMessage());
                }
                boolean all = true;
                for (int i = 0; i < plans.size(); i++) {
                    out.println("== " + (i + 1) + "/" + plans.size() + ": " + PeerText.escape(SavedBatches.join(
                            plans.get(i).words())));
                    all &= execute(plans.get(i), settings, fallback);
                }
                return all ? 0 : ExitStatus.FAILURE;
            }
            case "saved" -> {
                return listSaved(rest);
            }
            case "forget" -> {
                String name = only(rest, "forget", "NAME");
                try {
                    if (!saved.delete(name)) {
                        throw new Failure("there is no saved list " + name, ExitStatus.NOT_FOUND);
                    }
                } catch (IllegalArgumentException e) {
                    throw new Usage("tandem guest batch forget: " + e.getMessage());
                } catch (IOException e) {
                    throw new Failure("cannot delete the list " + name + ": " + e.getMessage());
                }
                out.println("Deleted the saved list " + name);
                return 0;
            }
            case "hosts" -> {
                List<Entry> hosts = select(only(rest, "hosts", "HOSTS"));
                table(List.of("HOST", "ADDRESS", "WAKE-ON-LAN MAC"), hosts.stream().map(h -> List.of(h.path(), h.name(),
                        h.wakeOnLanMac())).toList(), out);
                out.println(hosts.size() + " Host(s)");
                return 0;
            }
            case "import" -> {
                return importCsv(rest);
            }
            default -> throw new Usage("tandem guest batch: say run, replay, saved, forget, hosts or import, not '"
                    + verb + "'");
        }
    }

    /**
     * The action of {@code words}: {@code message TEXT...}, {@code tool TOOL OPERATION [NAME=VALUE...]},
     * {@code send FILE}, {@code wake [via RECORD]}.
     *
     * @throws IllegalArgumentException with the sentence that says what is wrong
     */
    static Batch.Action action(List<String> words) {
        String verb = words.isEmpty() ? "" : words.get(0);
        List<String> rest = words.subList(Math.min(1, words.size()), words.size());
        switch (verb) {
            case "message" -> {
                String text = String.join(" ", rest);
                if (text.isBlank()) {
                    throw new IllegalArgumentException("message: give the text");
                }
                return new Batch.Message(text);
            }
            case "tool" -> {
                if (rest.size() < 2) {
                    throw new IllegalArgumentException("tool: give TOOL OPERATION [NAME=VALUE ...]");
                }
                try {
                    return new Batch.Tool(rest.get(0), rest.get(1), ToolActions.arguments(rest.subList(2, rest.size())));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tool: '" + e.getMessage() + "' is not NAME=VALUE (or names a"
                            + " parameter twice)");
                }
            }
            case "send" -> {
                if (rest.size() != 1) {
                    throw new IllegalArgumentException("send: give one FILE");
                }
                return new Batch.Send(Path.of(rest.get(0)).toAbsolutePath());
            }
            case "wake" -> {
                if (rest.isEmpty()) {
                    return new Batch.Wake(null);
                }
                if (rest.size() == 2 && rest.get(0).equals("via") && !rest.get(1).isBlank()) {
                    return new Batch.Wake(rest.get(1));
                }
                throw new IllegalArgumentException("wake: nothing, or 'via RECORD' (a Host on the sleeping machines'"
                        + " subnet)");
            }
            default -> throw new IllegalArgumentException("the action is message, tool, send or wake, not '" + verb + "'");
        }
    }

    private static String only(List<String> rest, String verb, String what) throws Usage {
        if (rest.size() != 1) {
            throw new Usage("tandem guest batch " + verb + ": give one " + what);
        }
        return rest.get(0);
    }

    /** A batch to run: the selection as written, the Hosts it selects now, and the action. */
    private record Plan(String selection, List<Entry> hosts, Batch.Action action, Entry via) {
        List<String> words() {
            List<String> w = new ArrayList<>();
            w.add(selection);
            w.addAll(action.words());
            return w;
        }
    }

    private Plan plan(List<String> words, String where) throws Usage, Failure {
        if (words.size() < 2) {
            throw new Usage(where + ": give HOSTS and an ACTION");
        }
        Batch.Action action;
        try {
            action = action(words.subList(1, words.size()));
        } catch (IllegalArgumentException e) {
            throw new Usage(where + ": " + e.getMessage());
        }
        if (action instanceof Batch.Send s && !Files.isRegularFile(s.file())) {
            throw new Failure(s.file() + " is not a file", ExitStatus.NOT_FOUND);
        }
        Entry via = null;
        if (action instanceof Batch.Wake w && w.via() != null) {
            via = record(w.via()).orElseThrow(() -> new Failure("there is no phonebook record " + w.via()
                    + " to wake through", ExitStatus.NOT_FOUND));
        }
        return new Plan(words.get(0), select(words.get(0)), action, via);
    }

    /** The records {@code selection} names (see {@link Batch#select}). */
    List<Entry> select(String selection) throws Failure {
        try {
            return Batch.select(phonebook(), selection);
        } catch (java.util.NoSuchElementException e) {
            throw new Failure(e.getMessage(), ExitStatus.NOT_FOUND);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage(), ExitStatus.USAGE);
        } catch (PhonebookException e) {
            throw new Failure(e.getMessage());
        }
    }

    private Optional<Entry> record(String path) throws Failure {
        try {
            return Batch.record(phonebook(), path);
        } catch (PhonebookException e) {
            throw new Failure(e.getMessage(), ExitStatus.USAGE);
        }
    }

    private Phonebook phonebook() throws Failure {
        Phonebook p = service(Phonebook.class);
        if (p == null) {
            throw new Failure("the phonebook is not installed on this Guest", ExitStatus.NOT_FOUND);
        }
        return p;
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
    }

    /** Runs one batch, prints progress and its table; true when every Host succeeded. */
    private boolean execute(Plan plan, Settings settings, Fallback fallback) throws InterruptedException {
        char[] spare = null;
        boolean needsSpare = !(plan.action() instanceof Batch.Wake w && w.via() == null)
                && (plan.via() != null ? plan.via().hostPassword().isEmpty()
                        : plan.hosts().stream().anyMatch(h -> h.hostPassword().isEmpty()));
        String spareProblem = "the record has no password; give one for such records with --password-file";
        if (needsSpare) {
            try {
                spare = fallback.read();
            } catch (Failure e) {
                spareProblem = "the record has no password, and " + e.getMessage();
            }
        }
        char[] password = spare;
        String noPassword = spareProblem;
        long start = System.nanoTime();
        err.println("Running '" + PeerText.escape(SavedBatches.join(plan.action().words())) + "' on "
                + plan.hosts().size() + " Host(s), " + Math.min(settings.parallel(), plan.hosts().size()) + " at a time");
        BatchWork work = new BatchWork(new BatchWork.Services(guest, service(RemoteMessages.class),
                service(RemoteTools.class), service(RemoteFiles.class)), plan.action(), plan.via(), settings.acceptNewKey(),
                new BatchWork.Spare(settings.guestId(), password, noPassword));
        List<Batch.Outcome> outcomes;
        try {
            outcomes = Batch.run(plan.hosts(), settings.parallel(), settings.deadlineSeconds(), work,
                    (done, total, o) -> {
                        err.println("[" + done + "/" + total + "] " + PeerText.escape(o.host()) + ": "
                                + (o.ok() ? "ok" : "failed") + " (" + seconds(o.millis()) + ")");
                        err.flush();
                    });
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        return report(outcomes, (System.nanoTime() - start) / 1_000_000, out);
    }

    /**
     * Prints the results table, in full below it each output the table cut, and the count; true when every
     * Host succeeded. Every output and name is escaped: a Host's answer must not steer the terminal.
     */
    static boolean report(List<Batch.Outcome> outcomes, long millis, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        List<Batch.Outcome> cut = new ArrayList<>();
        int failed = 0;
        for (Batch.Outcome o : outcomes) {
            failed += o.ok() ? 0 : 1;
            String said = o.output();
            if (said.length() > ROW_OUTPUT || said.contains("\n")) {
                cut.add(o);
                // Lines end at \n only: a bare \r is the Host's and shows escaped, it starts no line of ours.
                said = said.split("\n", -1)[0];
                said = (said.length() > ROW_OUTPUT ? said.substring(0, ROW_OUTPUT) : said) + " [...]";
            }
            rows.add(List.of(o.host(), o.ok() ? "ok" : "FAILED", seconds(o.millis()), said));
        }
        table(List.of("HOST", "OUTCOME", "TIME", "OUTPUT"), rows, out);
        for (Batch.Outcome o : cut) {
            out.println("--- " + PeerText.escape(o.host()) + ":");
            for (String line : o.output().split("\n", -1)) {
                out.println("  " + PeerText.escape(line));
            }
        }
        out.println((outcomes.size() - failed) + " of " + outcomes.size() + " Host(s) succeeded, " + failed
                + " failed, in " + seconds(millis));
        out.flush();
        return failed == 0;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private int listSaved(List<String> rest) throws Usage, Failure {
        try {
            if (rest.isEmpty()) {
                List<String> names = saved.names();
                if (names.isEmpty()) {
                    out.println("No saved lists; 'tandem guest batch run HOSTS ACTION --save NAME' makes one.");
                }
                for (String n : names) {
                    out.println(n + " (" + saved.read(n).size() + " batch(es))");
                }
                return 0;
            }
            for (List<String> line : saved.read(only(rest, "saved", "NAME or nothing"))) {
                out.println(PeerText.escape(SavedBatches.join(line)));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            throw new Usage("tandem guest batch saved: " + e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Failure(e.getMessage(), ExitStatus.NOT_FOUND);
        } catch (IOException e) {
            throw new Failure("cannot read the saved lists: " + e.getMessage());
        }
    }

    /** {@code import FILE.csv [FOLDER]}: records in the reference's CSV syntax into the Guest's phonebook. */
    private int importCsv(List<String> rest) throws Usage, Failure {
        if (rest.isEmpty() || rest.size() > 2) {
            throw new Usage("tandem guest batch import: give FILE.csv and, if you like, the FOLDER to put it in");
        }
        Path file = Path.of(rest.get(0));
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_CSV) {
                throw new Failure(file + " is not a file of at most 1 MiB", ExitStatus.NOT_FOUND);
            }
            String csv = Files.readString(file, StandardCharsets.UTF_8);
            List<Entry> records = phonebook().importCsv(rest.size() == 2 ? rest.get(1) : "", csv, null);
            out.println("Imported " + records.size() + " record(s) into the phonebook of this Guest's home");
            return 0;
        } catch (PhonebookException e) {
            throw new Failure(e.getMessage());
        } catch (IOException e) {
            throw new Failure("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Aligned columns, every cell escaped (names and outputs come from records and Hosts). */
    private static void table(List<String> head, List<List<String>> rows, PrintStream out) {
        int[] width = new int[head.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        for (List<String> r : rows) {
            all.add(r.stream().map(PeerText::escape).toList());
        }
        for (List<String> r : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                String cell = r.get(i);
                b.append(i == width.length - 1 ? cell : cell + " ".repeat(width[i] - cell.length() + 2));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
