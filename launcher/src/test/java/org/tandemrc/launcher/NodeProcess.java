package org.tandemrc.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@code bin/tandem} process of the built distribution, with its output collected. */
final class NodeProcess implements AutoCloseable {

    static final Path DIST = Path.of(System.getProperty("tandem.dist", "target/tandem"));

    /** The outcome of a command that ran to its end. */
    record Result(int status, String out, String err) {
    }

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private NodeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code tandem ARGS} in the background, stdout and stderr merged. */
    static NodeProcess start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    /** Starts {@code tandem ARGS} in the background with extra environment variables (e.g. DISPLAY). */
    static NodeProcess start(java.util.Map<String, String> env, String... args) throws IOException {
        return startIn(null, env, args);
    }

    /**
     * Starts {@code tandem ARGS} in the background inside the network namespace {@code netns} (null:
     * this one), through {@code ip netns exec}.
     */
    static NodeProcess startIn(String netns, java.util.Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(tandem(netns, args)).redirectErrorStream(true);
        pb.environment().remove("TANDEM_HOME");
        pb.environment().remove("DISPLAY");
        pb.environment().putAll(env);
        return new NodeProcess(pb.start());
    }

    private static final java.util.regex.Pattern TCP_PORT =
            java.util.regex.Pattern.compile("listening\\s+tcp:127\\.0\\.0\\.1:(\\d+)");

    /**
     * A Host node as the end-to-end tests run it: {@code home/etc} gets {@code etc} (file name to
     * text) first, the shared password comes from {@code passwordFile}, it listens on a free loopback
     * port, with {@code env} (e.g. DISPLAY), on a terminal of its own when {@code onTerminal} (for
     * what the Host's person answers); returned once it is up or has said why not.
     */
    static NodeProcess host(Path home, Path passwordFile, java.util.Map<String, String> env, boolean onTerminal,
            java.util.Map<String, String> etc) throws IOException, InterruptedException {
        Files.createDirectories(home.resolve("etc"));
        for (java.util.Map.Entry<String, String> e : etc.entrySet()) {
            Files.writeString(home.resolve("etc").resolve(e.getKey()), e.getValue());
        }
        String[] args = {"host", "--home", home.toString(), "--listen", "tcp:127.0.0.1:0", "--password-file",
            passwordFile.toString()};
        NodeProcess node = onTerminal ? startOnTerminal(env, args) : start(env, args);
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
        return node;
    }

    /** The port of the node's {@code listening tcp:127.0.0.1:PORT} line. */
    int tcpPort() {
        java.util.regex.Matcher m = TCP_PORT.matcher(output());
        if (!m.find()) {
            throw new AssertionError("the node listens on no loopback TCP port:\n" + output());
        }
        return Integer.parseInt(m.group(1));
    }

    /** {@code tcp:127.0.0.1:PORT} of the node's loopback TCP listener. */
    String tcpAddress() {
        return "tcp:127.0.0.1:" + tcpPort();
    }

    /** Starts any program (e.g. the browser test) in {@code dir}, stdout and stderr merged. */
    static NodeProcess command(java.util.Map<String, String> env, Path dir, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new NodeProcess(pb.start());
    }

    /**
     * Starts {@code tandem ARGS} on a terminal of its own (a pseudo-terminal made by util-linux's
     * {@code script}), for what asks on the terminal; {@link #type} answers.
     */
    static NodeProcess startOnTerminal(String... args) throws IOException {
        return startOnTerminal(java.util.Map.of(), args);
    }

    /** As {@link #startOnTerminal(String...)}, with extra environment variables (e.g. DISPLAY). */
    static NodeProcess startOnTerminal(java.util.Map<String, String> env, String... args) throws IOException {
        return startOnTerminalIn(null, env, args);
    }

    /** As {@link #startOnTerminal(java.util.Map, String...)}, inside the network namespace {@code netns} unless null. */
    static NodeProcess startOnTerminalIn(String netns, java.util.Map<String, String> env, String... args)
            throws IOException {
        StringBuilder cmd = new StringBuilder("exec ").append(quote(DIST.resolve("bin/tandem").toString()));
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        List<String> command = new ArrayList<>();
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.addAll(List.of("script", "-qefc", cmd.toString(), "/dev/null"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("TANDEM_HOME");
        pb.environment().putAll(env);
        return new NodeProcess(pb.start());
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Runs {@code tandem admin --home HOME ARGS} to its end (at most 60 s). */
    static Result admin(Path home, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("admin", "--home", home.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Runs {@code tandem ARGS} to its end (at most 60 s). */
    static Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /**
     * {@code guest ARGS} with the password in a file under {@code dir} and the Guest's home there:
     * a Guest command as the end-to-end tests run it.
     */
    static String[] guestArgs(Path dir, String password, String... args) throws IOException {
        Path pw = dir.resolve("guest-pw");
        Files.writeString(pw, password + "\n");
        List<String> all = new ArrayList<>();
        all.add("guest");
        all.addAll(List.of(args));
        all.addAll(List.of("--password-file", pw.toString(), "--home", dir.resolve("guest-home").toString()));
        return all.toArray(String[]::new);
    }

    /** Waits for a line of output that matches; fails with everything printed so far. */
    String awaitLine(Predicate<String> match, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new AssertionError("no such line in " + millis + " ms; output so far:\n" + output());
                }
                lines.wait(left);
            }
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Waits for the process to end; returns its status. */
    int awaitExit(long millis) throws InterruptedException {
        if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process still runs after " + millis + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Types a line on the node's terminal. */
    void type(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Types keys on the node's terminal as they are, without a line end (e.g. Ctrl+C, {@code \u0003}). */
    void typeRaw(String keys) throws IOException {
        process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Runs {@code tandem ARGS} to its end with {@code input} (null: nothing) on its standard input. */
    static Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        return runIn(null, input, args);
    }

    /** The command line of {@code tandem ARGS}, inside the network namespace {@code netns} unless null. */
    private static List<String> tandem(String netns, String... args) {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.add(DIST.resolve("bin/tandem").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code tandem ARGS} to its end inside the network namespace {@code netns} (null: this one) with
     * {@code input} (null: nothing) on its standard input.
     */
    static Result runIn(String netns, String input, String... args) throws IOException, InterruptedException {
        List<String> cmd = tandem(netns, args);
        Path out = Files.createTempFile("tandem-out", ".txt");
        Path err = Files.createTempFile("tandem-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Path in = null;
        if (input != null) {
            in = Files.createTempFile("tandem-in", ".txt");
            Files.writeString(in, input);
            pb.redirectInput(in.toFile());
        }
        pb.environment().remove("TANDEM_HOME");
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tandem " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
            if (in != null) {
                Files.delete(in);
            }
        }
    }

    Process process() {
        return process;
    }

    /** Ends the node at once with SIGKILL, as a crash or a power cut would: no shutdown hook, no clean close. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
