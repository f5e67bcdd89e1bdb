package org.tandemrc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.tandemrc.bench.LinkTransfer.*;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.comm.http.internal.HttpDevice;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.comm.terminalserver.internal.TerminalServerDevice;
import org.tandemrc.comm.udp.internal.UdpDevice;

/**
 * The communication devices side by side on loopback, with one harness: for each of tcp, udp, http
 * (WebSocket), http (streaming) and terminal-server, a listening and a connecting device instance in
 * this JVM, then
 * <ol>
 * <li>connect time: from {@code connect()} to the open link and one 1-byte echo back; warm-up
 *     connects first, then median and p95 over CONNECTS connects;</li>
 * <li>throughput: one link, the client sends MEGABYTES in 64 KiB messages, stopping while
 *     {@code congested()} and resuming on {@code writable()}; the listening side counts the bytes, checks
 *     each message's size and order and a CRC32C over the whole stream; the time is until the last byte
 *     arrived. A smaller warm-up run, then 3 runs; the median is reported.</li>
 * </ol>
 * Ratios are to the {@code tcp} device. A plain JDK {@link SocketChannel} blocking stream on loopback (no
 * Tandem framing, no Netty) is measured the same way as an outside reference. Run by
 * scripts/benchmark-devices.sh.
 *
 * <p>Arguments: [CONNECTS] [MEGABYTES] (default 50 and 256).
 */
public final class DeviceBenchmark {

    private static final int WARM_CONNECTS = 10;
    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("DeviceBenchmark [CONNECTS] [MEGABYTES]   (default 50 256)");
            return;
        }
        int connects = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        if (connects < 1 || megabytes < 1) {
            throw new IllegalArgumentException("CONNECTS and MEGABYTES must be at least 1");
        }
        long bytes = (long) megabytes << 20;
        long warmBytes = Math.max(MESSAGE, Math.min(bytes, Math.max(16L << 20, bytes / 4)));

        System.out.printf("Tandem device benchmark, loopback: %d cores, Java %s (%s), %s %s %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("settings: %d connects (%d warm-up not counted), connect = connect() until open link + "
                + "1-byte echo; throughput = %d MiB in %d KiB messages (warm-up %d MiB), median of %d runs, "
                + "MB = 10^6 bytes%n", connects, WARM_CONNECTS, megabytes, MESSAGE >> 10, warmBytes >> 20, RUNS);

        Path socketDir = Files.createTempDirectory("tandem-bench-ts");
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            List<Spec> specs = List.of(
                    new Spec("tcp", TcpDevice::new, Map.of("bind", "127.0.0.1", "port", "0"), Map.of()),
                    new Spec("udp", UdpDevice::new, Map.of("bind", "127.0.0.1", "port", "0"), Map.of()),
                    new Spec("http websocket", HttpDevice::new, Map.of("bind", "127.0.0.1", "port", "0"),
                            Map.of("mode", "websocket")),
                    new Spec("http streaming", HttpDevice::new, Map.of("bind", "127.0.0.1", "port", "0"),
                            Map.of("mode", "http")),
                    new Spec("terminal-server", TerminalServerDevice::new,
                            Map.of("socket-dir", socketDir.toString(), "session", "bench"),
                            Map.of("socket-dir", socketDir.toString())));
            for (Spec spec : specs) {
                System.out.printf("%-16s listen %s, connect %s ...%n", spec.name, spec.listen, spec.connect);
                rows.add(measureDevice(spec, connects, bytes, warmBytes, problems, notes));
            }
            System.out.printf("%-16s blocking java.nio SocketChannel pair on 127.0.0.1, 64 KiB writes ...%n",
                    "jdk socket");
            rows.add(measurePlain(connects, bytes, warmBytes, problems));
        } finally {
            try (Stream<Path> files = Files.walk(socketDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        printTable(rows, connects, megabytes);
        System.out.printf("load average at the end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (!notes.isEmpty()) {
            System.out.println("notes:");
            notes.forEach(p -> System.out.println("  " + p));
        }
        if (!problems.isEmpty()) {
            System.out.println("PROBLEMS:");
            problems.forEach(p -> System.out.println("  " + p));
            throw new IllegalStateException(problems.size() + " device(s) failed the benchmark, see PROBLEMS above");
        }
    }

    // ------------------------------------------------------------------------------------------ devices

    private interface DeviceFactory {
        CommunicationDevice create();
    }

    private record Spec(String name, DeviceFactory factory, Map<String, String> listen, Map<String, String> connect) {
    }

    private record Row(String name, double connectMedianMs, double connectP95Ms, double mbPerSecond, String runs,
            String backpressure) {
    }

    private static CommunicationDevice start(DeviceFactory factory) {
        CommunicationDevice d = factory.create();
        if (d instanceof TcpDevice) {
            ((TcpDevice) d).activate();
        } else if (d instanceof UdpDevice) {
            ((UdpDevice) d).activate();
        } else if (d instanceof HttpDevice) {
            ((HttpDevice) d).activate();
        } else if (d instanceof TerminalServerDevice) {
            ((TerminalServerDevice) d).activate();
        }
        return d;
    }

    private static void stop(CommunicationDevice d) throws InterruptedException {
        if (d instanceof TcpDevice) {
            ((TcpDevice) d).deactivate();
        } else if (d instanceof UdpDevice) {
            ((UdpDevice) d).deactivate();
        } else if (d instanceof HttpDevice) {
            ((HttpDevice) d).deactivate();
        } else if (d instanceof TerminalServerDevice) {
            ((TerminalServerDevice) d).deactivate();
        }
    }

    private static Row measureDevice(Spec spec, int connects, long bytes, long warmBytes, List<String> problems,
            List<String> notes) throws Exception {
        // Two instances, as two nodes would have: one listens, one connects.
        CommunicationDevice server = start(spec.factory);
        CommunicationDevice client = start(spec.factory);
        AtomicReference<Sink> sink = new AtomicReference<>();
        AtomicInteger serverLinks = new AtomicInteger();
        AtomicReference<ServerHandler> lastServer = new AtomicReference<>();
        double median = Double.NaN;
        double p95 = Double.NaN;
        double mbps = Double.NaN;
        String runs = "";
        String backpressure = "";
        try (Endpoint endpoint = server.listen(new CommunicationProfile("bench-listen", server.type(), spec.listen),
                link -> {
                    serverLinks.incrementAndGet();
                    ServerHandler h = new ServerHandler(sink);
                    lastServer.set(h);
                    return h;
                })) {
            String prefix = server.type() + ":";
            String address = endpoint.address().startsWith(prefix)
                    ? endpoint.address().substring(prefix.length()) : endpoint.address();
            CommunicationProfile profile = new CommunicationProfile("bench-connect", client.type(), spec.connect);

            // Connect time.
            try {
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < WARM_CONNECTS + connects; i++) {
                    long t;
                    long t0 = System.nanoTime();
                    try {
                        t = connectOnce(client, profile, address);
                    } catch (Exception e) {
                        ServerHandler h = lastServer.get();
                        throw new IllegalStateException("connect #" + (i + 1) + " (warm-up included), "
                                + String.format("%.1f", (System.nanoTime() - t0) / 1e6) + " ms after connect(): "
                                + describe(e) + "; listening side accepted " + serverLinks.get() + " links, the last "
                                + (h == null ? "-" : "echoed " + h.echoes + " byte(s), closed: " + h.closedReason), e);
                    }
                    if (i >= WARM_CONNECTS) {
                        times.add(t);
                    }
                }
                Collections.sort(times);
                median = median(times) / 1e6;
                p95 = percentile(times, 95) / 1e6;
            } catch (Exception e) {
                problems.add(spec.name + ": connect failed: " + describe(e));
            }

            // Throughput over one link.
            try {
                ClientHandler handler = new ClientHandler();
                Link link = client.connect(profile, address, handler).toCompletableFuture().get(10, TimeUnit.SECONDS);
                try {
                    echo(link, handler);
                    transfer(link, handler, sink, warmBytes);
                    handler.peakInFlight = 0;
                    handler.congestionWaits = 0;
                    List<Double> results = new ArrayList<>();
                    for (int r = 0; r < RUNS; r++) {
                        results.add(transfer(link, handler, sink, bytes));
                    }
                    runs = format(results);
                    Collections.sort(results);
                    mbps = results.get(results.size() / 2);
                    backpressure = String.format("%.1f MiB, %d waits", handler.peakInFlight / 1048576.0,
                            handler.congestionWaits);
                    if (handler.spuriousWakeups.get() > 0) {
                        notes.add(spec.name + ": congested() went false " + handler.spuriousWakeups.get()
                                + " times without a writable() call (the sender polled it after 1 s)");
                    }
                } finally {
                    link.close("benchmark done");
                }
            } catch (Exception e) {
                problems.add(spec.name + ": throughput failed: " + describe(e));
            }
        } finally {
            stop(client);
            stop(server);
        }
        System.out.printf("%-16s connect median %.2f ms, p95 %.2f ms; throughput runs %s MB/s%n", spec.name, median, p95,
                runs);
        return new Row(spec.name, median, p95, mbps, runs, backpressure);
    }

    /** Nanoseconds from connect() to the open link and one byte echoed back. */
    private static long connectOnce(CommunicationDevice client, CommunicationProfile profile, String address)
            throws Exception {
        ClientHandler handler = new ClientHandler();
        long t0 = System.nanoTime();
        Link link = client.connect(profile, address, handler).toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            echo(link, handler);
            return System.nanoTime() - t0;
        } finally {
            link.close("benchmark connect done");
        }
    }

    private static void echo(Link link, ClientHandler handler) throws Exception {
        CompletableFuture<Byte> reply = new CompletableFuture<>();
        handler.echo = reply;
        byte b = (byte) (System.nanoTime() | 1);
        link.send(ByteBuffer.wrap(new byte[] {b}));
        byte got = reply.get(10, TimeUnit.SECONDS);
        if (got != b) {
            throw new IllegalStateException("echo returned " + got + " instead of " + b);
        }
    }

    // ---------------------------------------------------------------------------------------- plain JDK

    /** Connect + 1-byte echo and a blocking stream of the same bytes over java.nio SocketChannels. */
    private static Row measurePlain(int connects, long bytes, long warmBytes, List<String> problems) throws Exception {
        double median = Double.NaN;
        double p95 = Double.NaN;
        double mbps = Double.NaN;
        String runs = "";
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            AtomicReference<Sink> sinkRef = new AtomicReference<>();
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        SocketChannel s = server.accept();
                        Thread t = new Thread(() -> serveRaw(s, sinkRef), "bench-raw-peer");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "bench-raw-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            try {
                List<Long> times = new ArrayList<>();
                ByteBuffer one = ByteBuffer.allocate(1);
                for (int i = 0; i < WARM_CONNECTS + connects; i++) {
                    long t0 = System.nanoTime();
                    try (SocketChannel c = SocketChannel.open(address)) {
                        c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                        one.clear();
                        one.put((byte) 1).flip();
                        c.write(one);
                        one.clear();
                        if (c.read(one) != 1) {
                            throw new IOException("no echo");
                        }
                        long t = System.nanoTime() - t0;
                        if (i >= WARM_CONNECTS) {
                            times.add(t);
                        }
                    }
                }
                Collections.sort(times);
                median = median(times) / 1e6;
                p95 = percentile(times, 95) / 1e6;

                try (SocketChannel c = SocketChannel.open(address)) {
                    one.clear();
                    one.put((byte) 1).flip();
                    c.write(one);
                    one.clear();
                    c.read(one);
                    streamTransfer(c, sinkRef, warmBytes);
                    List<Double> results = new ArrayList<>();
                    for (int r = 0; r < RUNS; r++) {
                        results.add(streamTransfer(c, sinkRef, bytes));
                    }
                    runs = format(results);
                    Collections.sort(results);
                    mbps = results.get(results.size() / 2);
                }
            } catch (Exception e) {
                problems.add("jdk socket: " + describe(e));
            }
        }
        System.out.printf("%-16s connect median %.2f ms, p95 %.2f ms; throughput runs %s MB/s%n", "jdk socket", median,
                p95, runs);
        return new Row("jdk socket", median, p95, mbps, runs, "blocking writes");
    }

    /** The raw peer: echoes the first byte, then feeds the current sink with what it reads, in 64 KiB pieces. */
    private static void serveRaw(SocketChannel s, AtomicReference<Sink> sinkRef) {
        try (s) {
            ByteBuffer one = ByteBuffer.allocate(1);
            if (s.read(one) != 1) {
                return;
            }
            one.flip();
            s.write(one);
            LinkTransfer.feed(s, sinkRef);
        } catch (IOException e) {
            // the benchmark closed it
        }
    }

    // ------------------------------------------------------------------------------------------ output

    private static void printTable(List<Row> rows, int connects, int megabytes) {
        Row tcp = rows.get(0);
        System.out.println();
        System.out.printf("%-16s | %11s | %8s | %10s | %13s | %13s | %-16s | %s%n", "device", "connect med", "p95",
                "throughput", "connect ratio", "through ratio", "runs (MB/s)", "sender: peak in flight, congestion waits");
        System.out.printf("%-16s | %11s | %8s | %10s | %13s | %13s | %-16s | %s%n", "", "ms", "ms", "MB/s", "(to tcp)",
                "(to tcp)", "", "");
        System.out.println("-".repeat(16) + "-+-" + "-".repeat(11) + "-+-" + "-".repeat(8) + "-+-" + "-".repeat(10)
                + "-+-" + "-".repeat(13) + "-+-" + "-".repeat(13) + "-+-" + "-".repeat(16) + "-+-" + "-".repeat(24));
        for (Row r : rows) {
            if (r.name.equals("jdk socket")) {
                System.out.println("-- outside reference: raw TCP, no Tandem framing, no Netty --");
            }
            System.out.printf("%-16s | %11.2f | %8.2f | %10.0f | %13.2f | %13.2f | %-16s | %s%n", r.name,
                    r.connectMedianMs, r.connectP95Ms, r.mbPerSecond, r.connectMedianMs / tcp.connectMedianMs,
                    r.mbPerSecond / tcp.mbPerSecond, r.runs, r.backpressure);
        }
        System.out.printf("(connect: median/p95 of %d connects; throughput: median of %d runs of %d MiB; "
                + "connect ratio > 1 = slower than tcp, throughput ratio < 1 = slower than tcp;%n peak in flight = most bytes "
                + "the sender had handed to send() that the listening side had not yet counted, over the measured runs)%n", connects, RUNS,
                megabytes);
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** Nearest-rank percentile of a sorted list. */
    private static double percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private DeviceBenchmark() {
    }
}
