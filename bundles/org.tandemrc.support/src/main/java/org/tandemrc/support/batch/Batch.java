package org.tandemrc.support.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;

/**
 * One action run on many Hosts at once: at most {@code parallel} at a time, each Host on its own, so one
 * that fails or hangs (past the per-Host deadline its connection is closed) does not hold up or stop the
 * others. The outcomes come back in the order of the Hosts.
 */
public final class Batch {

    /** The most Hosts one batch takes: a selection is bounded before anything is allocated for it. */
    public static final int MAX_HOSTS = 1000;
    public static final int MAX_PARALLEL = 64;
    /** The most characters of a Host's output kept for the table (its answer is the Host's, unbounded). */
    public static final int MAX_OUTPUT = 2000;

    /** What to do on each Host, as the command line and a saved list write it. */
    public sealed interface Action permits Message, Tool, Send, Wake {
        /** The words that give this action again, e.g. {@code tool processes list}. */
        List<String> words();
    }

    public record Message(String text) implements Action {
        @Override
        public List<String> words() {
            return List.of("message", text);
        }
    }

    public record Tool(String tool, String operation, Map<String, String> arguments) implements Action {
        @Override
        public List<String> words() {
            List<String> w = new ArrayList<>(List.of("tool", tool, operation));
            arguments.forEach((k, v) -> w.add(k + "=" + v));
            return w;
        }
    }

    public record Send(Path file) implements Action {
        @Override
        public List<String> words() {
            return List.of("send", file.toString());
        }
    }

    /** Wake each Host's MAC address from this Guest ({@code via} null) or through the Host of the record {@code via}. */
    public record Wake(@Nullable String via) implements Action {
        @Override
        public List<String> words() {
            return via == null ? List.of("wake") : List.of("wake", "via", via);
        }
    }

    /**
     * The records {@code selection} names, comma-separated: {@code FOLDER/} is a folder with its subfolders,
     * {@code /} the whole phonebook, anything else one record's path ({@code FOLDER/DESCRIPTION}); each record
     * once, at most {@link #MAX_HOSTS}.
     *
     * @throws java.util.NoSuchElementException naming a folder or record the phonebook does not have
     * @throws IllegalArgumentException when the selection is empty somewhere or selects too many
     */
    public static List<Entry> select(Phonebook book, String selection) throws PhonebookException {
        Map<String, Entry> hosts = new LinkedHashMap<>();
        for (String item : selection.split(",", -1)) {
            String s = item.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("an empty name in the Hosts '" + selection + "'");
            }
            List<Entry> found;
            if (s.endsWith("/")) {
                String folder = s.equals("/") ? "" : s.substring(0, s.length() - 1);
                if (!book.folders().contains(folder)) {
                    throw new java.util.NoSuchElementException("there is no phonebook folder " + folder);
                }
                found = book.entries(folder, true);
            } else {
                found = List.of(record(book, s).orElseThrow(() -> new java.util.NoSuchElementException(
                        "there is no phonebook record " + s + " (a folder ends with /)")));
            }
            for (Entry e : found) {
                hosts.putIfAbsent(e.path(), e);
                if (hosts.size() > MAX_HOSTS) {
                    throw new IllegalArgumentException("more than " + MAX_HOSTS + " Hosts selected");
                }
            }
        }
        if (hosts.isEmpty()) {
            throw new java.util.NoSuchElementException("'" + selection + "' holds no records");
        }
        return new ArrayList<>(hosts.values());
    }

    /** The record at {@code path} ({@code FOLDER/DESCRIPTION}, or a description in the root). */
    public static java.util.Optional<Entry> record(Phonebook book, String path) throws PhonebookException {
        int slash = path.lastIndexOf('/');
        return book.entry(slash < 0 ? "" : path.substring(0, slash), path.substring(slash + 1));
    }

    /** How one Host fared: its record's path, whether the action succeeded, what it said, how long it took. */
    public record Outcome(String host, boolean ok, String output, long millis) {
    }

    /** Runs the action on one Host; returns what it printed, or throws with the reason it failed. */
    @FunctionalInterface
    public interface Work {
        String run(Entry host, Attempt attempt) throws Exception;
    }

    /** One Host's run: the connection it opens is registered, so that a deadline can close it. */
    public static final class Attempt {
        private final AtomicReference<@Nullable HostConnection> connection = new AtomicReference<>();
        private volatile boolean expired;

        /** Keeps {@code c} to close when the deadline passes; closes it at once when it passed already. */
        public HostConnection track(HostConnection c) {
            connection.set(c);
            if (expired) {
                c.close("the batch's deadline for this Host passed");
            }
            return c;
        }

        /** Whether the deadline passed: work that waits without a connection checks it. */
        public boolean expired() {
            return expired;
        }

        void expire() {
            expired = true;
            HostConnection c = connection.get();
            if (c != null) {
                c.close("the batch's deadline for this Host passed");
            }
        }
    }

    /** Hears each outcome as it comes, from the worker threads (one at a time). */
    @FunctionalInterface
    public interface Progress {
        void finished(int done, int total, Outcome outcome);
    }

    private Batch() {
    }

    /** Runs {@code work} on every Host, {@code parallel} at a time, each within {@code deadlineSeconds}. */
    public static List<Outcome> run(List<Entry> hosts, int parallel, int deadlineSeconds, Work work, Progress progress)
            throws InterruptedException {
        if (hosts.size() > MAX_HOSTS || parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("at most " + MAX_HOSTS + " Hosts, 1.." + MAX_PARALLEL + " at a time");
        }
        int threads = Math.max(1, Math.min(parallel, hosts.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tandem-batch");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-batch-deadline");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        Object report = new Object();
        try {
            List<Future<Outcome>> futures = new ArrayList<>(hosts.size());
            for (Entry host : hosts) {
                futures.add(pool.submit(() -> {
                    Outcome o = one(host, deadlineSeconds, work, timer);
                    synchronized (report) {
                        progress.finished(done.incrementAndGet(), hosts.size(), o);
                    }
                    return o;
                }));
            }
            List<Outcome> outcomes = new ArrayList<>(hosts.size());
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("a batch worker failed", e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static Outcome one(Entry host, int deadlineSeconds, Work work, ScheduledExecutorService timer) {
        long start = System.nanoTime();
        Attempt attempt = new Attempt();
        ScheduledFuture<?> deadline = timer.schedule(attempt::expire, deadlineSeconds, TimeUnit.SECONDS);
        boolean ok;
        String output;
        try {
            output = work.run(host, attempt);
            ok = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output = "interrupted";
            ok = false;
        } catch (Exception e) {
            output = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            ok = false;
        } finally {
            deadline.cancel(false);
        }
        if (attempt.expired()) {
            ok = false;
            output = "no outcome within " + deadlineSeconds + " s" + (output == null ? "" : " (" + output + ")");
        }
        String kept = output == null ? "" : output.length() > MAX_OUTPUT ? output.substring(0, MAX_OUTPUT) + "..." : output;
        return new Outcome(host.path(), ok, kept, (System.nanoTime() - start) / 1_000_000);
    }
}
