package org.tandemrc.tool.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Command Console: an interactive shell on a pseudo-terminal of the Host, as the user the node runs as,
 * streamed to the Guest's terminal emulator ({@link StreamKind#TERMINAL}). The Guest's keys go to the
 * terminal unchanged, so Ctrl+C reaches the foreground process through the terminal's line discipline;
 * the Guest's size reaches it as SIGWINCH. When the shell ends, the stream ends with its exit status.
 * Linux only: elsewhere opening is refused with a sentence.
 */
@Component(service = RemoteTool.class)
@TandemToolId(ShellTool.ID)
public class ShellTool extends OperationTool implements StreamingTool {

    static final String ID = "shell";
    /** Shells one node runs at once: each is a process and a thread. */
    static final int MAX_SHELLS = 16;
    static final int MAX_SIZE = 1000;
    static final Field COLUMNS = Field.of("columns", "Columns", FieldType.INTEGER, false);
    static final Field ROWS = Field.of("rows", "Rows", FieldType.INTEGER, false);
    static final Operation OPEN = new Operation("open", "Open a shell", List.of(COLUMNS, ROWS), true,
            StreamKind.TERMINAL);

    private final Path shell;
    private final Path setsid;
    private final AtomicInteger running = new AtomicInteger();
    private final java.util.Set<ShellSession> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ShellTool() {
        this(loginShell(), firstExecutable(List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"))));
    }

    ShellTool(Path shell, Path setsid) {
        super(ID, "Command Console", "System");
        this.shell = shell;
        this.setsid = setsid;
        operation(OPEN, arguments -> {
            throw new ToolException("Command Console's shell opens as a stream (a terminal), not as a request");
        });
    }

    @Override
    public Privilege requiredPrivilege() {
        return Privilege.EXECUTE_COMMAND;
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output) throws ToolException {
        if (!OPEN.id().equals(operationId)) {
            throw new ToolException(title() + " has no operation '" + operationId + "'");
        }
        int columns = size(arguments, COLUMNS, 80);
        int rows = size(arguments, ROWS, 24);
        if (!"Linux".equals(System.getProperty("os.name"))) {
            throw new ToolException("Command Console needs Linux pseudo-terminals; this Host runs "
                    + System.getProperty("os.name"));
        }
        if (shell == null || setsid == null) {
            throw new ToolException("Command Console finds no shell (" + (shell == null ? "/bin/sh" : "setsid")
                    + ") on this Host");
        }
        if (running.incrementAndGet() > MAX_SHELLS) {
            running.decrementAndGet();
            throw new ToolException("this Host runs " + MAX_SHELLS + " shells already; close one first");
        }
        try {
            ShellSession session = ShellSession.start(shell, setsid, columns, rows, output, s -> {
                sessions.remove(s);
                running.decrementAndGet();
            });
            sessions.add(session);
            return session;
        } catch (IOException e) {
            running.decrementAndGet();
            throw new ToolException("the shell did not start: " + e.getMessage());
        }
    }

    /** The tool goes away (bundle stopped): its shells end with it. */
    @Deactivate
    void deactivate() {
        for (ShellSession s : List.copyOf(sessions)) {
            s.closed("Command Console stopped on the Host");
        }
    }

    /** Shells running now. */
    int running() {
        return running.get();
    }

    private static int size(Map<String, String> arguments, Field field, int otherwise) throws ToolException {
        String value = arguments.get(field.name());
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ToolException("'" + field.label() + "' must be a whole number, not '" + value + "'");
        }
        if (n < 1 || n > MAX_SIZE) {
            throw new ToolException("'" + field.label() + "' must be between 1 and " + MAX_SIZE + ", not " + n);
        }
        return n;
    }

    /** The node user's shell ($SHELL when it is an absolute, executable path), else bash, else sh. */
    private static Path loginShell() {
        String env = System.getenv("SHELL");
        if (env != null && env.startsWith("/") && !env.contains("..") && Files.isExecutable(Path.of(env))) {
            return Path.of(env);
        }
        return firstExecutable(List.of(Path.of("/bin/bash"), Path.of("/usr/bin/bash"), Path.of("/bin/sh")));
    }

    private static Path firstExecutable(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }
}
