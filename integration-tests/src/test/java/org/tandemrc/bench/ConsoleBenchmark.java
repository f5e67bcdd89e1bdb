package org.tandemrc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser console's remote screen next to the CLI Guest, on {@link RemoteBenchmark}'s Xvfb display
 * and scripted workload: the CLI Guest and the console node watch the same run, each through a counting
 * relay to the Host, and the browser (Chromium through playwright-core, {@code scripts/benchmark-console.mjs})
 * watches the console through a third: Host to Guest bytes, console to browser bytes, their ratio. Then
 * keystroke-to-pixels, each alone: in the browser (key sent to picture drawn in the canvas) and in the
 * CLI Guest ({@code tandem guest latency}).
 *
 * <p>Arguments: DIST_DIR BROWSER_DIR [SECONDS]; BROWSER_DIR holds playwright-core, steps.mjs and
 * benchmark-console.mjs (scripts/benchmark-console.sh prepares it).
 */
public final class ConsoleBenchmark {

    private static final Pattern SETUP = Pattern.compile("setup\\s+(https?://\\S+)");

    private ConsoleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        Path browserDir = Path.of(args[1]).toAbsolutePath();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path work = Files.createTempDirectory("tandem-console-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RemoteBenchmark.PROCESSES.forEach(Process::destroy)));
        String display = ":" + RemoteBenchmark.freeDisplay();
        RemoteBenchmark.start(work, "xvfb", List.of("Xvfb", display, "-screen", "0", "1920x1080x24", "-noreset",
                "-nolisten", "tcp", "-nocursor"), display);
        RemoteBenchmark.waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + display.substring(1))), "Xvfb");
        RemoteBenchmark.start(work, "xterm", List.of("xterm", "-geometry", "100x45+0+0", "-fa", "DejaVu Sans Mono",
                "-fs", "10"), display);
        Thread.sleep(1000);
        RemoteBenchmark.run(display, "xdotool", "mousemove", "200", "200");
        Path pw = Files.writeString(work.resolve("pw"), "benchmark password\n");
        Files.createDirectories(work.resolve("host/etc"));
        Files.writeString(work.resolve("host/etc/org.tandemrc.host.desktop.cfg"), "notices = false\n");
        RemoteBenchmark.start(work, "host", List.of(dist.resolve("bin/tandem").toString(), "host", "--home",
                work.resolve("host").toString(), "--listen", "tcp:127.0.0.1:0", "--password-file", pw.toString()), display);
        Path hostOut = work.resolve("host.log");
        RemoteBenchmark.waitFor(() -> Files.readString(hostOut).contains("Stop with Ctrl+C"), "the Tandem host");
        Matcher m = Pattern.compile("listening\\s+tcp:127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(hostOut));
        if (!m.find()) {
            throw new IOException("the host did not say where it listens: " + Files.readString(hostOut));
        }
        int hostPort = Integer.parseInt(m.group(1));
        int httpPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        RemoteBenchmark.start(work, "console", List.of(dist.resolve("bin/tandem").toString(), "console", "--home",
                work.resolve("console").toString(), "--http", "127.0.0.1:" + httpPort), "");
        Path consoleOut = work.resolve("console.log");
        RemoteBenchmark.waitFor(() -> SETUP.matcher(Files.readString(consoleOut)).find(), "the console node");
        Matcher setup = SETUP.matcher(Files.readString(consoleOut));
        setup.find();

        try (CountingRelay cliRelay = new CountingRelay(hostPort); CountingRelay consoleRelay = new CountingRelay(hostPort);
                CountingRelay httpRelay = new CountingRelay(httpPort)) {
            String config = "{\"setupUrl\":\"" + setup.group(1).replace(":" + httpPort + "/", ":" + httpRelay.port() + "/")
                    + "\",\"consolePassword\":\"a benchmark console password\",\"hostAddress\":\"tcp:127.0.0.1:"
                    + consoleRelay.port() + "\",\"hostPassword\":\"benchmark password\",\"chromium\":\"/usr/bin/chromium\"}";
            ProcessBuilder pb = new ProcessBuilder("node", "benchmark-console.mjs").directory(browserDir.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("TANDEM_TEST_CONFIG", config);
            pb.environment().remove("DISPLAY");
            Process browser = pb.start();
            RemoteBenchmark.PROCESSES.add(browser);
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            List<String> all = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (all) {
                            all.add(l);
                        }
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the browser script ended
                }
                lines.add("FAILED the browser script ended");
            });
            reader.setDaemon(true);
            reader.start();
            OutputStream toBrowser = browser.getOutputStream();
            await(lines, "STEP watching", 120, all);

            // 1. The workload: the CLI Guest and the browser watch it at the same time.
            List<String> guest = List.of("--password-file", pw.toString(), "--home", work.resolve("guest").toString());
            Process watch = RemoteBenchmark.guestProcess(dist, work, "watch", "tcp:127.0.0.1:" + cliRelay.port(),
                    Integer.toString(seconds + 4), guest);
            Thread.sleep(3000); // both have the first full screen
            long cli0 = cliRelay.toClient.get();
            long console0 = consoleRelay.toClient.get();
            long browser0 = httpRelay.toClient.get();
            RemoteBenchmark.workload(work, display, seconds);
            long cliBytes = cliRelay.toClient.get() - cli0;
            long consoleBytes = consoleRelay.toClient.get() - console0;
            long browserBytes = httpRelay.toClient.get() - browser0;
            watch.waitFor(30, TimeUnit.SECONDS);

            // 2. Keystroke to pixels in the browser, alone, then in the CLI Guest, alone.
            toBrowser.write("go watching\n".getBytes(StandardCharsets.UTF_8));
            toBrowser.flush();
            String browserLatency = await(lines, "STEP latency", 180, all).substring("STEP latency ".length());
            browser.waitFor(30, TimeUnit.SECONDS);
            Process lat = RemoteBenchmark.guestProcess(dist, work, "latency", "tcp:127.0.0.1:" + cliRelay.port(), "40",
                    guest);
            lat.waitFor(120, TimeUnit.SECONDS);
            String cliLatency = Files.readString(work.resolve("latency.log")).trim();

            System.out.printf("Remote control in the browser console vs the CLI Guest, 1920x1080 Xvfb, %d s workload: "
                    + "typing, scrolling text, dragging a window, a 480x320 photo-like region at 10 pictures/s%n", seconds);
            System.out.printf("  Host to CLI Guest:          %,d bytes%n", cliBytes);
            System.out.printf("  Host to console (Guest):    %,d bytes%n", consoleBytes);
            System.out.printf("  console to browser:         %,d bytes (HTTP and WebSocket, all of it)%n", browserBytes);
            System.out.printf("  ratio browser / Host:       %.2f   (goal: at most 1.5)%n", (double) browserBytes / consoleBytes);
            System.out.printf("  keystroke to pixels, CLI:     %s%n", cliLatency);
            System.out.printf("  keystroke to pixels, browser: %s%n", browserLatency);
        }
    }

    private static String await(LinkedBlockingQueue<String> lines, String prefix, int seconds, List<String> all)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String l = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.startsWith("FAILED")) {
                synchronized (all) {
                    throw new IOException("the browser did not reach '" + prefix + "':\n" + String.join("\n", all));
                }
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }
}
