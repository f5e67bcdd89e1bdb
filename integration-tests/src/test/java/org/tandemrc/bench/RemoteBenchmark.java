package org.tandemrc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tandem next to x11vnc on one Xvfb display and one scripted workload: typing in a terminal,
 * scrolling text, dragging a window, and a region of photo-like changing content. Both viewers watch
 * the same run at the same time, each through a counting relay, so bytes are counted on the wire the
 * same way. Then the idle cost, then keystroke-to-pixels latency (each alone), then Tandem's keystroke-to-pixels
 * again while its connection carries a 1 GiB copy to the Host, against its idle figure.
 *
 * <p>Arguments: DIST_DIR [SECONDS]. Needs Xvfb, x11vnc, xterm, xdotool and x11-apps (xlogo).
 */
public final class RemoteBenchmark {

    static final List<Process> PROCESSES = new ArrayList<>();

    private RemoteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path work = Files.createTempDirectory("tandem-remote-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCESSES.forEach(Process::destroy)));
        String display = ":" + freeDisplay();
        start(work, "xvfb", List.of("Xvfb", display, "-screen", "0", "1920x1080x24", "-noreset", "-nolisten", "tcp",
                "-nocursor"), display);
        waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + display.substring(1))), "Xvfb");
        start(work, "xterm", List.of("xterm", "-geometry", "100x45+0+0", "-fa", "DejaVu Sans Mono", "-fs", "10"),
                display);
        Thread.sleep(1000);
        run(display, "xdotool", "mousemove", "200", "200"); // focus follows the pointer: the terminal
        int vncPort = 15900 + Integer.parseInt(display.substring(1));
        start(work, "x11vnc", List.of("x11vnc", "-display", display, "-rfbport", Integer.toString(vncPort),
                "-localhost", "-nopw", "-forever", "-shared", "-q"), display);
        Path pw = Files.writeString(work.resolve("pw"), "benchmark password\n");
        // No desktop notices, connected-Guests window or control bar: they would paint on the measured screen.
        Files.createDirectories(work.resolve("host/etc"));
        Files.writeString(work.resolve("host/etc/org.tandemrc.host.desktop.cfg"), "notices = false\n");
        // A share for the copy that step 4 runs while it presses keys, and the 1 GiB it copies.
        Files.createDirectories(work.resolve("share"));
        Files.writeString(work.resolve("host/etc/org.tandemrc.files.cfg"), "shares = bench=" + work.resolve("share") + "\n");
        Path big = work.resolve("big.bin");
        try (java.io.OutputStream o = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            java.util.Random random = new java.util.Random(24);
            for (int i = 0; i < COPY_MIB; i++) {
                random.nextBytes(block);
                o.write(block);
            }
        }
        Process host = start(work, "host", List.of(dist.resolve("bin/tandem").toString(), "host", "--home",
                work.resolve("host").toString(), "--listen", "tcp:127.0.0.1:0", "--password-file", pw.toString()),
                display);
        Path hostOut = work.resolve("host.log");
        waitFor(() -> Files.readString(hostOut).contains("Stop with Ctrl+C"), "the Tandem host");
        Matcher m = Pattern.compile("listening\\s+tcp:127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(hostOut));
        if (!m.find()) {
            throw new IOException("the host did not say where it listens: " + Files.readString(hostOut));
        }
        int tandemPort = Integer.parseInt(m.group(1));
        waitFor(() -> portOpen(vncPort), "x11vnc");

        try (CountingRelay tandemRelay = new CountingRelay(tandemPort); CountingRelay vncRelay = new CountingRelay(vncPort)) {
            String tandemAddress = "tcp:127.0.0.1:" + tandemRelay.port();
            List<String> guest = List.of("--password-file", pw.toString(), "--home", work.resolve("guest").toString());

            // 1. The workload, both viewers at once.
            RfbClient vnc = new RfbClient(vncRelay.port());
            Process watch = guestProcess(dist, work, "watch", tandemAddress, Integer.toString(seconds + 4), guest);
            Thread.sleep(3000); // both have the first full screen
            long tandemBytes0 = tandemRelay.toClient.get();
            long vncBytes0 = vncRelay.toClient.get();
            long vncUpdates0 = vnc.updates.get();
            workload(work, display, seconds);
            long tandemBytes = tandemRelay.toClient.get() - tandemBytes0;
            long vncBytes = vncRelay.toClient.get() - vncBytes0;
            long vncUpdates = vnc.updates.get() - vncUpdates0;
            watch.waitFor(30, TimeUnit.SECONDS);
            String[] watchLines = Files.readString(work.resolve("watch.log")).trim().split("\\R");
            String watched = watchLines[watchLines.length - 1]; // the last line: frames and rate

            // 2. Idle: nothing changes.
            Thread.sleep(2000);
            long tIdle0 = tandemRelay.toClient.get();
            long vIdle0 = vncRelay.toClient.get();
            Process idleWatch = guestProcess(dist, work, "watch", "tcp:127.0.0.1:" + tandemPort, "7", guest);
            Thread.sleep(2000);
            long tIdle1 = tandemRelay.toClient.get();
            long vIdle1 = vncRelay.toClient.get();
            Thread.sleep(5000);
            long tandemIdle = tandemRelay.toClient.get() - tIdle1;
            long vncIdle = vncRelay.toClient.get() - vIdle1;
            idleWatch.waitFor(30, TimeUnit.SECONDS);
            vnc.close();

            // 3. Keystroke to pixels, one viewer at a time, into the terminal.
            Process lat = guestProcess(dist, work, "latency", tandemAddress, String.valueOf(KEYS), guest);
            lat.waitFor(120, TimeUnit.SECONDS);
            String tandemLatency = Files.readString(work.resolve("latency.log")).trim();
            double[] vncLatency;
            try (RfbClient v = new RfbClient(vncRelay.port())) {
                Thread.sleep(1000);
                vncLatency = v.latency(KEYS);
            }

            // 4. Keystroke to pixels again, while the same connection carries a 1 GiB copy to the Host (again
            // and again until the keystrokes are measured): input must still overtake the transfer.
            List<String> copying = new ArrayList<>(guest);
            copying.addAll(List.of("--while-copying", big.toString(), "--to", "/bench/big.bin"));
            Process busy = guestProcess(dist, work, "latency", tandemAddress, String.valueOf(KEYS), copying);
            busy.waitFor(300, TimeUnit.SECONDS);
            String[] busyLines = Files.readString(work.resolve("latency.log")).trim().split("\\R");
            if (busy.exitValue() != 0 || busyLines.length < 2) {
                throw new IOException("latency while copying failed: " + String.join("\n", busyLines));
            }
            double idleP95 = p95(tandemLatency);
            double busyP95 = p95(busyLines[busyLines.length - 2]);

            System.out.printf("Remote control, Tandem vs x11vnc (ZRLE), 1920x1080 Xvfb, %d s workload: typing, "
                    + "scrolling text, dragging a window, a 480x320 photo-like region at 10 pictures/s%n", seconds);
            System.out.printf("  bytes on the wire, server to viewer:  Tandem %,d   x11vnc %,d   ratio %.2f%n", tandemBytes,
                    vncBytes, (double) tandemBytes / vncBytes);
            System.out.printf("  frames delivered:                     Tandem (%s)   x11vnc %d updates%n", watched,
                    vncUpdates);
            System.out.printf("  idle screen, 5 s:                     Tandem %d bytes   x11vnc %d bytes%n", tandemIdle,
                    vncIdle);
            System.out.printf("  keystroke to pixels:                  Tandem %s%n", tandemLatency);
            System.out.printf("                                        x11vnc median %.1f ms, p95 %.1f ms%n",
                    vncLatency[0], vncLatency[1]);
            System.out.printf("  keystroke to pixels during a %d MiB copy on the same connection:%n", COPY_MIB);
            System.out.printf("                                        Tandem %s%n", busyLines[busyLines.length - 2]);
            System.out.printf("                                        (%s)%n", busyLines[busyLines.length - 1]);
            System.out.printf("  p95 during the copy / p95 idle:       %.2f (goal <= 1.5)%n", busyP95 / idleP95);
            if (tIdle0 < 0 || vIdle0 < 0) {
                throw new IllegalStateException();
            }
        } finally {
            host.destroy();
            PROCESSES.forEach(Process::destroy);
        }
    }

    /** The size of the file step 4 copies while it measures. */
    static final int COPY_MIB = 1024;
    /**
     * Keystrokes per latency figure: a p95 of 40 is the second worst of them and moved by 20 ms from one
     * run to the next; of 100 it is the fifth worst.
     */
    static final int KEYS = 100;

    /** The p95 figure of a line of {@code tandem guest latency}. */
    static double p95(String line) {
        Matcher m = Pattern.compile("p95 ([0-9.]+) ms").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no p95 in: " + line);
        }
        return Double.parseDouble(m.group(1));
    }

    static void workload(Path work, String display, int seconds) throws Exception {
        Process photo = start(work, "photo", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PhotoWindow.class.getName()), display);
        Process logo = start(work, "xlogo", List.of("xlogo", "-geometry", "300x300+700+600"), display);
        Thread.sleep(1500);
        if (!photo.isAlive()) {
            throw new IOException("the photo window did not start: " + Files.readString(work.resolve("photo.log")));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int step = 0;
        while (System.nanoTime() < end) {
            run(display, "xdotool", "mousemove", "200", "200");
            run(display, "xdotool", "type", "--delay", "40", "ls -la /usr/lib/x86_64-linux-gnu | head -60");
            run(display, "xdotool", "key", "Return");
            for (int i = 0; i < 10; i++) {
                run(display, "xdotool", "search", "--name", "xlogo", "windowmove", Integer.toString(700 + (step % 20) * 20),
                        Integer.toString(600 - (step % 10) * 15));
                step++;
                Thread.sleep(50);
            }
        }
        photo.destroy();
        logo.destroy();
        run(display, "xdotool", "mousemove", "200", "200");
        run(display, "xdotool", "type", "clear");
        run(display, "xdotool", "key", "Return");
    }

    static Process guestProcess(Path dist, Path work, String verb, String address, String arg, List<String> opts)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/tandem").toString(), "guest", verb, address, arg));
        cmd.addAll(opts);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(verb + ".log").toFile())
                .start();
    }

    static Process start(Path work, String name, List<String> cmd, String display) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        PROCESSES.add(p);
        return p;
    }

    static void run(String display, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DISPLAY", display);
        pb.start().waitFor(30, TimeUnit.SECONDS);
    }

    static int freeDisplay() {
        for (int n = 120; n < 200; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                return n;
            }
        }
        throw new IllegalStateException("no free X display number");
    }

    static boolean portOpen(int port) {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not there yet
            }
            Thread.sleep(100); // waiting for another process
        }
        throw new IOException(what + " did not start within 30 s");
    }
}
