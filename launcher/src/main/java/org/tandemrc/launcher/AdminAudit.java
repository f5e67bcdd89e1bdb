package org.tandemrc.launcher;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem admin audit ...}: the Security Server's central audit trail. The export's file is named with
 * an absolute path, since the running node writes it.
 */
@Command(name = "audit", description = "on a Security Server: the central audit trail: verify its hash chain,"
        + " search it, export it as CSV",
        subcommands = {AdminAudit.Verify.class, AdminAudit.Search.class, AdminAudit.Export.class})
final class AdminAudit extends Cli.Group {

    /** What to select; times are 2026-12-05T10:00:00Z, 2026-12-05T10:00 or 2026-12-05 (UTC). */
    static final class Filters {
        @Option(names = "--since", paramLabel = "TIME", description = "from this time on (inclusive)")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "before this time")
        String until;

        @Option(names = "--node", paramLabel = "NAME", description = "events of this node (Host, Guest, Gateway)")
        String node;

        @Option(names = "--user", paramLabel = "USER", description = "events of this Guest (the authenticated user)")
        String user;

        @Option(names = "--code", paramLabel = "CODE", description = "event codes starting so, e.g. TSECSS")
        String code;

        @Option(names = "--limit", paramLabel = "N", description = "at most N rows (search: default 100)")
        Integer limit;
    }

    @Command(name = "verify", description = "walk the hash chain: OK with the number of rows, or the first row"
            + " edited or deleted (exit status 1)")
    static final class Verify extends AdminCli.Request {
    }

    @Command(name = "search", description = "the matching rows, oldest first")
    static final class Search extends AdminCli.Request {
        @CommandLine.Mixin
        Filters filters;
    }

    @Command(name = "export", description = "write the matching rows to a CSV file (RFC 4180; a field starting"
            + " with = + - @ gets a leading ')")
    static final class Export extends AdminCli.Request {
        @Option(names = "--csv", paramLabel = "FILE", required = true, description = "the file to write")
        String csv;

        @CommandLine.Mixin
        Filters filters;

        @Override
        public Integer call() throws Exception {
            return AdminCli.send(spec, request());
        }

        /** The normalised request with the file's absolute path. */
        List<String> request() {
            List<String> request = new java.util.ArrayList<>(
                    Cli.normalised(spec.root().commandLine().getParseResult().subcommand()));
            int i = request.indexOf("--csv");
            request.set(i + 1, Path.of(csv).toAbsolutePath().toString());
            return request;
        }
    }
}
