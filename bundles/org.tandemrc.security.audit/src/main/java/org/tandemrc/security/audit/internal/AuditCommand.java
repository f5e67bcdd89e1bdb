package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.tandemrc.api.node.Command;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem admin audit verify|search|export} inside the Security Server node. Times are ISO-8601
 * instants ({@code 2026-12-05T10:00:00Z}), UTC date-times ({@code 2026-12-05T10:00}) or UTC dates; the
 * export's file is written by the node, so the launcher gives it as an absolute path. Exit statuses as
 * {@link ExitStatus} makes them: 2 for a wrong command line, 1 for a database failure or a broken chain.
 */
final class AuditCommand implements Command {

    static final String USAGE = """
            usage: tandem admin audit verify
                   tandem admin audit search [--since T] [--until T] [--node N] [--user U] [--code C] [--limit N]
                   tandem admin audit export --csv FILE [--since T] [--until T] [--node N] [--user U] [--code C] [--limit N]""";

    /** Rows a search prints when no limit is given. */
    static final int DEFAULT_LIMIT = 100;

    private static final Set<String> FILTERS = Set.of("--since", "--until", "--node", "--user", "--code", "--limit");

    private final AuditStore store;
    private final Consumer<AuditStore.Verdict> verified;

    /** @param verified told each verification's result (the TSECAUDIT event) */
    AuditCommand(AuditStore store, Consumer<AuditStore.Verdict> verified) {
        this.store = store;
        this.verified = verified;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return ExitStatus.of(err, () -> {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("say what to do: verify, search, export\n" + USAGE);
            }
            List<String> rest = args.subList(1, args.size());
            switch (args.get(0)) {
                case "verify" -> {
                    if (!rest.isEmpty()) {
                        throw new IllegalArgumentException("verify takes no arguments");
                    }
                    AuditStore.Verdict v = store.verify();
                    verified.accept(v);
                    if (v.ok()) {
                        out.println("audit trail OK: " + v.rows() + " rows, the chain and its head match");
                        return ExitStatus.OK;
                    }
                    err.println("audit trail BROKEN: " + v.problem() + " (" + v.rows() + " rows before it match)");
                    return ExitStatus.FAILURE;
                }
                case "search" -> {
                    AuditStore.Query q = query(options(rest, FILTERS), DEFAULT_LIMIT);
                    out.printf("%-8s %-27s %-12s %-20s %-20s %-16s %s%n", "ID", "TIME", "CODE", "NODE", "PEER",
                            "USER", "DETAIL");
                    for (AuditRow r : store.search(q, 0)) {
                        out.printf("%-8d %-27s %-12s %-20s %-20s %-16s %s%n", r.id(), r.time(), PeerText.escape(r.code()),
                                PeerText.escape(r.name().isEmpty() ? r.node() : r.name()), PeerText.escape(r.peer()),
                                PeerText.escape(r.user()), PeerText.escape(r.detail()));
                    }
                    return ExitStatus.OK;
                }
                case "export" -> {
                    Set<String> known = new java.util.HashSet<>(FILTERS);
                    known.add("--csv");
                    Map<String, String> o = options(rest, known);
                    String file = o.get("--csv");
                    if (file == null) {
                        throw new IllegalArgumentException("export needs --csv FILE");
                    }
                    Path path = Path.of(file);
                    if (!path.isAbsolute()) {
                        throw new IllegalArgumentException("the node writes the file: give it as an absolute path, not "
                                + PeerText.escape(file));
                    }
                    // Without --limit the whole selection: pages keep the memory bounded, not the file.
                    long max = o.containsKey("--limit") ? query(o, DEFAULT_LIMIT).limit() : Long.MAX_VALUE;
                    long n = export(query(o, AuditStore.PAGE), path, max);
                    out.println(n + " rows written to " + path);
                    return ExitStatus.OK;
                }
                default -> throw new IllegalArgumentException("no audit command " + PeerText.escape(args.get(0)) + "\n"
                        + USAGE);
            }
        });
    }

    /**
     * Writes at most {@code max} rows matching {@code q} (its limit ignored) to {@code file} as CSV, a page at
     * a time; returns how many.
     */
    long export(AuditStore.Query q, Path file, long max) throws IOException {
        long n = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            w.write(Csv.line("id", "time", "source", "name", "seq", "code", "severity", "node", "peer", "user", "detail",
                    "hash"));
            long after = 0;
            while (n < max) {
                int page = (int) Math.min(AuditStore.PAGE, max - n);
                List<AuditRow> rows = store.search(new AuditStore.Query(q.since(), q.until(), q.node(), q.user(),
                        q.code(), page), after);
                for (AuditRow r : rows) {
                    w.write(Csv.line(Long.toString(r.id()), r.time().toString(), r.source(), r.name(),
                            Long.toString(r.seq()), r.code(), r.severity() == null ? "" : r.severity().name(), r.node(),
                            r.peer(), r.user(), r.detail(), r.hash()));
                    after = r.id();
                }
                n += rows.size();
                if (rows.size() < page) {
                    break;
                }
            }
        }
        return n;
    }

    private static Map<String, String> options(List<String> args, Set<String> known) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + PeerText.escape(name));
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            o.put(name, args.get(i + 1));
        }
        return o;
    }

    private static AuditStore.Query query(Map<String, String> o, int defaultLimit) {
        int limit = defaultLimit;
        if (o.containsKey("--limit")) {
            try {
                limit = Integer.parseInt(o.get("--limit"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--limit is a number, not " + PeerText.escape(o.get("--limit")));
            }
            if (limit < 1 || limit > AuditStore.MAX_LIMIT) {
                throw new IllegalArgumentException("--limit is 1 to " + AuditStore.MAX_LIMIT);
            }
        }
        return new AuditStore.Query(time(o.get("--since")), time(o.get("--until")), o.get("--node"), o.get("--user"),
                o.get("--code"), limit);
    }

    static Instant time(String t) {
        if (t == null) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    throw new IllegalArgumentException("not a time: " + PeerText.escape(t) + " (2026-12-05T10:00:00Z, 2026-12-05T10:00"
                            + " or 2026-12-05, UTC)");
                }
            }
        }
    }
}
