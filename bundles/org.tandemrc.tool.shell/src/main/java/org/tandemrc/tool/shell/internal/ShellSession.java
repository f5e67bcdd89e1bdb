package org.tandemrc.tool.shell.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolStream;

/**
 * One running shell: the process on the pseudo-terminal's slave side, a thread that pumps the master's
 * output to the Guest (one read, one write, then it waits for the Guest's room: flow control reaches the
 * shell, which blocks on a full terminal), and a thread that writes the Guest's keys to the master.
 */
final class ShellSession implements StreamInput {

    private static final int SIGHUP = 1;
    /** How long a read waits, so the pump notices a close without output. */
    private static final int POLL_MILLIS = 200;
    /** How long a shell may take to go after the Guest closed it (SIGHUP) before it is killed. */
    private static final long HANGUP_MILLIS = 3_000;
    /** The setsid command's standard input, output and error are the terminal; the paths are arguments. */
    private static final String REDIRECT = "exec \"$2\" -c -w \"$0\" -i <\"$1\" >\"$1\" 2>&1";

    private final Pty pty;
    private final Process process;
    private final ToolStream out;
    private final Consumer<ShellSession> onEnd;
    private final ExecutorService keys;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile long closedAt;

    private ShellSession(Pty pty, Process process, ToolStream out, Consumer<ShellSession> onEnd) {
        this.pty = pty;
        this.process = process;
        this.out = out;
        this.onEnd = onEnd;
        this.keys = Executors.newSingleThreadExecutor(r -> daemon(r, "tandem-shell-keys-" + process.pid()));
    }

    static ShellSession start(Path shell, Path setsid, int columns, int rows, ToolStream out,
            Consumer<ShellSession> onEnd) throws IOException {
        Pty pty = Pty.open(columns, rows);
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", REDIRECT, shell.toString(), pty.slave(),
                    setsid.toString()));
            pb.environment().put("TERM", "xterm-256color");
            pb.environment().remove("COLUMNS");
            pb.environment().remove("LINES");
            pb.directory(Path.of(System.getProperty("user.home")).toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            pty.close();
            throw e;
        }
        ShellSession session = new ShellSession(pty, process, out, onEnd);
        daemon(session::pump, "tandem-shell-" + process.pid()).start();
        return session;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Output to the Guest until the shell ends or the Guest closes, then the end with the exit status. */
    private void pump() {
        byte[] buffer = new byte[Math.min(out.maxWrite(), 16 * 1024)];
        try {
            while (true) {
                int n = pty.read(buffer, POLL_MILLIS);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    if (!out.isOpen()) {
                        break;
                    }
                    out.write(ByteBuffer.wrap(buffer, 0, n)).toCompletableFuture().get();
                    continue;
                }
                // No output for a moment: the shell ended (a background job may still hold the terminal), or the
                // Guest closed and the shell has had its time to go.
                if (!process.isAlive()) {
                    break;
                }
                if (closing.get() && System.currentTimeMillis() - closedAt > HANGUP_MILLIS) {
                    process.destroyForcibly();
                    break;
                }
            }
        } catch (IOException | ExecutionException e) {
            // The Guest went away (the write failed); the shell is hung up below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    private void finish() {
        Integer status = null;
        try {
            // A key being written when the shell went fails soon (the slave is gone); the descriptor is closed
            // only after, so no write can reach a descriptor number the JVM has given to something else.
            keys.shutdownNow();
            keys.awaitTermination(HANGUP_MILLIS, TimeUnit.MILLISECONDS);
            pty.close();
            if (!process.waitFor(HANGUP_MILLIS, TimeUnit.MILLISECONDS)) {
                Pty.signalGroup(process.pid(), SIGHUP);
                process.destroyForcibly();
                process.waitFor(HANGUP_MILLIS, TimeUnit.MILLISECONDS);
            }
            status = process.isAlive() ? null : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            pty.close();
        }
        onEnd.accept(this);
        if (status == null) {
            out.end("the shell did not end; it was killed", false);
        } else {
            out.end("exit status " + status, status == 0);
        }
    }

    @Override
    public CompletionStage<Void> data(ByteBuffer data) {
        if (closing.get()) {
            return CompletableFuture.failedFuture(new IOException("the shell is closing"));
        }
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    pty.write(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, keys);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IOException("the shell ended"));
        }
    }

    @Override
    public void resize(int columns, int rows) {
        if (columns < 1 || rows < 1 || columns > ShellTool.MAX_SIZE || rows > ShellTool.MAX_SIZE) {
            return;
        }
        try {
            pty.resize(columns, rows);
        } catch (IOException e) {
            // the terminal is gone: the pump ends the stream
        }
    }

    /**
     * Hangs the shell up: SIGHUP to every process of its session, its background jobs too (a POSIX shell
     * does not pass the hang-up on as bash does); SIGKILL to the shell later if it stays. What left the
     * session on purpose (setsid, a daemon) is not the shell's any more.
     */
    @Override
    public void closed(String reason) {
        if (closing.compareAndSet(false, true)) {
            closedAt = System.currentTimeMillis();
            Pty.signalGroup(process.pid(), SIGHUP);
            for (long pid : session(Path.of("/proc"), process.pid())) {
                Pty.signal(pid, SIGHUP);
            }
        }
    }

    /** The processes whose session is {@code sid}, from {@code /proc/PID/stat}. */
    static List<Long> session(Path proc, long sid) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException | UncheckedIOException e) {
                    continue; // gone meanwhile
                }
                // pid (comm) state ppid pgrp session ...: comm may hold spaces and parentheses.
                String[] f = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" ");
                if (f.length > 3 && f[3].equals(Long.toString(sid))) {
                    pids.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: the group's hang-up above is all there is
        }
        return pids;
    }
}
