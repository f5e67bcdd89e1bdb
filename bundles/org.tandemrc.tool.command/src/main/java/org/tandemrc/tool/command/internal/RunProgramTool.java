package org.tandemrc.tool.command.internal;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 * separated by spaces and given as they are, without a shell. A node that runs as root starts it as the
 * user whose desktop it is (the owner of the display's socket), through {@code runuser}, so the program
 * belongs to that person's session and not to root. A Host without a desktop refuses.
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

    /** A local display ({@code :0}, {@code :1.0}, {@code unix:2}): its number names its socket. */
    static final Pattern LOCAL_DISPLAY = Pattern.compile("(?:unix)?:(\\d{1,5})(?:\\.\\d{1,3})?");
    /** A user name as the shadow tools accept it, before it is given to runuser. */
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,30}\\$?");

    private volatile String display;
    private final Path sockets;
    /** runuser, resolved once from the system's folders; null where there is none. */
    private final Path runuser;
    private final boolean root;

    public RunProgramTool() {
        this(System.getenv("DISPLAY"), Path.of("/tmp/.X11-unix"), "root".equals(System.getProperty("user.name")));
    }

    RunProgramTool(String display) {
        this(display, Path.of("/tmp/.X11-unix"), "root".equals(System.getProperty("user.name")));
    }

    /** With the folder of the X sockets, and whether the node runs as root (then programs run as the display's owner). */
    RunProgramTool(String display, Path sockets, boolean root) {
        super(ID, "Run Program", "System");
        this.display = display;
        this.sockets = sockets;
        this.root = root;
        this.runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser").map(Path::of)
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst().orElse(null);
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
        String owner = root ? owner(d) : null;
        if (owner != null) {
            if (!USER.matcher(owner).matches()) {
                throw new ToolException("display " + d + " belongs to a user whose name runuser is not given ('"
                        + Programs.shorten(owner) + "'); the program is not started as root on their desktop");
            }
            if (runuser == null) {
                throw new ToolException("display " + d + " is " + owner + "'s and this Host has no runuser to start a"
                        + " program as " + owner + "; it is not started as root on another person's desktop");
            }
            command.addAll(0, List.of(runuser.toString(), "-u", owner, "--"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(new java.io.File(owner == null
                ? System.getProperty("user.home") : "/"))
                .redirectInput(Programs.NO_INPUT).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        pb.environment().put("DISPLAY", d);
        if (owner != null) {
            // root's X cookie file is not the user's to read; the user's own ~/.Xauthority serves (runuser sets HOME)
            pb.environment().remove("XAUTHORITY");
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException(path + " cannot start: " + e.getMessage());
        }
        String which = path.getFileName() + " (pid " + p.pid() + ")" + (owner == null ? "" : " as " + owner);
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

    /**
     * The user whose desktop a local display is, the owner of its socket, when that is another user than
     * root; null otherwise (a remote display, no socket, or root's own).
     */
    String owner(String d) {
        Matcher m = LOCAL_DISPLAY.matcher(d);
        if (!m.matches()) {
            return null;
        }
        try {
            String name = Files.getOwner(sockets.resolve("X" + m.group(1)), LinkOption.NOFOLLOW_LINKS).getName();
            return name.equals("root") ? null : name;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
