package org.tandemrc.toolkit.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.tool.ToolException;

/**
 * Runs a command of the Host for a tool: the program by absolute path, each argument its own argv entry (a
 * Guest's value can never become shell syntax or a second command), standard input closed, standard error
 * merged into the output, the output cut at a bound and the process killed (with its children) at a
 * timeout.
 */
public final class Commands {

    /** What a command did: its exit status, its output (cut at the bound) and whether it was cut. */
    public record Outcome(int status, String output, boolean truncated) {
        /** The output's last non-blank line, for a sentence that says why a command failed. */
        public String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    private Commands() {
    }

    /**
     * The first of {@code candidates} (absolute paths) that is an executable file, so a tool resolves its
     * programs once, where the distribution put them.
     */
    public static Optional<Path> find(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code argv} (its first entry an absolute path) and waits for it.
     *
     * @param maxOutput the most bytes of output kept; the rest is read and dropped, so the command never
     *                  blocks on a full pipe
     * @throws ToolException when it cannot start, or runs longer than {@code timeout} (it is killed then)
     */
    public static Outcome run(List<String> argv, Duration timeout, int maxOutput) throws ToolException {
        if (argv.isEmpty() || !Path.of(argv.get(0)).isAbsolute()) {
            throw new IllegalArgumentException("a command runs by absolute path: " + argv);
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Messages in the C locale read the same on every Host, and parsers see the format they expect.
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException(argv.get(0) + " could not be started: " + e.getMessage(), e);
        }
        Bounded kept = new Bounded(maxOutput + 1);
        Thread reader = new Thread(() -> kept.drain(p.getInputStream()), "command output " + argv.get(0));
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while " + argv.get(0) + " ran", e);
        }
        if (!finished) {
            kill(p);
            throw new ToolException(String.join(" ", argv) + " did not finish within "
                    + (timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms"));
        }
        try {
            // A daemon the command started may hold the pipe open: the output is what came until then.
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] b = kept.bytes();
        boolean cut = b.length > maxOutput;
        String text = new String(b, 0, Math.min(b.length, maxOutput), StandardCharsets.UTF_8);
        return new Outcome(p.exitValue(), text, cut);
    }

    /** Output kept up to a bound; the rest is read and dropped. */
    private static final class Bounded {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int max;

        Bounded(int max) {
            this.max = max;
        }

        void drain(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (this) {
                        int room = max - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(n, room));
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended or was killed: what came so far is the output
            }
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
