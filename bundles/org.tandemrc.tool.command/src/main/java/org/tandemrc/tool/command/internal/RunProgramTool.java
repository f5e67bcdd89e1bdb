package org.tandemrc.tool.command.internal;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Run Program: starts a program on the Host's desktop (the X display the node shows: framework property
 * {@code tandem.display}, else {@code $DISPLAY}, as the screen plugin finds it) for the person there, and
 * leaves it running. The program is a bare name found on PATH or an absolute path; its arguments are
 * separated by spaces and given as they are, without a shell. A Host without a desktop refuses.
 */
@Component(service = RemoteTool.class)
@TandemToolId(RunProgramTool.ID)
public class RunProgramTool extends OperationTool {

    static final String ID = "run-program";
    /** At most this many arguments. */
    static final int MAX_ARGUMENTS = 64;
    /** A program that fails at once (no display, bad arguments) does so within this time; its status is told. */
    static final long WATCH_MILLIS = 1_000;

    static final Operation START = new Operation("start", "Run program on the desktop", List.of(
            Field.of("program", "Program (name on PATH or absolute path)", FieldType.TEXT, true),
            Field.of("arguments", "Arguments (separated by spaces, no quoting)", FieldType.TEXT, false)), true);

    private volatile String display;

    public RunProgramTool() {
        this(System.getenv("DISPLAY"));
    }

    RunProgramTool(String display) {
        super(ID, "Run Program", "System");
        this.display = display;
        operation(START, arguments -> start(arguments.get("program"), arguments.getOrDefault("arguments", "")));
    }

    @Activate
    void activate(BundleContext context) {
        String property = context.getProperty("tandem.display");
        if (property != null && !property.isBlank()) {
            display = property;
        }
    }

    @Override
    public Privilege requiredPrivilege() {
        return Privilege.RUN_PROGRAM;
    }

    Result.Message start(String program, String arguments) throws ToolException {
        String d = display;
        if (d == null || d.isBlank()) {
            throw new ToolException("this Host shows no desktop (no X display): there is nowhere to run a program");
        }
        Path path = Programs.program(program, System.getenv("PATH"));
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        if (!arguments.isBlank()) {
            List<String> words = List.of(Programs.text("argument list", arguments).strip().split("\\s+"));
            if (words.size() > MAX_ARGUMENTS) {
                throw new ToolException("at most " + MAX_ARGUMENTS + " arguments, not " + words.size());
            }
            command.addAll(words);
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(new java.io.File(System.getProperty("user.home")))
                .redirectInput(Programs.NO_INPUT).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        pb.environment().put("DISPLAY", d);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException(path + " cannot start: " + e.getMessage());
        }
        String which = path.getFileName() + " (pid " + p.pid() + ")";
        try {
            if (p.waitFor(WATCH_MILLIS, TimeUnit.MILLISECONDS)) {
                if (p.exitValue() != 0) {
                    throw new ToolException(which + " ended at once with exit status " + p.exitValue()
                            + " on display " + d);
                }
                return new Result.Message("Ran " + which + " on display " + d + "; it ended with exit status 0.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Result.Message("Started " + which + " on display " + d + ".");
    }
}
