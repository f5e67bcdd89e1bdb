package org.tandemrc.bench;

import static org.tandemrc.bench.LinkTransfer.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.testing.Netns;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.comm.webconnect.internal.WebConnectDevice;

/**
 * Relayed throughput against direct TCP where the network, not the CPU, is the limit: Guest, Host and
 * manager + relay each in its own JVM and its own network namespace, the Guest's and the Host's access
 * links shaped to a rate, the relay's link not.
 *
 * <p>Network (made and deleted here; needs root): namespace {@code x} routes between {@code g} (Guest,
 * 10.209.1.2), {@code h} (Host, 10.209.2.2) and {@code r} (manager + relay, 10.209.3.2), each joined to
 * {@code x} by a veth pair. For a RATE, a token bucket ({@code tc tbf}) limits both directions of the
 * Guest's and the Host's access links (g→x, x→g, h→x, x→h), so the direct path (g→x→h) and the relayed one
 * (g→x→r→x→h) cross the same bottleneck. {@code none} shapes nothing: all three processes then compete for
 * the CPU as in the loopback benchmark, but across real interfaces and processes. This kernel has no
 * {@code sch_netem}, so no delay is added: round trips are the veths' (tens of microseconds).
 *
 * <p>Processes: {@link WebConnectBenchServer} in {@code r}; this class's {@code host} role in {@code h}
 * (the {@code tcp} device listening, and a {@code webconnect} Host registered with the manager); and its
 * {@code guest} role in {@code g}, which opens a {@code tcp} link to the Host and a {@code webconnect}
 * link through manager and relay and keeps both for all rates. First, unshaped, 2 × MEGABYTES per path
 * warm up all three JVMs (without it, JIT compilation in the relay process dominates its CPU figure at
 * low rates); then, per rate, one warm-up run per path and interleaved rounds. A run
 * announces its size ({@code 'S'}), sends 64 KiB messages honouring congestion, and ends when the Host
 * reports ({@code 'D'}) the byte count and CRC32C it received: both are checked, and the time includes
 * that report's one-way trip.
 *
 * <p>Arguments: [RATES] [MEGABYTES]: rates like {@code 100mbit}, {@code 1gbit} or {@code none}, comma
 * separated (default {@code none,1gbit,100mbit}); MEGABYTES per run without shaping (default 256); a shaped
 * run moves about 4 s worth of its rate (16 MiB at least, MEGABYTES at most).
 */
public final class WebConnectWanBenchmark {

    private static final int RUNS = 3;
    private static final double TARGET_RATIO = 0.8;
    private static final String HOST_NAME = "wan-host";
    private static final Pattern RATE = Pattern.compile("(\\d+)(kbit|mbit|gbit)");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("host")) {
            host(args[1], args[2]);
        } else if (args.length > 0 && args[0].equals("guest")) {
            guest(args[1], args[2]);
        } else if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("WebConnectWanBenchmark [RATES] [MEGABYTES]   (default none,1gbit,100mbit 256; needs root)");
        } else {
            coordinate(List.of((args.length > 0 ? args[0] : "none,1gbit,100mbit").split(",")),
                    args.length > 1 ? Integer.parseInt(args[1]) : 256);
        }
    }

    /** Bits per second of {@code 100mbit}-style rates; 0 for {@code none}. */
    static long bitsPerSecond(String rate) {
        if (rate.equals("none")) {
            return 0;
        }
        Matcher m = RATE.matcher(rate.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("rate '" + rate + "' is none or a number with kbit, mbit or gbit");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2)) {
            case "kbit" -> 1_000L;
            case "mbit" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
    }

    // ===================================================================================== coordinator

    private record Result(String rate, double lineMBs, List<Double> tcp, List<Double> webconnect,
            double relayCpuPercent, String failure) {
    }

    private static void coordinate(List<String> rates, int megabytes) throws Exception {
        for (String rate : rates) {
            bitsPerSecond(rate);
        }
        if (megabytes < 16) {
            throw new IllegalArgumentException("MEGABYTES must be 16 or more");
        }
        if (!System.getProperty("user.name").equals("root")) {
            throw new IllegalStateException("the WAN benchmark makes network namespaces and shapes links: run it as root");
        }
        System.out.printf("Tandem WebConnect benchmark across namespaces: %d cores, Java %s, %s %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("os.name"),
                System.getProperty("os.version"), load());
        Path dir = Files.createTempDirectory("tandem-bench-wan");
        List<Result> results = new ArrayList<>();
        List<Child> children = new ArrayList<>();
        try (Netns net = new Netns("wan")) {
            String x = net.add("x");
            String g = net.add("g");
            String h = net.add("h");
            String r = net.add("r");
            net.link(g, "eth0", "10.209.1.2/24", x, "tog", "10.209.1.1/24");
            net.link(h, "eth0", "10.209.2.2/24", x, "toh", "10.209.2.1/24");
            net.link(r, "eth0", "10.209.3.2/24", x, "tor", "10.209.3.1/24");
            net.route(g, "10.209.0.0/16", "10.209.1.1");
            net.route(h, "10.209.0.0/16", "10.209.2.1");
            net.route(r, "10.209.0.0/16", "10.209.3.1");
            Netns.ip("netns", "exec", x, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            try {
                Child server = Child.start(children, r, dir.resolve("server.log"), WebConnectBenchServer.class.getName(),
                        dir.resolve("db").toString(), WebConnectBenchmark.ACCOUNT, WebConnectBenchmark.PASSWORD,
                        "10.209.3.2");
                Map<String, String> s = server.ready();
                String manager = s.get("manager");
                Child host = Child.start(children, h, dir.resolve("host.log"), WebConnectWanBenchmark.class.getName(), "host",
                        manager, "10.209.2.2");
                String tcp = host.ready().get("tcp");
                System.out.printf("manager and relay %s / %s (ns r), Host tcp %s and webconnect '%s' (ns h), logs in %s%n",
                        manager, s.get("relay"), tcp, HOST_NAME, dir);
                Child guest = Child.start(children, g, dir.resolve("guest.log"), WebConnectWanBenchmark.class.getName(),
                        "guest", tcp, manager);
                guest.ready();
                System.out.printf("warm-up, unshaped: %d MiB per path%n", 2 * megabytes);
                guest.to.println("warm " + ((2L * megabytes) << 20));
                String warm = guest.from.readLine();
                if (warm == null || !warm.equals("WARM ok=true")) {
                    throw new IOException("the warm-up failed: " + warm + "; see " + guest.log);
                }
                for (String rate : rates) {
                    long bits = bitsPerSecond(rate);
                    for (String[] link : new String[][] {{g, "eth0"}, {x, "tog"}, {h, "eth0"}, {x, "toh"}}) {
                        if (bits == 0) {
                            net.unshape(link[0], link[1]);
                        } else {
                            net.shape(link[0], link[1], bits);
                        }
                    }
                    long bytes = bits == 0 ? (long) megabytes << 20
                            : Math.min((long) megabytes << 20, Math.max(16L << 20, (bits / 8 * 4) >> 20 << 20));
                    results.add(measure(guest, rate, bits, bytes, server));
                }
            } finally {
                for (Child c : children) {
                    c.stop();
                }
            }
        }
        print(results);
        List<String> failures = new ArrayList<>();
        for (Result res : results) {
            if (res.failure != null) {
                failures.add(res.rate + ": " + res.failure);
            }
        }
        if (!failures.isEmpty()) {
            System.out.println("PROBLEMS:");
            failures.forEach(f -> System.out.println("  " + f));
            throw new IllegalStateException(failures.size() + " problem(s), see PROBLEMS above; logs in " + dir);
        }
    }

    private static Result measure(Child guest, String rate, long bits, long bytes, Child server) throws Exception {
        System.out.printf("rate %s: %d MiB per run, warm-up 1 run per path, %d rounds interleaved%n", rate, bytes >> 20,
                RUNS);
        guest.to.println("measure " + bytes);
        List<Double> direct = new ArrayList<>();
        List<Double> relayed = new ArrayList<>();
        String failure = null;
        String line;
        // The relay process's CPU over the webconnect rounds only: asked when a tcp round ends (the webconnect
        // round starts right after) and when the webconnect round ends.
        long cpu = 0;
        long wall = 0;
        Map<String, String> before = null;
        long beforeAt = 0;
        while ((line = guest.from.readLine()) != null && !line.equals("END")) {
            if (line.startsWith("ROUND ")) {
                String[] f = line.split(" ");
                double mbs = Double.parseDouble(f[3]);
                (f[2].equals("tcp") ? direct : relayed).add(mbs);
                if (f[2].equals("tcp")) {
                    before = server.ask("cpu", "CPU ");
                    beforeAt = System.nanoTime();
                } else if (before != null) {
                    Map<String, String> after = server.ask("cpu", "CPU ");
                    wall += System.nanoTime() - beforeAt;
                    cpu += Long.parseLong(after.get("nanos")) - Long.parseLong(before.get("nanos"));
                    before = null;
                }
                System.out.printf("  round %s %-10s %8.1f MB/s, load average %.2f%n", f[1], f[2], mbs, load());
            } else if (line.startsWith("FAILED ")) {
                failure = line.substring(7);
            } else {
                System.out.println("  " + line);
            }
        }
        if (line == null && failure == null) {
            failure = "the Guest process ended early; see " + guest.log;
        }
        return new Result(rate, bits / 8e6, direct, relayed, wall == 0 ? Double.NaN : 100.0 * cpu / wall, failure);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println("================================ results ================================");
        System.out.println("Throughput of one link across namespaces (Guest, Host, manager + relay: 3 JVMs), median of " + RUNS
                + " interleaved rounds, MB = 10^6 bytes");
        System.out.printf("%-9s| %9s | %-26s | %-26s | %-30s | %s%n", "shaping", "line MB/s", "tcp direct MB/s (runs)",
                "webconnect MB/s (runs)", "ratio webconnect/tcp", "relay process CPU");
        System.out.println("-".repeat(9) + "+" + "-".repeat(11) + "+" + "-".repeat(28) + "+" + "-".repeat(28) + "+"
                + "-".repeat(32) + "+" + "-".repeat(20));
        for (Result r : results) {
            double t = median(r.tcp);
            double w = median(r.webconnect);
            double ratio = w / t;
            String verdict = Double.isNaN(ratio) ? "failed" : String.format("%.2f, target %.1f %s", ratio, TARGET_RATIO,
                    ratio >= TARGET_RATIO ? "PASS" : "BELOW");
            System.out.printf("%-9s| %9s | %-26s | %-26s | %-30s | %.0f %% of a core%n", r.rate,
                    r.lineMBs == 0 ? "-" : String.format("%.1f", r.lineMBs), figures(t, r.tcp), figures(w, r.webconnect),
                    verdict, r.relayCpuPercent);
        }
        System.out.println("(shaping: token bucket on both directions of the Guest's and the Host's access links, no added delay;"
                + " each run's byte count and CRC32C checked by the Host;");
        System.out.println(" relay process CPU: the manager + relay JVM during the webconnect rounds, including its idle work (about"
                + " 2 % of a core: heartbeats, offer polls), JIT compilation still going on in a young JVM, and kernel forwarding"
                + " work done in its system calls; per-byte CPU on a warm JVM: part 1's CPU s/GB)");
        System.out.printf("load average at the end: %.2f (2 cores shared with other work: unshaped figures vary with it)%n",
                load());
    }

    /** {@code median (run run run)}, one decimal below 100 MB/s. */
    private static String figures(double median, List<Double> runs) {
        StringBuilder b = new StringBuilder(one(median)).append(" (");
        for (int i = 0; i < runs.size(); i++) {
            b.append(i == 0 ? "" : " ").append(one(runs.get(i)));
        }
        return b.append(')').toString();
    }

    private static String one(double v) {
        return String.format(v < 100 ? "%.1f" : "%.0f", v);
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A child JVM in a namespace, spoken to over stdin/stdout, its stderr in a log file. */
    private static final class Child {
        final Process process;
        final BufferedReader from;
        final PrintWriter to;
        final Path log;

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.to = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Child start(List<Child> children, String ns, Path log, String main, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    WebConnectBenchmark.classPath(), main));
            cmd.addAll(List.of(args));
            Child c = new Child(new ProcessBuilder(cmd).redirectError(log.toFile()).start(), log);
            children.add(c);
            return c;
        }

        /** Waits for {@code READY k=v ...}. */
        Map<String, String> ready() throws IOException {
            String line = from.readLine();
            if (line == null || !line.startsWith("READY ")) {
                throw new IOException("a child JVM did not start (" + line + "); see " + log);
            }
            return fields(line.substring(6));
        }

        Map<String, String> ask(String command, String answer) throws IOException {
            to.println(command);
            String line = from.readLine();
            if (line == null || !line.startsWith(answer)) {
                throw new IOException("'" + command + "' answered " + line + "; see " + log);
            }
            return fields(line.substring(answer.length()));
        }

        void stop() throws InterruptedException {
            to.println("quit");
            to.close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        private static Map<String, String> fields(String text) {
            Map<String, String> m = new HashMap<>();
            for (String kv : text.trim().split(" ")) {
                m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            return m;
        }
    }

    private static Map<String, String> webconnectSettings(String manager) {
        Map<String, String> s = new HashMap<>();
        s.put("manager", manager);
        s.put("account", WebConnectBenchmark.ACCOUNT);
        s.put("password", WebConnectBenchmark.PASSWORD);
        return s;
    }

    // ===================================================================================== Host (ns h)

    private static void host(String manager, String bind) throws Exception {
        TcpDevice tcp = new TcpDevice();
        WebConnectDevice webconnect = new WebConnectDevice();
        tcp.activate();
        webconnect.activate();
        Endpoint direct = tcp.listen(new CommunicationProfile("wan-tcp", "tcp", Map.of("bind", bind, "port", "0")),
                link -> new Receiver());
        Map<String, String> s = webconnectSettings(manager);
        s.put("host-name", HOST_NAME);
        Endpoint relayed = webconnect.listen(new CommunicationProfile("wan-host", "webconnect", s), link -> new Receiver());
        String address = direct.address().startsWith("tcp:") ? direct.address().substring(4) : direct.address();
        System.out.println("READY tcp=" + address);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            // nothing else to do: the Guest drives the runs
        }
        relayed.close();
        direct.close();
        webconnect.deactivate();
        tcp.deactivate();
        System.exit(0);
    }

    /** The Host's side of one link: {@code 'S'} starts a run's {@link Sink}, its end is reported with {@code 'D'}. */
    private static final class Receiver implements LinkHandler {
        private Sink sink;

        @Override
        public void received(Link link, ByteBuffer message) {
            int p = message.position();
            if ((sink == null || sink.done.getCount() == 0) && message.remaining() == REPORT && message.get(p) == 'S') {
                sink = new Sink(message.getLong(p + 1), message.getLong(p + 9));
                return;
            }
            if (sink == null) {
                System.err.println("data before a run was announced: " + message.remaining() + " bytes");
                return;
            }
            sink.accept(message);
            if (sink.done.getCount() == 0) {
                if (sink.failure != null) {
                    System.err.println("run failed: " + sink.failure);
                }
                link.send(ByteBuffer.allocate(REPORT).put((byte) 'D').putLong(sink.count.get()).putLong(sink.crc.getValue())
                        .flip());
            }
        }

        @Override
        public void closed(Link link, String reason) {
            System.err.println("link closed: " + reason);
        }
    }

    // ===================================================================================== Guest (ns g)

    /**
     * Opens both links, prints {@code READY}, then serves commands: {@code warm BYTES} (that much per path,
     * answered {@code WARM ok=true}), {@code measure BYTES} (a warm-up run per path, then {@code ROUND} lines,
     * {@code FAILED} on a failure, {@code END}), {@code quit}.
     */
    private static void guest(String tcpAddress, String manager) throws Exception {
        TcpDevice tcp = new TcpDevice();
        WebConnectDevice webconnect = new WebConnectDevice();
        tcp.activate();
        webconnect.activate();
        ClientHandler th = new ClientHandler();
        ClientHandler wh = new ClientHandler();
        Link direct = tcp.connect(new CommunicationProfile("wan-tcp", "tcp", Map.of()), tcpAddress, th)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        Link relayed = webconnect.connect(new CommunicationProfile("wan-guest", "webconnect", webconnectSettings(manager)),
                HOST_NAME, wh).toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("READY tcp=" + direct.remoteAddress());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] command = line.split(" ");
            long bytes = Long.parseLong(command[1]);
            try {
                if (command[0].equals("warm")) {
                    for (long left = bytes; left > 0; left -= 256L << 20) {
                        run(direct, th, Math.min(left, 256L << 20));
                        run(relayed, wh, Math.min(left, 256L << 20));
                    }
                    System.out.println("WARM ok=true");
                } else {
                    run(direct, th, bytes);
                    run(relayed, wh, bytes);
                    for (int r = 1; r <= RUNS; r++) {
                        System.out.printf(Locale.ROOT, "ROUND %d tcp %.2f%n", r, run(direct, th, bytes));
                        System.out.flush();
                        System.out.printf(Locale.ROOT, "ROUND %d webconnect %.2f%n", r, run(relayed, wh, bytes));
                        System.out.flush();
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
                System.out.println((command[0].equals("warm") ? "WARM ok=false " : "FAILED ") + describe(e));
            }
            if (command[0].equals("measure")) {
                System.out.println("END");
            }
            System.out.flush();
        }
        relayed.close("benchmark done");
        direct.close("benchmark done");
        webconnect.deactivate();
        tcp.deactivate();
        System.exit(0);
    }

    /** One run to the Host process; MB/s from the announcement until its report arrived. */
    private static double run(Link link, ClientHandler handler, long bytes) throws Exception {
        long messages = (bytes + MESSAGE - 1) / MESSAGE;
        CRC32C crc = new CRC32C();
        for (long m = 0; m < messages; m++) {
            crc.update(slice(m, bytes));
        }
        CompletableFuture<ByteBuffer> report = new CompletableFuture<>();
        handler.report = report;
        // Only the receiving process sees progress; this Sink just gives sendAll its hang detection.
        Sink local = new Sink(bytes, messages);
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        link.send(ByteBuffer.allocate(REPORT).put((byte) 'S').putLong(bytes).putLong(messages).flip());
        sendAll(link, handler, local, bytes, sendFailure);
        if (sendFailure.get() != null) {
            throw new IOException("send failed: " + describe(sendFailure.get()));
        }
        // At least 1 MB/s, or it counts as hung.
        ByteBuffer r = report.get(60 + bytes / 1_000_000, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        handler.report = null;
        long count = r.getLong(1);
        long received = r.getLong(9);
        if (r.get(0) != 'D' || count != bytes || received != crc.getValue()) {
            throw new IOException("the Host received " + count + " of " + bytes + " bytes, CRC32C "
                    + Long.toHexString(received) + ", expected " + Long.toHexString(crc.getValue()));
        }
        return bytes / (elapsed / 1e9) / 1e6;
    }

    private WebConnectWanBenchmark() {
    }
}
