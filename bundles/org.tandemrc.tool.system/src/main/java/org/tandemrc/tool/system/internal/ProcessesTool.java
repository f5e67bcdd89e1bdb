package org.tandemrc.tool.system.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Task Manager: the Host's processes as the JDK's {@link ProcessHandle} sees them (pid, command line,
 * user, start time, CPU time), and ending one. The node's own process and the system's init (pid 1) are
 * never ended; a process the node's user may not signal is refused with the reason.
 */
@Component(service = RemoteTool.class)
@TandemToolId(ProcessesTool.ID)
public class ProcessesTool extends OperationTool {

    static final String ID = "processes";
    /** A command line is cut to this many characters, so a list of processes fits one message. */
    static final int MAX_COMMAND = 300;
    /** How long {@code end} waits for the process to go. */
    static final long WAIT_MILLIS = 5_000;

    static final Operation LIST = new Operation("list", "List processes", List.of(), false);
    static final Operation END = new Operation("end", "End process", List.of(
            Field.of("pid", "Process ID", FieldType.INTEGER, true),
            Field.of("force", "Force (kill at once)", FieldType.BOOLEAN, false)), true);

    /** The command line, the widest, goes last. */
    static final List<Field> COLUMNS = List.of(
            Field.of("pid", "PID", FieldType.INTEGER, false),
            Field.of("user", "User", FieldType.TEXT, false),
            Field.of("started", "Started", FieldType.TIMESTAMP, false),
            Field.of("cpu", "CPU time", FieldType.TEXT, false),
            Field.of("command", "Command", FieldType.TEXT, false));

    public ProcessesTool() {
        super(ID, "Task Manager", "System");
        operation(LIST, arguments -> list());
        operation(END, arguments -> end(Long.parseLong(arguments.get("pid")),
                Boolean.parseBoolean(arguments.get("force"))));
    }

    static Result.Table list() {
        List<List<String>> rows = new ArrayList<>();
        ProcessHandle.allProcesses().sorted(Comparator.comparingLong(ProcessHandle::pid)).forEach(p -> {
            ProcessHandle.Info info = p.info();
            rows.add(List.of(Long.toString(p.pid()), info.user().orElse(""),
                    info.startInstant().map(Object::toString).orElse(""),
                    info.totalCpuDuration().map(ProcessesTool::cpu).orElse(""), command(info)));
        });
        return new Result.Table(COLUMNS, rows);
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
