package org.tandemrc.tool.events.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.process.Commands;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Event Viewer: the Host's system log, from the journal where journald keeps one (its runtime folder
 * {@code /run/systemd/journal} or journal files under {@code /var/log/journal}), else from the syslog
 * files; the recent events as a table, and {@code follow} as a text stream of the new ones.
 */
@Component(service = RemoteTool.class, configurationPid = EventsTool.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EventsTool.Config.class)
@TandemToolId(EventsTool.ID)
public class EventsTool extends OperationTool implements StreamingTool {

    static final String ID = "events";
    static final String PID = "org.tandemrc.tool.events";
    /** Bytes of cells in one table: with the wire's framing it stays below the tools session's 1 MiB answer. */
    static final int MAX_TABLE_BYTES = 768 * 1024;

    @ObjectClassDefinition(name = "Tandem Event Viewer")
    public @interface Config {
        @AttributeDefinition(description = "auto (the journal where journald keeps one, else the files), journal or files")
        String source() default "auto";

        @AttributeDefinition(description = "The syslog files read, in this order, where there is no journal")
        String[] files() default {"/var/log/syslog", "/var/log/messages", "/var/log/auth.log", "/var/log/secure",
            "/var/log/kern.log", "/var/log/daemon.log", "/var/log/user.log"};
    }

    static final Field UNIT = Field.of("unit", "Unit (systemd)", FieldType.TEXT, false);
    static final Field PROGRAM = Field.of("program", "Program", FieldType.TEXT, false);
    static final Field PRIORITY = new Field("priority", "Priority (and more urgent)", FieldType.CHOICE, false,
            List.of(LogLine.PRIORITIES));
    static final Field SINCE = Field.of("since", "Since (2026-12-05T14:00, 30m, 2h, 7d)", FieldType.TEXT, false);
    static final Field LINES = Field.of("lines", "Lines (at most " + Filter.MAX_LINES + ")", FieldType.INTEGER, false);
    static final List<Field> COLUMNS = List.of(Field.of("time", "Time", FieldType.TIMESTAMP, false),
            Field.of("host", "Host", FieldType.TEXT, false), Field.of("program", "Program", FieldType.TEXT, false),
            Field.of("pid", "PID", FieldType.TEXT, false), Field.of("priority", "Priority", FieldType.TEXT, false),
            Field.of("message", "Message", FieldType.TEXT, false));
    static final Operation SHOW = new Operation("show", "Show events", List.of(UNIT, PROGRAM, PRIORITY, SINCE, LINES), false);
    static final Operation FOLLOW = new Operation("follow", "Follow events", List.of(UNIT, PROGRAM, PRIORITY), false,
            StreamKind.TEXT);

    private EventSource source;
    private final Clock clock;

    /** The DS constructor: the component is configured in {@link #activate}. */
    public EventsTool() {
        this(null, Clock.systemDefaultZone());
    }

    EventsTool(EventSource source, Clock clock) {
        super(ID, "Event Viewer", "System");
        this.source = source;
        this.clock = clock;
        operation(SHOW, arguments -> show(arguments));
        operation(FOLLOW, arguments -> {
            throw new ToolException("follow streams: open it as a stream");
        });
    }

    @Activate
    void activate(Config config) {
        source = choose(config, clock);
    }

    static EventSource choose(Config config, Clock clock) {
        // A .cfg file gives "a, b" as one string: the list is split here, as DS does not.
        List<Path> files = Arrays.stream(config.files()).flatMap(f -> Arrays.stream(f.split(","))).map(String::strip)
                .filter(f -> !f.isEmpty()).map(Path::of).filter(Path::isAbsolute).toList();
        var journalctl = Commands.find("/usr/bin/journalctl", "/bin/journalctl");
        boolean journal = switch (config.source()) {
            case "journal" -> true;
            case "files" -> false;
            default -> journalctl.isPresent() && journalKept();
        };
        return journal && journalctl.isPresent() ? new JournalEvents(journalctl.get(), null, clock) : new FileEvents(files, clock);
    }

    /** journald runs (its runtime folder), or left journal files (persistent storage). */
    static boolean journalKept() {
        if (Files.isDirectory(Path.of("/run/systemd/journal"))) {
            return true;
        }
        try (Stream<Path> s = Files.walk(Path.of("/var/log/journal"), 2)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".journal"));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private EventSource source() throws ToolException {
        if (source == null) {
            throw new ToolException("the Event Viewer is not configured");
        }
        return source;
    }

    Result.Table show(Map<String, String> arguments) throws ToolException {
        Filter filter = Filter.of(arguments, clock.getZone(), clock.instant());
        List<LogLine> lines = source().recent(filter);
        // The newest rows that fit one answer (the tools session sends at most 1 MiB): long lines cost rows.
        java.util.ArrayDeque<List<String>> rows = new java.util.ArrayDeque<>();
        long bytes = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            LogLine l = lines.get(i);
            List<String> row = List.of(l.time() == null ? "" : l.time().toString(), l.host(), l.program(), l.pid(),
                    l.priorityName(), l.message());
            bytes += row.stream().mapToLong(c -> c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 4).sum();
            if (bytes > MAX_TABLE_BYTES) {
                break;
            }
            rows.addFirst(row);
        }
        return new Result.Table(COLUMNS, List.copyOf(rows));
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output) throws ToolException {
        if (!operationId.equals(FOLLOW.id())) {
            throw new ToolException("Event Viewer has no streaming operation '" + operationId + "'");
        }
        return source().follow(Filter.of(arguments, clock.getZone(), clock.instant()), output);
    }
}
