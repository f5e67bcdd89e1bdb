package org.tandemrc.tool.events.internal;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.process.Commands;

/**
 * The systemd journal through {@code journalctl}, which does the filtering itself ({@code -u}, {@code -t},
 * {@code -p}, {@code --since}); lines in {@code short-iso}, parsed as syslog lines. Following is
 * {@code journalctl -f}: journald rotates its own files, journalctl follows them.
 */
final class JournalEvents implements EventSource {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_OUTPUT = 16 * 1024 * 1024;

    private final Path journalctl;
    private final @Nullable Path directory;
    private final Clock clock;

    /** @param directory journal files to read instead of the system's (tests; a copied journal) */
    JournalEvents(Path journalctl, @Nullable Path directory, Clock clock) {
        this.journalctl = journalctl;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "the journal";
    }

    /** journalctl's arguments for a filter: each value its own argv entry, after the name check. */
    List<String> argv(Filter filter, boolean follow) {
        List<String> argv = new ArrayList<>(List.of(journalctl.toString(), "--no-pager", "--quiet", "--output=short-iso"));
        if (directory != null) {
            argv.add("--directory=" + directory);
        }
        argv.add("--lines=" + (follow ? 0 : filter.lines()));
        if (follow) {
            argv.add("--follow");
        }
        if (filter.unit() != null) {
            argv.add("--unit=" + filter.unit());
        }
        if (filter.program() != null) {
            argv.add("--identifier=" + filter.program());
        }
        if (filter.priority() >= 0) {
            argv.add("--priority=" + filter.priority());
        }
        if (filter.since() != null && !follow) {
            argv.add("--since=@" + filter.since().getEpochSecond());
        }
        return argv;
    }

    @Override
    public List<LogLine> recent(Filter filter) throws ToolException {
        Commands.Outcome o = Commands.run(argv(filter, false), TIMEOUT, MAX_OUTPUT);
        if (o.status() != 0) {
            throw new ToolException("journalctl failed: " + o.lastLine());
        }
        Instant now = clock.instant();
        List<LogLine> lines = new ArrayList<>();
        for (String raw : o.output().split("\n")) {
            if (!raw.isEmpty() && !raw.startsWith("-- ")) {
                lines.add(LogLine.parse(raw, clock.getZone(), now));
            }
        }
        return lines.subList(Math.max(0, lines.size() - filter.lines()), lines.size());
    }

    @Override
    public StreamInput follow(Filter filter, ToolStream out) throws ToolException {
        ProcessBuilder pb = new ProcessBuilder(argv(filter, true)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException("journalctl could not be started: " + e.getMessage(), e);
        }
        LineSink sink = new LineSink(out);
        Thread t = new Thread(() -> {
            String last = "";
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    last = line;
                    String cut = line.length() > LogLine.MAX_LINE ? line.substring(0, LogLine.MAX_LINE) : line;
                    // A batch goes out once journalctl has nothing more ready.
                    if (!sink.add(cut) || !r.ready() && !sink.flush()) {
                        return;
                    }
                }
                // Closed by the Guest, journalctl was stopped: nothing more goes out.
                if (out.isOpen() && sink.flush()) {
                    int status = p.waitFor();
                    out.end("journalctl ended (exit status " + status + ")" + (last.isEmpty() ? "" : ": " + last), false);
                }
            } catch (IOException | InterruptedException e) {
                // closed: the process was stopped
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "events journal " + out.guestName());
        t.setDaemon(true);
        t.start();
        return reason -> {
            p.destroyForcibly();
            t.interrupt();
        };
    }
}
