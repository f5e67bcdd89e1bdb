package org.tandemrc.webconsole.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.support.batch.Batch.Action;
import org.tandemrc.support.batch.Batch.Outcome;
import org.tandemrc.support.batch.BatchWork;

/**
 * The Many Hosts page's side on the node: one action (a message, a tool operation, Wake-on-LAN from this
 * node or through a Host) on records of the login's phonebook, run by the same engine as
 * {@code tandem guest batch}; the page asks for the run's table as it fills. Records log on with their own
 * logon and password. A login sees only its own runs; the last few are kept.
 */
@Component(service = Batch.class)
public class Batch {

    /** Runs kept per node: the oldest finished one goes first. */
    static final int KEPT = 20;
    static final int DEFAULT_PARALLEL = 8;
    static final int DEADLINE_SECONDS = 120;

    @Reference
    Connections connections;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteTools remoteTools;

    /** One run: whose, how many Hosts, the rows so far (in the order they finished), whether it ended. */
    static final class Run {
        final String id;
        final String account;
        final String title;
        final int total;
        final List<Map<String, Object>> rows = new ArrayList<>();
        volatile boolean finished;
        /** The order runs started in: the oldest finished one is dropped first. */
        final long started = STARTED.incrementAndGet();

        Run(String id, String account, String title, int total) {
            this.id = id;
            this.account = account;
            this.title = title;
            this.total = total;
        }

        synchronized Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("title", title);
            m.put("total", total);
            m.put("done", rows.size());
            m.put("failed", rows.stream().filter(r -> !Boolean.TRUE.equals(r.get("ok"))).count());
            m.put("finished", finished);
            m.put("rows", List.copyOf(rows));
            return m;
        }

        synchronized void add(Outcome o) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("host", o.host());
            r.put("ok", o.ok());
            r.put("output", o.output());
            r.put("millis", o.millis());
            rows.add(r);
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong STARTED = new java.util.concurrent.atomic.AtomicLong();

    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** Starts {@code body}'s action on its Hosts in {@code book}; answers the run's id at once. */
    Map<String, Object> start(Phonebook book, String account, Map<String, Object> body) throws Api.Problem {
        String selection = Api.string(body, "hosts", true);
        Action action = action(body.get("action"));
        int parallel = body.get("parallel") instanceof Number n ? n.intValue() : DEFAULT_PARALLEL;
        if (parallel < 1 || parallel > org.tandemrc.support.batch.Batch.MAX_PARALLEL) {
            throw bad("parallel is 1.." + org.tandemrc.support.batch.Batch.MAX_PARALLEL);
        }
        List<Entry> hosts;
        Entry via = null;
        try {
            hosts = org.tandemrc.support.batch.Batch.select(book, selection);
            if (action instanceof org.tandemrc.support.batch.Batch.Wake w && w.via() != null) {
                via = org.tandemrc.support.batch.Batch.record(book, w.via()).orElseThrow(
                        () -> new java.util.NoSuchElementException("there is no phonebook record " + w.via()
                                + " to wake through"));
            }
        } catch (java.util.NoSuchElementException e) {
            throw new Api.Problem(HttpServletResponse.SC_NOT_FOUND, e.getMessage());
        } catch (IllegalArgumentException | PhonebookException e) {
            throw bad(e.getMessage());
        }
        BatchWork work = new BatchWork(new BatchWork.Services(connections.guest, connections.remoteMessages,
                remoteTools, connections.remoteFiles), action, via, false,
                new BatchWork.Spare(null, null, "the record has no password: save one in the phonebook"));
        Run run = new Run(java.util.UUID.randomUUID().toString(), account, String.join(" ", action.words()), hosts.size());
        keep(run);
        int threads = parallel;
        connections.work.execute(() -> {
            try {
                org.tandemrc.support.batch.Batch.run(hosts, threads, DEADLINE_SECONDS, work, (done, total, o) -> run.add(o));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                run.finished = true;
            }
        });
        return Map.of("run", run.describe());
    }

    /** The run {@code id} of {@code account} as it stands. */
    Map<String, Object> state(String id, String account) throws Api.Problem {
        Run run = id == null ? null : runs.get(id);
        if (run == null || !run.account.equals(account)) {
            throw new Api.Problem(HttpServletResponse.SC_NOT_FOUND, "no such batch run");
        }
        return Map.of("run", run.describe());
    }

    void keep(Run run) {
        runs.put(run.id, run);
        while (runs.size() > KEPT) {
            Run oldest = runs.values().stream().filter(r -> r.finished)
                    .min(java.util.Comparator.comparingLong(r -> r.started)).orElse(null);
            if (oldest == null) {
                break;
            }
            runs.remove(oldest.id);
        }
    }

    /**
     * The action of the page's JSON: {@code {"kind":"message","text":...}}, {@code {"kind":"tool","tool":...,
     * "operation":...,"arguments":{...}}}, {@code {"kind":"wake"}} or {@code {"kind":"wake","via":RECORD}}.
     * Offering a file needs its upload first: the command line does that ({@code batch run HOSTS send FILE}).
     */
    static Action action(Object json) throws Api.Problem {
        if (!(json instanceof Map<?, ?> m)) {
            throw bad("say which action");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) m;
        String kind = Api.string(a, "kind", true);
        switch (kind) {
            case "message" -> {
                String text = Api.string(a, "text", true);
                if (text.isBlank()) {
                    throw bad("give the message's text");
                }
                return new org.tandemrc.support.batch.Batch.Message(text);
            }
            case "tool" -> {
                Map<String, String> arguments = new LinkedHashMap<>();
                if (a.get("arguments") instanceof Map<?, ?> args) {
                    for (Map.Entry<?, ?> e : args.entrySet()) {
                        if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
                            throw bad("a tool's arguments are names with text values");
                        }
                        arguments.put(k, v);
                    }
                } else if (a.get("arguments") != null) {
                    throw bad("a tool's arguments are names with text values");
                }
                return new org.tandemrc.support.batch.Batch.Tool(Api.string(a, "tool", true),
                        Api.string(a, "operation", true), arguments);
            }
            case "wake" -> {
                String via = Api.string(a, "via", false);
                return new org.tandemrc.support.batch.Batch.Wake(via.isBlank() ? null : via);
            }
            default -> throw bad("the action is message, tool or wake, not '" + kind + "'");
        }
    }

    private static Api.Problem bad(String message) {
        return new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, message);
    }
}
