package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.tandemrc.api.node.Command;
import org.tandemrc.security.audit.query.AuditQuery;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem admin audit verify|search|export} inside the Security Server node, on {@link Audit} as the
 * browser console is. Times are ISO-8601
 * instants ({@code 2026-12-05T10:00:00Z}), UTC date-times ({@code 2026-12-05T10:00}) or UTC dates; the
 * export's file is written by the node, so the launcher gives it as an absolute path. Exit statuses as
 * {@link ExitStatus} makes them: 2 for a wrong command line, 1 for a database failure or a broken chain.
 */
final class AuditCommand implements Command {

    static final String USAGE = """
            usage: tandem admin audit verify
                   tandem admin audit search [--since T] [--until T] [--node N] [--user U] [--code C] [--limit N]
                   tandem admin audit export --csv FILE [--since T] [--until T] [--node N] [--user U] [--code C] [--limit N]""";

    private static final Set<String> FILTERS = Set.of("--since", "--until", "--node", "--user", "--code", "--limit");

    private final Audit audit;

    /** @param verified told each verification's result (the TSECAUDIT event) */
    AuditCommand(AuditStore store, Consumer<AuditStore.Verdict> verified) {
        this.audit = new Audit(store, verified);
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
                    AuditQuery.Verdict v = audit.verify();
                    if (v.ok()) {
                        out.println("audit trail OK: " + v.rows() + " rows, the chain and its head match");
                        return ExitStatus.OK;
                    }
                    err.println("audit trail BROKEN: " + v.problem() + " (" + v.rows() + " rows before it match)");
                    return ExitStatus.FAILURE;
                }
                case "search" -> {
                    AuditQuery.Filter q = filter(options(rest, FILTERS));
                    out.printf("%-8s %-27s %-12s %-20s %-20s %-16s %s%n", "ID", "TIME", "CODE", "NODE", "PEER",
                            "USER", "DETAIL");
                    for (AuditQuery.Row r : audit.search(q)) {
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
                    AuditQuery.Filter q = filter(o);
                    // Without --limit the whole selection: pages keep the memory bounded, not the file.
                    long max = o.containsKey("--limit") ? q.limit() : Long.MAX_VALUE;
                    long n;
                    try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                        n = audit.exportCsv(q, max, w);
                    }
                    out.println(n + " rows written to " + path);
                    return ExitStatus.OK;
                }
                default -> throw new IllegalArgumentException("no audit command " + PeerText.escape(args.get(0)) + "\n"
                        + USAGE);
            }
        });
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

    private AuditQuery.Filter filter(Map<String, String> o) {
        return audit.filter(o.get("--since"), o.get("--until"), o.get("--node"), o.get("--user"), o.get("--code"),
                o.get("--limit"), AuditQuery.DEFAULT_LIMIT);
    }
}
