package org.tandemrc.tool.inventory.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one program (an argv list, never a shell line) with its standard output bounded in bytes and its run
 * bounded in time: a program that says too much or takes too long is killed, with its descendants, and the
 * result says so. Standard input is empty and standard error is dropped.
 */
final class BoundedCommand {

    /** What a program printed (at most the bound), how it ended. */
    record Output(String text, int exitStatus, boolean truncated, boolean timedOut) {

        boolean succeeded() {
            return exitStatus == 0 && !truncated && !timedOut;
        }
    }

    /** How often a running program's caller is asked whether it still wants the output. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private BoundedCommand() {
    }

    /** The first of {@code candidates} that is an executable file, or null: resolved once, by absolute path. */
    static Path executable(List<Path> candidates) {
        for (Path p : candidates) {
            if (p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Output run(List<String> argv, Duration timeout, int maxBytes) throws IOException, InterruptedException {
        return run(argv, timeout, maxBytes, () -> false);
    }

    /**
     * As {@link #run(List, Duration, int)}, stopped (the program killed, {@link InterruptedException} thrown)
     * as soon as {@code stopped} says so: whoever wanted the output is gone.
     */
    static Output run(List<String> argv, Duration timeout, int maxBytes, BooleanSupplier stopped)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // Package managers translate and reformat under other locales; the inventory compares values over time.
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process process = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean[] cut = new boolean[1];
        Thread reader = new Thread(() -> read(process, out, maxBytes, cut), "tandem-inventory-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean finished;
        try {
            while (!(finished = process.waitFor(Math.min(POLL_NANOS, Math.max(0, deadline - System.nanoTime())),
                    TimeUnit.NANOSECONDS)) && System.nanoTime() < deadline) {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedException("stopped");
                }
            }
        } catch (InterruptedException e) {
            // The stream that wanted the output ended: nothing is left running.
            kill(process);
            throw e;
        }
        if (!finished) {
            kill(process);
        }
        // A child that outlived the program may still hold its output open: wait for the reader a little only.
        reader.join(2000);
        boolean truncated;
        synchronized (cut) {
            truncated = cut[0];
        }
        String text;
        synchronized (out) {
            text = new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
        return new Output(text, finished && !truncated ? process.exitValue() : -1, truncated, !finished);
    }

    private static void read(Process process, ByteArrayOutputStream out, int maxBytes, boolean[] cut) {
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (out) {
                    int room = maxBytes - out.size();
                    out.write(buffer, 0, Math.min(room, n));
                    if (n > room) {
                        synchronized (cut) {
                            cut[0] = true;
                        }
                        // Stop reading: the program is killed, not drained, however much it would say.
                        kill(process);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the program was killed, or closed its output: what was read stands
        }
    }

    private static void kill(Process process) {
        // The program first: a shell whose child died first runs its next command before it dies itself.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
