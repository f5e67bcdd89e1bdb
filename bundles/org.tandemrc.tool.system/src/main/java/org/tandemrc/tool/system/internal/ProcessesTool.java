package org.tandemrc.tool.system.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Task Manager: the Host's processes as the JDK's {@link ProcessHandle} sees them (pid, command line,
 * user, start time, CPU time) and, where {@code /proc} exists (Linux), each one's name, CPU use and
 * resident memory; and ending one. The node's own process and the system's init (pid 1) are never ended;
 * a process the node's user may not signal is refused with the reason. The list is sorted and filtered on the
 * Host, and {@code watch} shows it again and again as a live table until the Guest closes it.
 */
@Component(service = RemoteTool.class)
@TandemToolId(ProcessesTool.ID)
public class ProcessesTool extends OperationTool implements StreamingTool {

    static final String ID = "processes";
    /** A command line is cut to this many characters, so a list of processes fits one message. */
    static final int MAX_COMMAND = 300;
    /** At most this many processes (the lowest pids) are listed, so the list fits one answer. */
    static final int MAX_PROCESSES = 2000;
    /**
     * At most this many processes (the lowest pids) are read before sorting and filtering, so a Host with
     * a runaway number of processes still answers in bounded time.
     */
    static final int MAX_SCANNED = 20_000;
    /** A filter longer than this cannot name a process usefully; it is refused. */
    static final int MAX_FILTER = 200;
    /** Refresh interval of {@code watch} in seconds: its default and bounds. */
    static final int WATCH_SECONDS = 2;
    static final int MIN_WATCH_SECONDS = 1;
    static final int MAX_WATCH_SECONDS = 3600;
    /** Bytes read of one {@code /proc/PID/stat} or {@code status}; both are far shorter. */
    static final int MAX_PROC_FILE = 8192;
    /** CPU use is measured between two readings of {@code /proc} this far apart. */
    static final long SAMPLE_MILLIS = 250;
    /**
     * Clock ticks per second of the times in {@code /proc/PID/stat}: USER_HZ, which the kernel fixes at 100
     * for user space on every architecture the JDK runs on, whatever its own tick rate.
     */
    static final int TICKS_PER_SECOND = 100;
    /** How long {@code end} waits for the process to go. */
    static final long WAIT_MILLIS = 5_000;

    /** Sort orders: CPU, memory and CPU time put the largest first, as a task manager does; the others ascend. */
    enum Sort {
        PID, NAME, USER, CPU, MEMORY, TIME, STARTED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final Field SORT = new Field("sort", "Sort by", FieldType.CHOICE, false,
            Arrays.stream(Sort.values()).map(Sort::id).toList());
    static final Field FILTER = Field.of("filter", "Only names, users or commands containing", FieldType.TEXT, false);
    static final Field SECONDS = Field.of("seconds", "Refresh every (seconds)", FieldType.INTEGER, false);
    static final Operation LIST = new Operation("list", "List processes", List.of(SORT, FILTER), false);
    static final Operation WATCH = new Operation("watch", "Watch processes", List.of(SORT, FILTER, SECONDS), false,
            StreamKind.TABLE);
    static final Operation END = new Operation("end", "End process", List.of(
            Field.of("pid", "Process ID", FieldType.INTEGER, true),
            Field.of("force", "Force (kill at once)", FieldType.BOOLEAN, false)), true);

    /**
     * The command line, the widest, goes last. "cpuPercent" is a number as text (one decimal): the share of
     * one processor the process used over {@link #SAMPLE_MILLIS} while the list was made, as top counts it
     * (above 100 for a process busy on several processors); its label names the interval.
     */
    static final List<Field> COLUMNS = List.of(
            Field.of("pid", "PID", FieldType.INTEGER, false),
            Field.of("name", "Name", FieldType.TEXT, false),
            Field.of("user", "User", FieldType.TEXT, false),
            Field.of("cpuPercent", "CPU % (" + SAMPLE_MILLIS / 1000.0 + " s)", FieldType.TEXT, false),
            Field.of("memory", "Memory", FieldType.BYTES, false),
            Field.of("cpu", "CPU time", FieldType.TEXT, false),
            Field.of("started", "Started", FieldType.TIMESTAMP, false),
            Field.of("command", "Command", FieldType.TEXT, false));

    public ProcessesTool() {
        super(ID, "Task Manager", "System");
        operation(LIST, arguments -> list(Path.of("/proc"), View.of(arguments)));
        operation(WATCH, arguments -> {
            throw new ToolException(WATCH.title() + " is a live table: it is opened as a stream, not run once");
        });
        operation(END, arguments -> end(Long.parseLong(arguments.get("pid")),
                Boolean.parseBoolean(arguments.get("force"))));
    }

    /**
     * What {@code /proc} tells of one process at one moment: its name, CPU ticks so far and resident bytes (-1 for
     * a kernel thread, which has no memory of its own).
     */
    record Reading(String name, long ticks, long resident) {
    }

    /** How the Guest asked to see the list: its order and the text a row must contain (empty: every row). */
    record View(Sort sort, String filter) {
        static final View ALL = new View(Sort.PID, "");

        static View of(Map<String, String> arguments) throws ToolException {
            String sort = arguments.getOrDefault("sort", "");
            String filter = arguments.getOrDefault("filter", "").strip();
            if (filter.length() > MAX_FILTER) {
                throw new ToolException("the filter is longer than " + MAX_FILTER + " characters");
            }
            Sort order = sort.isEmpty() ? Sort.PID : Arrays.stream(Sort.values())
                    .filter(o -> o.id().equals(sort)).findFirst()
                    .orElseThrow(() -> new ToolException("cannot sort by '" + sort + "'; by one of " + SORT.choices()));
            return new View(order, filter.toLowerCase(Locale.ROOT));
        }

        /** Whether a row's name, user or command contains the filter, ignoring case. */
        boolean shows(List<String> row) {
            return filter.isEmpty() || row.get(1).toLowerCase(Locale.ROOT).contains(filter)
                    || row.get(2).toLowerCase(Locale.ROOT).contains(filter)
                    || row.get(7).toLowerCase(Locale.ROOT).contains(filter);
        }

        Comparator<List<String>> order() {
            Comparator<List<String>> byPid = Comparator.comparingLong(r -> Long.parseLong(r.get(0)));
            Comparator<List<String>> c = switch (sort) {
                case PID -> byPid;
                case NAME -> Comparator.comparing((List<String> r) -> r.get(1), String.CASE_INSENSITIVE_ORDER);
                case USER -> Comparator.comparing((List<String> r) -> r.get(2));
                case CPU -> Comparator.comparingDouble((List<String> r) -> number(r.get(3))).reversed();
                case MEMORY -> Comparator.comparingDouble((List<String> r) -> number(r.get(4))).reversed();
                case TIME -> Comparator.comparing((List<String> r) -> r.get(5), TIME_ORDER).reversed();
                // a process without a start time goes last
                case STARTED -> Comparator.comparing((List<String> r) -> r.get(6).isEmpty() ? Instant.MAX
                        : Instant.parse(r.get(6)));
            };
            return c.thenComparing(byPid);
        }

        private static double number(String s) {
            return s.isEmpty() ? -1 : Double.parseDouble(s);
        }
    }

    /** H:MM:SS of {@link #cpu}: a longer text is more hours; empty (unknown) goes below everything. */
    private static final Comparator<String> TIME_ORDER = Comparator.comparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());

    static Result.Table list(Path proc) throws ToolException {
        return list(proc, View.ALL);
    }

    static Result.Table list(Path proc, View view) throws ToolException {
        List<ProcessHandle> handles = ProcessHandle.allProcesses().sorted(Comparator.comparingLong(ProcessHandle::pid))
                .limit(MAX_SCANNED).toList();
        Map<Long, Reading> before = readAll(proc, handles);
        long start = System.nanoTime();
        if (!before.isEmpty()) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ToolException("interrupted while measuring CPU use");
            }
        }
        Map<Long, Reading> after = readAll(proc, handles);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<List<String>> rows = new ArrayList<>();
        for (ProcessHandle p : handles) {
            ProcessHandle.Info info = p.info();
            Reading was = before.get(p.pid());
            Reading now = after.get(p.pid());
            String name = now != null ? now.name() : info.command().map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("");
            rows.add(List.of(Long.toString(p.pid()), name, info.user().orElse(""),
                    was != null && now != null ? percent(now.ticks() - was.ticks(), seconds) : "",
                    now != null && now.resident() >= 0 ? Long.toString(now.resident()) : "",
                    info.totalCpuDuration().map(ProcessesTool::cpu).orElse(""),
                    info.startInstant().map(Object::toString).orElse(""), command(info)));
        }
        return new Result.Table(COLUMNS, rows.stream().filter(view::shows).sorted(view.order())
                .limit(MAX_PROCESSES).toList());
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output)
            throws ToolException {
        if (!WATCH.id().equals(operationId)) {
            throw new ToolException("Task Manager has no streaming operation '" + operationId + "'");
        }
        View view = View.of(arguments);
        int seconds = WATCH_SECONDS;
        String s = arguments.getOrDefault("seconds", "");
        if (!s.isEmpty()) {
            long asked = s.matches("\\d{1,9}") ? Long.parseLong(s) : -1;
            if (asked < MIN_WATCH_SECONDS || asked > MAX_WATCH_SECONDS) {
                throw new ToolException("the refresh interval must be " + MIN_WATCH_SECONDS + " to "
                        + MAX_WATCH_SECONDS + " seconds, not '" + s + "'");
            }
            seconds = (int) asked;
        }
        Watch watch = new Watch(view, seconds * 1000L, output);
        Thread t = new Thread(watch, "tandem-processes-watch");
        t.setDaemon(true);
        t.start();
        return watch;
    }

    /** The live table: a new list each interval, once the Guest took the one before (flow control). */
    private static final class Watch implements Runnable, StreamInput {
        private final View view;
        private final long millis;
        private final ToolStream output;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        Watch(View view, long millis, ToolStream output) {
            this.view = view;
            this.millis = millis;
            this.output = output;
        }

        @Override
        public void run() {
            try {
                while (!closed.isDone() && output.isOpen()) {
                    output.show(list(Path.of("/proc"), view)).toCompletableFuture().get();
                    try {
                        closed.get(millis, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        // time for the next list
                    }
                }
            } catch (ToolException e) {
                output.end(e.getMessage(), false);
            } catch (InterruptedException e) {
                output.end("interrupted", false);
            } catch (ExecutionException e) {
                // the stream ended while the list was on its way: nothing more to show
            }
        }

        @Override
        public void closed(String reason) {
            closed.complete(null);
        }
    }

    /** CPU ticks over an interval as a share of one processor, with one decimal ("12.5"). */
    static String percent(long ticks, double seconds) {
        double p = seconds <= 0 ? 0 : Math.max(0, ticks) * 100.0 / TICKS_PER_SECOND / seconds;
        return String.format(Locale.ROOT, "%.1f", p);
    }

    /** The readings of those processes {@code /proc} has (none where there is no {@code /proc}). */
    static Map<Long, Reading> readAll(Path proc, List<ProcessHandle> handles) {
        Map<Long, Reading> m = new HashMap<>();
        if (!Files.isDirectory(proc)) {
            return m;
        }
        for (ProcessHandle p : handles) {
            Reading r = read(proc.resolve(Long.toString(p.pid())));
            if (r != null) {
                m.put(p.pid(), r);
            }
        }
        return m;
    }

    /**
     * One process's reading from its {@code /proc/PID} folder, or null when it is gone or unreadable. The
     * name in {@code stat} is in parentheses and may itself hold spaces and parentheses: the fields start
     * after the last ')'.
     */
    static Reading read(Path dir) {
        String stat = head(dir.resolve("stat"));
        if (stat == null) {
            return null;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // After the name: state is field 3, utime 14 and stime 15 (proc(5)).
        if (f.length < 13) {
            return null;
        }
        long ticks;
        try {
            ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (NumberFormatException e) {
            return null;
        }
        return new Reading(stat.substring(open + 1, close), ticks, resident(head(dir.resolve("status"))));
    }

    /** {@code VmRSS} of a {@code status} file in bytes; -1 when it has none (a kernel thread) or is unreadable. */
    static long resident(String status) {
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    try {
                        return Long.parseLong(f[0]) * 1024;
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                }
            }
        }
        return -1;
    }

    /** The first {@link #MAX_PROC_FILE} bytes of a file as text, or null when it cannot be read. */
    static String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_PROC_FILE), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static String command(ProcessHandle.Info info) {
        String c = info.commandLine().orElse(info.command().orElse(""));
        return c.length() <= MAX_COMMAND ? c : c.substring(0, MAX_COMMAND - 3) + "...";
    }

    /** CPU time as H:MM:SS. */
    static String cpu(Duration d) {
        long s = d.toSeconds();
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    static Result.Message end(long pid, boolean force) throws ToolException {
        if (pid == ProcessHandle.current().pid()) {
            throw new ToolException("process " + pid + " is this Tandem node itself; it is not ended from here");
        }
        if (pid == 1) {
            throw new ToolException("process 1 is the system's init; ending it would stop the Host");
        }
        Optional<ProcessHandle> found = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (found.isEmpty() || !found.get().isAlive()) {
            throw new ToolException("there is no process " + pid);
        }
        ProcessHandle p = found.get();
        String name = p.info().command().map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("");
        String which = "process " + pid + (name.isEmpty() ? "" : " (" + name + ")");
        boolean asked;
        try {
            asked = force ? p.destroyForcibly() : p.destroy();
        } catch (IllegalStateException | SecurityException e) {
            throw new ToolException(which + " cannot be ended: " + e.getMessage());
        }
        if (!asked) {
            if (!p.isAlive()) {
                return new Result.Message(capitalized(which) + " ended.");
            }
            throw new ToolException(which + " cannot be ended: not permitted for the user this Host runs as");
        }
        try {
            p.onExit().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ToolException(which + " was asked to end and still runs after " + WAIT_MILLIS / 1000 + " s"
                    + (force ? "" : "; end it with force=true"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while waiting for " + which + " to end");
        } catch (ExecutionException e) {
            // onExit does not fail; if it did, the state below says what happened
        }
        return new Result.Message(capitalized(which) + (force ? " was killed." : " ended."));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
