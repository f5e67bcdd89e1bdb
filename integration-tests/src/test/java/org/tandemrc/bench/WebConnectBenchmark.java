package org.tandemrc.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import static org.tandemrc.bench.LinkTransfer.*;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.comm.webconnect.internal.WebConnectDevice;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Hello;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.relay.internal.RelayServer;
import org.tandemrc.webconnect.store.Store;

/**
 * WebConnect against direct TCP, and how many idle Hosts a manager + relay hold in 1 GiB of heap.
 * <ol>
 * <li>Throughput of one link: the sender sends MEGABYTES in 64 KiB messages, stopping while
 *     {@code congested()} and resuming on {@code writable()}; the receiver checks each message's size and
 *     order and a CRC32C over the stream; time until the last byte arrived; a warm-up run, then the median
 *     of 3. Paths: the {@code tcp} device direct; the {@code webconnect} device on both sides through a
 *     Connection Manager and a relay (in this JVM, on loopback, H2 in memory); and as raw references a
 *     plain JDK socket stream, direct and through a trivial JDK byte-forwarding proxy (two threads,
 *     blocking 64 KiB copies) — the simplest relay possible.</li>
 * <li>Idle Hosts: a manager + relay in one child JVM ({@code -Xmx1g -XX:+UseSerialGC}, H2 file store);
 *     this JVM registers HOSTS Hosts, each with its own control connection, SRP logon and name, speaking
 *     the device's wire protocol with a lean Netty client (see {@link LeanHost}); then the child forces a
 *     full GC and reports heap used; bytes per Host = (after − before) / Hosts; projected Hosts per GiB =
 *     (1 GiB − heap before) / bytes per Host. Then the real {@code webconnect} device, as a Guest, connects
 *     to randomly chosen registered Hosts and exchanges a message with each, timed.</li>
 * </ol>
 * Run by scripts/benchmark-webconnect.sh. Arguments: [MEGABYTES] [HOSTS] (default 256 10000; 0 skips a part).
 */
public final class WebConnectBenchmark {

    private static final int RUNS = 3;
    private static final double TARGET_RATIO = 0.8;
    private static final int TARGET_HOSTS = 10_000;
    static final String ACCOUNT = "bench";
    static final String PASSWORD = "correct horse battery staple";
    private static final int GUEST_PROBES = 5;
    /** Registrations in flight at once (logon + REGISTER). */
    private static final int CONCURRENT_REGISTRATIONS = 64;
    /** Connections per loopback source address before the next 127.0.0.x is used. */
    private static final int PER_SOURCE = 20_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("WebConnectBenchmark [MEGABYTES] [HOSTS] [PATHS]   (default 256 10000 tcp,webconnect,jdk,proxy;"
                    + " 0 skips that part; PATHS picks throughput rows, for profiling)");
            return;
        }
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int hosts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        List<String> paths = List.of((args.length > 2 ? args[2] : "tcp,webconnect,jdk,proxy").split(","));
        if (megabytes < 0 || hosts < 0) {
            throw new IllegalArgumentException("MEGABYTES and HOSTS must not be negative");
        }
        System.out.printf("Tandem WebConnect benchmark, loopback: %d cores, Java %s (%s), %s %s %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                load());
        List<String> problems = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        if (megabytes > 0) {
            rows = throughput(megabytes, paths, problems);
        }
        HostsResult hr = null;
        if (hosts > 0) {
            try {
                hr = idleHosts(hosts, problems);
            } catch (Exception e) {
                problems.add("idle Hosts: " + describe(e));
                e.printStackTrace();
            }
        }
        System.out.println();
        System.out.println("================================ results ================================");
        if (!rows.isEmpty()) {
            printThroughput(rows, megabytes);
        }
        if (hr != null) {
            printHosts(hr);
        }
        System.out.printf("load average at the end: %.2f (2 cores shared with other work: figures vary with it)%n", load());
        if (!problems.isEmpty()) {
            System.out.println("PROBLEMS:");
            problems.forEach(p -> System.out.println("  " + p));
            throw new IllegalStateException(problems.size() + " problem(s), see PROBLEMS above");
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    // ===================================================================================== throughput

    /** cpuPerGB: CPU seconds this whole JVM used (all threads: sender, devices, relay, receiver) per GB moved. */
    private record Row(String name, double mbPerSecond, String runs, double cpuPerGB, double switchesPerMB, String note) {
    }

    /** Voluntary context switches of all threads of this JVM (a thread blocking or handing work to another), Linux only. */
    private static long voluntarySwitches() {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:")) {
                            sum += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * One open path, ready to carry transfers: its runs are interleaved with the other paths' runs (round
     * 1 of every path, then round 2, ...) so that all face the same load on a shared machine.
     */
    private interface Bench extends AutoCloseable {
        double run(long bytes) throws Exception;

        default String note() {
            return "";
        }
    }

    private interface Run {
        double run(long bytes) throws Exception;
    }

    /** A bench made of its parts: one run, the note on its row, and what closing it stops. */
    private static Bench bench(Run run, java.util.function.Supplier<String> note, AutoCloseable close) {
        return new Bench() {
            @Override
            public double run(long bytes) throws Exception {
                return run.run(bytes);
            }

            @Override
            public String note() {
                return note.get();
            }

            @Override
            public void close() throws Exception {
                close.close();
            }
        };
    }

    private interface Opener {
        Bench open() throws Exception;
    }

    private static List<Row> throughput(int megabytes, List<String> paths, List<String> problems) throws Exception {
        long bytes = (long) megabytes << 20;
        // Warm-up: twice a run per path. The webconnect path runs much more code (devices, relay, manager) than
        // the others: with a short warm-up, JIT compilation lands in its measured rounds and is charged to it.
        long warmBytes = 2 * bytes;
        System.out.printf("throughput: %d MiB in %d KiB messages (warm-up %d MiB per path), %d rounds interleaved over"
                + " the paths, median per path, MB = 10^6 bytes%n", megabytes, MESSAGE >> 10, warmBytes >> 20, RUNS);
        String[] keys = {"tcp", "webconnect", "jdk", "proxy"};
        String[] names = {"tcp device, direct", "webconnect device, manager + relay", "jdk socket, direct",
            "jdk socket via jdk proxy"};
        Opener[] openers = {WebConnectBenchmark::openTcp, WebConnectBenchmark::openWebConnect, () -> openJdk(false),
            () -> openJdk(true)};
        int n = keys.length;
        Bench[] benches = new Bench[n];
        List<List<Double>> results = new ArrayList<>();
        long[] cpu = new long[n];
        long[] switches = new long[n];
        String[] failed = new String[n];
        try {
            for (int i = 0; i < n; i++) {
                results.add(new ArrayList<>());
                if (!paths.contains(keys[i])) {
                    failed[i] = "not run";
                    continue;
                }
                try {
                    benches[i] = openers[i].open();
                    benches[i].run(warmBytes);
                } catch (Exception e) {
                    failed[i] = describe(e);
                    problems.add(names[i] + ": " + describe(e));
                    e.printStackTrace();
                }
            }
            for (int r = 0; r < RUNS; r++) {
                for (int i = 0; i < n; i++) {
                    if (failed[i] != null) {
                        continue;
                    }
                    long c0 = cpuNanos();
                    long s0 = voluntarySwitches();
                    try {
                        results.get(i).add(benches[i].run(bytes));
                    } catch (Exception e) {
                        failed[i] = describe(e);
                        problems.add(names[i] + ": " + describe(e));
                        e.printStackTrace();
                        continue;
                    }
                    cpu[i] += cpuNanos() - c0;
                    switches[i] += voluntarySwitches() - s0;
                    System.out.printf("  round %d %-36s %6.0f MB/s, load average %.2f%n", r + 1, names[i],
                            results.get(i).get(r), load());
                }
            }
        } finally {
            for (Bench b : benches) {
                if (b != null) {
                    try {
                        b.close();
                    } catch (Exception e) {
                        problems.add("closing a throughput path: " + describe(e));
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Double> res = results.get(i);
            if (failed[i] != null || res.isEmpty()) {
                rows.add(new Row(failed[i] != null && failed[i].equals("not run") ? "(not run)" : names[i], Double.NaN,
                        failed[i] == null ? "-" : failed[i].equals("not run") ? "-" : "failed", Double.NaN, Double.NaN,
                        ""));
                continue;
            }
            String runs = format(res);
            List<Double> sorted = new ArrayList<>(res);
            Collections.sort(sorted);
            double moved = res.size() * (double) bytes;
            rows.add(new Row(names[i], sorted.get(sorted.size() / 2), runs, cpu[i] / 1e9 / (moved / 1e9),
                    switches[i] / (moved / 1e6), benches[i].note()));
        }
        return rows;
    }

    private static Bench openTcp() throws Exception {
        TcpDevice server = new TcpDevice();
        TcpDevice client = new TcpDevice();
        server.activate();
        client.activate();
        AtomicReference<Sink> sink = new AtomicReference<>();
        Endpoint ep = server.listen(new CommunicationProfile("bench-listen", "tcp",
                Map.of("bind", "127.0.0.1", "port", "0")), link -> new ServerHandler(sink));
        String address = ep.address().startsWith("tcp:") ? ep.address().substring(4) : ep.address();
        ClientHandler h = new ClientHandler();
        Link link = client.connect(new CommunicationProfile("bench-connect", "tcp", Map.of()), address, h)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return bench(bytes -> transfer(link, h, sink, bytes), () -> h.congestionWaits + " congestion waits", () -> {
            link.close("benchmark done");
            ep.close();
            client.deactivate();
            server.deactivate();
        });
    }

    private static Bench openWebConnect() throws Exception {
        String url = "jdbc:h2:mem:wcbench;DB_CLOSE_DELAY=-1";
        Store managerStore = new Store(url, "", "");
        Store relayStore = new Store(url, "", "");
        ManagerServer manager = new ManagerServer(new ManagerServer.Settings("", "127.0.0.1", 0, "", null, 60, 90, 100),
                managerStore);
        RelayServer relay = new RelayServer(new RelayServer.Settings("", "127.0.0.1", 0, "", 0, 0, 300, 20), relayStore);
        WebConnectDevice hostDevice = new WebConnectDevice();
        WebConnectDevice guestDevice = new WebConnectDevice();
        manager.start();
        relay.start();
        manager.accounts().put(ACCOUNT, PasswordVerifier.create(ACCOUNT, PASSWORD.toCharArray(), new SecureRandom(),
                1024, 1, 1), 0);
        hostDevice.activate();
        guestDevice.activate();
        AtomicReference<Sink> sink = new AtomicReference<>();
        Map<String, String> hs = deviceSettings(manager.address());
        hs.put("host-name", "bench-host");
        Endpoint ep = hostDevice.listen(new CommunicationProfile("bench-host", "webconnect", hs),
                link -> new ServerHandler(sink));
        ClientHandler h = new ClientHandler();
        Link link = guestDevice.connect(new CommunicationProfile("bench-guest", "webconnect",
                deviceSettings(manager.address())), "bench-host", h).toCompletableFuture().get(30, TimeUnit.SECONDS);
        return bench(bytes -> transfer(link, h, sink, bytes),
                () -> h.congestionWaits + " congestion waits; relay forwarded " + relay.bytesRelayed() / 1_000_000 + " MB", () -> {
            link.close("benchmark done");
            ep.close();
            guestDevice.deactivate();
            hostDevice.deactivate();
            relay.stop(true);
            manager.stop();
            relayStore.close();
            managerStore.close();
        });
    }

    private static Map<String, String> deviceSettings(String manager) {
        Map<String, String> s = new HashMap<>();
        s.put("manager", manager);
        s.put("account", ACCOUNT);
        s.put("password", PASSWORD);
        return s;
    }

    /** Sends {@code bytes} honouring congestion; MB/s from the first send until the last byte was counted. */
    // ------------------------------------------------------------------------------- raw JDK reference

    /** A blocking JDK socket stream into a sink thread, directly or through a two-thread copying proxy. */
    private static Bench openJdk(boolean viaProxy) throws Exception {
        List<Closeable> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServerSocketChannel target = ServerSocketChannel.open();
        open.add(target::close);
        target.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        AtomicReference<Sink> sinkRef = new AtomicReference<>();
        daemon("bench-raw-sink", () -> {
            try (SocketChannel s = target.accept()) {
                LinkTransfer.feed(s, sinkRef);
            } catch (IOException e) {
                // closed by the benchmark
            }
        });
        InetSocketAddress dial = (InetSocketAddress) target.getLocalAddress();
        if (viaProxy) {
            ServerSocketChannel proxy = ServerSocketChannel.open();
            open.add(proxy::close);
            proxy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress to = dial;
            daemon("bench-raw-proxy", () -> {
                try {
                    SocketChannel in = proxy.accept();
                    SocketChannel out = SocketChannel.open(to);
                    open.add(in::close);
                    open.add(out::close);
                    daemon("bench-raw-proxy-up", () -> copy(in, out));
                    daemon("bench-raw-proxy-down", () -> copy(out, in));
                } catch (IOException e) {
                    // closed
                }
            });
            dial = (InetSocketAddress) proxy.getLocalAddress();
        }
        SocketChannel c = SocketChannel.open(dial);
        return bench(bytes -> streamTransfer(c, sinkRef, bytes), () -> "blocking writes", () -> {
            c.close();
            for (Closeable x : List.copyOf(open)) {
                try {
                    x.close();
                } catch (IOException e) {
                    // ignore
                }
            }
        });
    }


    private interface Closeable {
        void close() throws IOException;
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MESSAGE);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void printThroughput(List<Row> rows, int megabytes) {
        Row tcp = rows.get(0);
        Row wc = rows.get(1);
        Row jdk = rows.get(2);
        System.out.printf("Throughput: one link, %d MiB in 64 KiB messages, median of %d interleaved rounds (MB = 10^6 bytes)%n",
                megabytes, RUNS);
        System.out.printf("%-36s | %8s | %-16s | %-31s | %8s | %8s | %s%n", "path", "MB/s", "runs (MB/s)", "ratio",
                "CPU s/GB", "vcsw/MB", "sender");
        System.out.println("-".repeat(36) + "-+-" + "-".repeat(8) + "-+-" + "-".repeat(16) + "-+-" + "-".repeat(31)
                + "-+-" + "-".repeat(8) + "-+-" + "-".repeat(8) + "-+-" + "-".repeat(30));
        for (Row r : rows) {
            String ratio;
            if (r == tcp) {
                ratio = "1.00 (reference)";
            } else if (r == wc) {
                double x = r.mbPerSecond / tcp.mbPerSecond;
                ratio = String.format("%.2f of tcp, target %.1f %s", x, TARGET_RATIO,
                        Double.isNaN(x) ? "FAILED" : x >= TARGET_RATIO ? "PASS" : "BELOW");
            } else if (r == jdk) {
                ratio = String.format("%.2f of tcp", r.mbPerSecond / tcp.mbPerSecond);
            } else {
                ratio = String.format("%.2f of jdk direct", r.mbPerSecond / jdk.mbPerSecond);
            }
            System.out.printf("%-36s | %8.0f | %-16s | %-31s | %8.2f | %8.1f | %s%n", r.name, r.mbPerSecond, r.runs, ratio,
                    r.cpuPerGB, r.switchesPerMB, r.note);
        }
        System.out.println("(checked: byte count, message sizes and order, CRC32C of the whole stream; the webconnect row"
                + " runs devices, manager and relay in this JVM, H2 in memory;\n CPU s/GB = CPU time of this JVM, all"
                + " threads, over the measured runs per GB moved: less sensitive than MB/s to the other load on the machine;\n vcsw/MB ="
                + " voluntary context switches of this JVM's threads per MB (threads blocking or waking each other))");
    }

    // ====================================================================================== idle Hosts

    private record Heap(long used, long committed, long max, long hosts, long threads, long direct, long fds,
            long rssKiB) {
        static Heap parse(String line) {
            Map<String, Long> v = new LinkedHashMap<>();
            for (String kv : line.substring("HEAP ".length()).split(" ")) {
                int eq = kv.indexOf('=');
                v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
            return new Heap(v.get("used"), v.get("committed"), v.get("max"), v.get("hosts"), v.get("threads"),
                    v.get("direct"), v.get("fds"), v.get("rss"));
        }
    }

    private record Probe(String host, double connectMs, double echoMs) {
    }

    private record HostsResult(int requested, int registered, int failed, List<String> failures, double registerSeconds,
            Heap before, Heap early, int earlyHosts, Heap after, List<Probe> probes, int sources, String jvm, long loadFds) {
    }

    private static HostsResult idleHosts(int count, List<String> problems) throws Exception {
        Path dir = Files.createTempDirectory("tandem-bench-wc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvmOptions = List.of("-Xmx1g", "-XX:+UseSerialGC");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), WebConnectBenchServer.class.getName(), dir.toString(), ACCOUNT, PASSWORD));
        Path log = dir.resolve("server.log");
        System.out.printf("idle Hosts: server JVM %s (manager + relay, H2 file in %s, log %s)%n",
                String.join(" ", jvmOptions), dir, log);
        Process server = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader from = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter to = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
        EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-hosts", true));
        ExecutorService srp = Executors.newFixedThreadPool(2, new DefaultThreadFactory("bench-srp", true));
        List<LeanHost> registered = new ArrayList<>();
        WebConnectDevice guest = new WebConnectDevice();
        try {
            String ready = from.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IOException("the server JVM did not start: " + ready + "; see " + log);
            }
            Map<String, String> info = new HashMap<>();
            for (String kv : ready.substring(6).split(" ")) {
                info.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            String managerAddress = info.get("manager");
            System.out.printf("server JVM pid %s: manager %s, relay %s%n", info.get("pid"), managerAddress, info.get("relay"));
            Heap before = heap(from, to);
            System.out.printf("heap after GC before registration: %.1f MiB%n", before.used / 1048576.0);

            int sources = (count + PER_SOURCE - 1) / PER_SOURCE;
            HostPort hp = HostPort.parse(managerAddress, 6590, "manager");
            InetSocketAddress remote = new InetSocketAddress(hp.host(), hp.port());
            Semaphore permits = new Semaphore(CONCURRENT_REGISTRATIONS);
            List<LeanHost> all = new ArrayList<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            int earlyHosts = 0;
            long t0 = System.nanoTime();
            int checkpoint = count >= 1000 ? count / 10 : -1;
            Heap early = null;
            for (int i = 0; i < count; i++) {
                if (i == checkpoint) {
                    // All in flight done: the heap with a tenth of the Hosts, for the marginal cost per Host.
                    permits.acquire(CONCURRENT_REGISTRATIONS);
                    early = heap(from, to);
                    permits.release(CONCURRENT_REGISTRATIONS);
                    System.out.printf("heap after GC with %d Hosts (%d failed): %.1f MiB%n", i - failed.get(),
                            failed.get(), early.used / 1048576.0);
                    earlyHosts = i - failed.get();
                }
                permits.acquire();
                LeanHost h = new LeanHost(String.format("idle-%05d", i), srp);
                all.add(h);
                InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + i / PER_SOURCE), 0);
                h.start(group, remote, local);
                h.registered.whenComplete((v, e) -> {
                    permits.release();
                    if (e != null) {
                        failed.incrementAndGet();
                        if (failures.size() < 5) {
                            failures.add(h.name + ": " + describe(e));
                        }
                    }
                    int d = done.incrementAndGet();
                    if (d % 1000 == 0) {
                        System.out.printf("  %d of %d Hosts answered (%d failed), %.1f s%n", d, count, failed.get(),
                                (System.nanoTime() - t0) / 1e9);
                    }
                });
            }
            permits.acquire(CONCURRENT_REGISTRATIONS);
            permits.release(CONCURRENT_REGISTRATIONS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (LeanHost h : all) {
                if (h.registered.isDone() && !h.registered.isCompletedExceptionally()) {
                    registered.add(h);
                }
            }
            System.out.printf("registered %d of %d Hosts in %.1f s (%.0f per second), %d failed%n", registered.size(),
                    count, seconds, registered.size() / seconds, failed.get());
            if (failed.get() > 0) {
                problems.add(failed.get() + " of " + count + " Hosts failed to register, e.g. " + failures);
            }
            Heap after = heap(from, to);
            System.out.printf("heap after GC with %d idle Hosts: %.1f MiB (wc_host rows %d)%n", registered.size(),
                    after.used / 1048576.0, after.hosts);
            long loadFds;
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                loadFds = fds.count();
            }

            // Reachability: the real device as a Guest, to randomly chosen registered Hosts.
            List<Probe> probes = new ArrayList<>();
            guest.activate();
            Random random = new Random();
            for (int p = 0; p < GUEST_PROBES && !registered.isEmpty(); p++) {
                LeanHost target = registered.get(random.nextInt(registered.size()));
                try {
                    probes.add(probe(guest, managerAddress, target.name));
                    Probe last = probes.get(probes.size() - 1);
                    System.out.printf("Guest -> %s: link open %.1f ms after connect(), message echoed %.2f ms later%n",
                            last.host, last.connectMs, last.echoMs);
                } catch (Exception e) {
                    problems.add("Guest -> " + target.name + ": " + describe(e));
                }
            }
            // Still all there after the probes (no Host dropped meanwhile)?
            long alive = registered.stream().filter(LeanHost::alive).count();
            if (alive != registered.size()) {
                problems.add((registered.size() - alive) + " registered Hosts lost their control connection");
            }
            return new HostsResult(count, registered.size(), failed.get(), new ArrayList<>(failures), seconds, before,
                    early, earlyHosts, after, probes, sources, String.join(" ", jvmOptions), loadFds);
        } finally {
            try {
                guest.deactivate();
            } catch (Exception e) {
                // not activated
            }
            to.println("quit");
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            srp.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Heap heap(BufferedReader from, PrintWriter to) throws IOException {
        to.println("heap");
        String line = from.readLine();
        if (line == null || !line.startsWith("HEAP ")) {
            throw new IOException("the server JVM answered " + line);
        }
        return Heap.parse(line);
    }

    private static Probe probe(WebConnectDevice guest, String manager, String host) throws Exception {
        CompletableFuture<byte[]> echo = new CompletableFuture<>();
        LinkHandler handler = new LinkHandler() {
            @Override
            public void received(Link link, ByteBuffer message) {
                byte[] b = new byte[message.remaining()];
                message.get(b);
                echo.complete(b);
            }

            @Override
            public void closed(Link link, String reason) {
                echo.completeExceptionally(new IOException("closed: " + reason));
            }
        };
        long t0 = System.nanoTime();
        Link link = guest.connect(new CommunicationProfile("bench-guest", "webconnect", deviceSettings(manager)), host,
                handler).toCompletableFuture().get(30, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        try {
            byte[] msg = ("hello " + host + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            link.send(ByteBuffer.wrap(msg));
            byte[] got = echo.get(10, TimeUnit.SECONDS);
            long t2 = System.nanoTime();
            if (!java.util.Arrays.equals(got, msg)) {
                throw new IllegalStateException("the echo differs from the message");
            }
            return new Probe(host, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        } finally {
            link.close("probe done");
        }
    }

    /** The class path of this run, for the child JVM (exec:java runs us in a URLClassLoader). */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        ClassLoader cl = WebConnectBenchmark.class.getClassLoader();
        while (cl != null) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        parts.add(new File(url.toURI()).getPath());
                    } catch (Exception e) {
                        parts.add(url.getPath());
                    }
                }
            }
            cl = cl.getParent();
        }
        if (parts.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, parts);
    }

    private static void printHosts(HostsResult r) {
        long perHost = r.registered == 0 ? 0 : (r.after.used - r.before.used) / r.registered;
        long gib = 1L << 30;
        // The marginal cost (from a tenth of the Hosts to all) is free of one-time allocations at the start.
        long marginal = r.early == null || r.registered <= r.earlyHosts ? perHost
                : (r.after.used - r.early.used) / (r.registered - r.earlyHosts);
        long cost = Math.max(perHost, marginal);
        long projected = cost <= 0 ? 0 : (gib - r.before.used) / cost;
        boolean fit = r.registered >= TARGET_HOSTS;
        System.out.printf("Idle Hosts: one manager + one relay in one JVM (%s, heap max %.0f MiB), H2 file store;%n",
                r.jvm, r.before.max / 1048576.0);
        System.out.printf("  %d Hosts requested, each its own control connection + SRP logon + REGISTER (lean wire client,"
                + " %d loopback source address(es))%n", r.requested, r.sources);
        System.out.printf("%-44s | %s%n", "measure", "value");
        System.out.println("-".repeat(44) + "-+-" + "-".repeat(48));
        System.out.printf("%-44s | %d of %d (%d failed) in %.1f s, %.0f/s%n", "Hosts registered", r.registered,
                r.requested, r.failed, r.registerSeconds, r.registered / r.registerSeconds);
        System.out.printf("%-44s | %d%n", "wc_host rows (manager's view)", r.after.hosts);
        System.out.printf("%-44s | %.1f MiB%n", "heap used after GC, before registration", r.before.used / 1048576.0);
        System.out.printf("%-44s | %.1f MiB (committed %.1f MiB)%n", "heap used after GC, all Hosts registered",
                r.after.used / 1048576.0, r.after.committed / 1048576.0);
        System.out.printf("%-44s | %,d bytes (%.1f KiB)%n", "heap per idle Host, (after - before) / Hosts", perHost,
                perHost / 1024.0);
        if (r.early != null) {
            System.out.printf("%-44s | %.1f MiB%n", "heap used after GC with " + r.earlyHosts + " Hosts",
                    r.early.used / 1048576.0);
            System.out.printf("%-44s | %,d bytes (%.1f KiB)%n", "marginal heap per Host, " + r.earlyHosts + " -> "
                    + r.registered, marginal, marginal / 1024.0);
        }
        System.out.printf("%-44s | %,d  (target >= %,d: %s; %s)%n", "projected Hosts per 1 GiB heap", projected,
                TARGET_HOSTS, projected >= TARGET_HOSTS ? "PASS" : "BELOW",
                fit ? "and " + r.registered + " actually held within -Xmx1g" : "only " + r.registered + " measured");
        System.out.printf("%-44s | threads %d -> %d, fds %d -> %d, Netty pooled direct %.1f -> %.1f MiB, RSS %.0f -> %.0f MiB%n",
                "server JVM besides the heap", r.before.threads, r.after.threads, r.before.fds, r.after.fds,
                r.before.direct / 1048576.0, r.after.direct / 1048576.0, r.before.rssKiB / 1024.0, r.after.rssKiB / 1024.0);
        System.out.printf("%-44s | %d open file descriptors%n", "load JVM (this one)", r.loadFds);
        List<Double> connects = new ArrayList<>();
        for (Probe p : r.probes) {
            connects.add(p.connectMs);
            System.out.printf("%-44s | link open %.1f ms after connect(), echo %.2f ms%n", "Guest (webconnect device) -> " + p.host,
                    p.connectMs, p.echoMs);
        }
        if (!connects.isEmpty()) {
            Collections.sort(connects);
            System.out.printf("%-44s | %.1f ms over %d random Hosts%n", "median Guest connect", connects.get(connects.size() / 2),
                    connects.size());
        }
        System.out.println("(heap per Host = (heap after - heap before) / Hosts registered, both after System.gc() in the"
                + " server JVM (Serial GC: a full compacting collection); projected = (1 GiB - heap before) / the larger of the two per-Host figures)");
    }

    // ----------------------------------------------------------------------------- the lean Host client

    /**
     * An idle Host as the device's HostEndpoint is on the wire: its own TCP control connection, LOGON /
     * CHALLENGE / PROOF / WELCOME (SRP-6a, the same SrpClient), REGISTER(name, instance, no pairings),
     * a PING every 20 s (the device's default idle-timeout 60 s / 3); on an OFFER it dials the relay with the
     * token, says HELLO as the Host and echoes every DATA message back (with an ACK). Unlike HostEndpoint
     * it needs no thread per Host: thousands share two event loop threads, so this JVM measures the
     * server, not its own threads.
     */
    private static final class LeanHost extends ChannelInboundHandlerAdapter {
        final String name;
        final CompletableFuture<Void> registered = new CompletableFuture<>();
        private final ExecutorService srpPool;
        private final String instance = UUID.randomUUID().toString();
        private volatile Channel channel;
        private volatile SrpClient srp;

        LeanHost(String name, ExecutorService srpPool) {
            this.name = name;
            this.srpPool = srpPool;
        }

        boolean alive() {
            Channel c = channel;
            return c != null && c.isActive();
        }

        void start(EventLoopGroup group, InetSocketAddress remote, InetSocketAddress local) {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Frames.decoder(Frames.MAX_CONTROL_FRAME));
                            ch.pipeline().addLast(LeanHost.this);
                        }
                    });
            ChannelFuture f = b.connect(remote, local);
            channel = f.channel();
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    registered.completeExceptionally(x.cause());
                }
            });
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new Logon.Request(Frames.VERSION, ACCOUNT, "host").frame());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf f = (ByteBuf) msg;
            try {
                WireReader r = Fields.reader(f);
                int type = r.u8("frame type");
                switch (type) {
                    case Frames.CHALLENGE -> {
                        Logon.Challenged challenge = Logon.Challenged.read(r);
                        Channel ch = ctx.channel();
                        srpPool.execute(() -> {
                            try {
                                SrpClient c = new SrpClient(ACCOUNT, PASSWORD.toCharArray(), new SecureRandom());
                                ByteBuf proof = challenge.answer(c, ACCOUNT);
                                srp = c;
                                ch.writeAndFlush(proof);
                            } catch (Exception e) {
                                registered.completeExceptionally(e);
                                ch.close();
                            }
                        });
                    }
                    case Frames.WELCOME -> {
                        srp.verifyServer(Logon.Welcome.read(r).serverProof());
                        srp.clear();
                        srp = null;
                        ctx.writeAndFlush(new Pairing.Register(name, instance, List.of()).frame());
                    }
                    case Frames.REGISTERED -> {
                        registered.complete(null);
                        Channel ch = ctx.channel();
                        ch.eventLoop().scheduleAtFixedRate(() -> ch.writeAndFlush(Frames.frame(Frames.PING)), 20, 20,
                                TimeUnit.SECONDS);
                    }
                    case Frames.PING -> {
                    }
                    case Frames.OFFER -> {
                        Pairing.Offer offer = Pairing.Offer.read(r);
                        HostPort hp = HostPort.parse(offer.relayAddress(), 6591, "relay");
                        new Bootstrap().group(ctx.channel().eventLoop()).channel(NioSocketChannel.class)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .handler(new ChannelInitializer<Channel>() {
                                    @Override
                                    protected void initChannel(Channel ch) {
                                        ch.pipeline().addLast(Frames.decoder((16 << 20) + 9));
                                        ch.pipeline().addLast(new EchoLink(offer.pairingId(), offer.token()));
                                    }
                                }).connect(hp.host(), hp.port());
                    }
                    case Frames.ERROR -> {
                        registered.completeExceptionally(new IOException(Fields.string(r, "reason")));
                        ctx.close();
                    }
                    default -> {
                        registered.completeExceptionally(new IOException("unexpected frame " + type));
                        ctx.close();
                    }
                }
            } catch (Exception e) {
                registered.completeExceptionally(e);
                ctx.close();
            } finally {
                ReferenceCountUtil.release(f);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            registered.completeExceptionally(new IOException("the manager closed the control connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            registered.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** The Host end of one link, as the device speaks it: RELAY_TOKEN, HELLO, then DATA echoed back. */
    private static final class EchoLink extends ChannelInboundHandlerAdapter {
        private final byte[] pairing;
        private final byte[] token;
        private int phase;
        private long sent;

        EchoLink(byte[] pairing, byte[] token) {
            this.pairing = pairing;
            this.token = token;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Frames.frame(Frames.RELAY_TOKEN, Fields.bytes(new WireWriter(), token)));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws ProtocolException {
            ByteBuf f = (ByteBuf) msg;
            try {
                WireReader r = Fields.reader(f);
                int type = r.u8("frame type");
                if (phase == 0) {
                    if (type != Frames.RELAY_PAIRED) {
                        ctx.close();
                        return;
                    }
                    phase = 1;
                    ctx.writeAndFlush(new Hello(Frames.VERSION, pairing, Frames.ROLE_HOST, 0).frame());
                } else if (phase == 1) {
                    if (type != Frames.HELLO) {
                        ctx.close();
                        return;
                    }
                    phase = 2;
                } else if (type == Frames.DATA) {
                    long seq = r.i64("seq");
                    ByteBuf payload = Unpooled.copiedBuffer(f.skipBytes(1 + 8));
                    ctx.write(Frames.longFrame(Frames.ACK, seq));
                    ctx.write(Frames.dataHeader(++sent, payload.readableBytes()));
                    ctx.writeAndFlush(payload);
                } else if (type == Frames.CLOSE) {
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(f);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    // ---------------------------------------------------------------------------------------- helpers


    private WebConnectBenchmark() {
    }
}
