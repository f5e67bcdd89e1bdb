package org.tandemrc.tool.command.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.security.Privilege;
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
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Execute Command: a command line run by the Host's {@code /bin/sh} as the node's user, in a folder of the
 * Guest's choice (the user's home by default), with no input. {@code execute} streams its output (standard
 * output and error together) as text and ends with its exit status; the Guest closing the stream kills it and
 * what it started. {@code run} is for short commands: it waits at most {@code seconds} and answers a form
 * with the exit status and the first {@link #MAX_OUTPUT} bytes of output. The command line is the point of
 * the privilege {@link Privilege#EXECUTE_COMMAND}, so it goes to the shell whole, as one argument.
 */
@Component(service = RemoteTool.class)
@TandemToolId(CommandTool.ID)
public class CommandTool extends OperationTool implements StreamingTool {

    static final String ID = "command";
    /** Bytes of output a {@code run} answer carries (a text of the answer holds at most 64 KiB). */
    static final int MAX_OUTPUT = 60 * 1024;
    /** How long {@code run} waits by default, and at most. */
    static final int RUN_SECONDS = 30;
    static final int MAX_RUN_SECONDS = 600;
    /** How long {@code run} waits for the rest of the output once the command ended. */
    static final long DRAIN_MILLIS = 2_000;
    /** Bytes read from the command at once while streaming (at most the stream's {@link ToolStream#maxWrite()}). */
    static final int CHUNK = 64 * 1024;

    static final Field COMMAND = Field.of("command", "Command line", FieldType.TEXT, true);
    static final Field DIRECTORY = Field.of("directory", "In folder (absolute; home by default)", FieldType.TEXT, false);
    static final Field SECONDS = Field.of("seconds", "Time limit (seconds, " + RUN_SECONDS + " by default)",
            FieldType.INTEGER, false);
    static final Operation RUN = new Operation("run", "Run command", List.of(COMMAND, DIRECTORY, SECONDS), true);
    static final Operation EXECUTE = new Operation("execute", "Execute command (live output)",
            List.of(COMMAND, DIRECTORY), true, StreamKind.TEXT);

    static final List<Field> FORM = List.of(
            Field.of("status", "Outcome", FieldType.TEXT, false),
            Field.of("exitCode", "Exit status", FieldType.INTEGER, false),
            Field.of("output", "Output", FieldType.TEXT, false));

    public CommandTool() {
        super(ID, "Execute Command", "System");
        operation(RUN, this::run);
        operation(EXECUTE, arguments -> {
            throw new ToolException(EXECUTE.title() + " streams its output: it is opened, not run as a request");
        });
    }

    @Override
    public Privilege requiredPrivilege() {
        return Privilege.EXECUTE_COMMAND;
    }

    /** Starts the command line of {@code arguments}, output and errors on one pipe. */
    static Process start(Map<String, String> arguments) throws ToolException {
        String command = Programs.text("command line", arguments.get(COMMAND.name()));
        ProcessBuilder pb = new ProcessBuilder(Programs.shell().toString(), "-c", command)
                .directory(Programs.directory(arguments.get(DIRECTORY.name()), System.getProperty("user.home")))
                .redirectErrorStream(true).redirectInput(Programs.NO_INPUT);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new ToolException("the command cannot start: " + e.getMessage());
        }
    }

    Result run(Map<String, String> arguments) throws ToolException {
        int seconds = RUN_SECONDS;
        String s = arguments.getOrDefault(SECONDS.name(), "");
        if (!s.isEmpty()) {
            long asked = s.matches("\\d{1,9}") ? Long.parseLong(s) : -1;
            if (asked < 1 || asked > MAX_RUN_SECONDS) {
                throw new ToolException("the time limit must be 1 to " + MAX_RUN_SECONDS + " seconds, not '"
                        + Programs.shorten(s) + "'");
            }
            seconds = (int) asked;
        }
        Process p = start(arguments);
        Output output = new Output(p.getInputStream());
        Thread reader = new Thread(output, "tandem-command-output");
        reader.setDaemon(true);
        reader.start();
        boolean ended;
        try {
            ended = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                Programs.end(p);
                p.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            }
            // A program it left running in the background may hold the pipe open: take what came so far.
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Programs.end(p);
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while the command ran; it was killed");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("status", ended ? "ended with exit status " + p.exitValue()
                : "killed after " + seconds + " s: it did not end in time");
        values.put("exitCode", ended ? Integer.toString(p.exitValue()) : "");
        values.put("output", output.text());
        return new Result.Form(FORM, values);
    }

    /** The first {@link #MAX_OUTPUT} bytes of a program's output; the rest is read and counted, not kept. */
    static final class Output implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long total;

        Output(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                for (int n = in.read(b); n >= 0; n = in.read(b)) {
                    synchronized (this) {
                        kept.write(b, 0, (int) Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
                        total += n;
                    }
                }
            } catch (IOException e) {
                // the pipe closed: what came is kept
            }
        }

        /** The output as text, and how much was left out. */
        synchronized String text() {
            String t = new String(new Programs.Text().decode(kept.toByteArray(), kept.size(), true),
                    StandardCharsets.UTF_8);
            return total > kept.size() ? t + "\n[" + (total - kept.size()) + " more bytes of output left out]" : t;
        }
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output)
            throws ToolException {
        if (!EXECUTE.id().equals(operationId)) {
            throw new ToolException(title() + " has no streaming operation '" + operationId + "'");
        }
        Process p = start(arguments);
        Pump pump = new Pump(p, output);
        Thread t = new Thread(pump, "tandem-command-execute");
        t.setDaemon(true);
        t.start();
        return pump;
    }

    /** Sends the command's output as it comes, a chunk once the Guest took the one before, then its status. */
    private static final class Pump implements Runnable, StreamInput {
        private final Process process;
        private final ToolStream output;
        private final AtomicBoolean closed = new AtomicBoolean();

        Pump(Process process, ToolStream output) {
            this.process = process;
            this.output = output;
        }

        @Override
        public void run() {
            Programs.Text text = new Programs.Text();
            byte[] b = new byte[Math.min(CHUNK, output.maxWrite() / 4)];
            try (InputStream in = process.getInputStream()) {
                for (int n = in.read(b); n >= 0 && !closed.get(); n = in.read(b)) {
                    byte[] utf8 = text.decode(b, n, false);
                    if (utf8.length > 0) {
                        output.write(ByteBuffer.wrap(utf8)).toCompletableFuture().get();
                    }
                }
                byte[] rest = text.decode(b, 0, true);
                if (rest.length > 0 && !closed.get()) {
                    output.write(ByteBuffer.wrap(rest)).toCompletableFuture().get();
                }
                int status = process.waitFor();
                output.end("exit status " + status, status == 0);
            } catch (IOException | ExecutionException e) {
                // the Guest closed the stream, or the pipe broke: nobody reads the rest
                Programs.end(process);
                output.end("the command's output could not be sent; it was killed", false);
            } catch (InterruptedException e) {
                Programs.end(process);
                output.end("interrupted; the command was killed", false);
            }
        }

        @Override
        public void closed(String reason) {
            if (closed.compareAndSet(false, true)) {
                Programs.end(process);
            }
        }
    }
}
