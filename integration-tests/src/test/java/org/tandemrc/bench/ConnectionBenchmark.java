package org.tandemrc.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ControlRecorder;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.Priority;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.SessionChannel;
import org.tandemrc.protocol.SrpHost;
import org.tandemrc.protocol.logon.GuestSrp;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * Measures, on loopback, (1) connect and authenticate: TCP connect, signed X25519 key exchange,
 * SRP-6a logon with the Guest's Argon2id pre-hash (19 MiB), server proof checked; median of many
 * warm runs; and (2) the throughput of one encrypted, flow-controlled channel next to a plain TCP
 * stream of the same bytes, as a ratio. Run by scripts/benchmark-connection.sh.
 *
 * <p>Arguments: [CONNECTS] [MEGABYTES] (default 40 and 1024).
 */
public final class ConnectionBenchmark {

    private static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) throws Exception {
        int connects = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        TcpDevice device = new TcpDevice();
        device.activate();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        // The Guest's logon work started ahead, as GuestConnector runs it: a thread per task at once.
        ThreadPoolExecutor ahead = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "bench-guest-logon");
            t.setDaemon(true);
            return t;
        });
        HostIdentity identity = HostIdentity.generate(RANDOM);
        char[] password = "benchmark password".toCharArray();
        PasswordVerifier verifier = PasswordVerifier.create("*", password, RANDOM);
        AtomicLong received = new AtomicLong();
        CommunicationProfile profile = new CommunicationProfile("bench", "tcp",
                Map.of("bind", "127.0.0.1", "port", "0", "max-message", Integer.toString(2 << 20)));
        try (Endpoint endpoint = device.listen(profile, link -> Connection.host(identity, "bench-host", "",
                new BenchHost(verifier, received), timers, RANDOM))) {
            String address = endpoint.address().substring("tcp:".length());
            System.out.println("Tandem connection benchmark, loopback, " + Runtime.getRuntime().availableProcessors()
                    + " cores, Java " + Runtime.version());

            // Each connect as the Guest makes it (work started ahead), alternating with one that starts nothing
            // ahead (Argon2id and all SRP work after the challenge, as before): the same load weighs on both.
            List<Long> times = new ArrayList<>();
            List<Long> inLine = new ArrayList<>();
            List<long[]> phases = new ArrayList<>();
            List<long[]> inLinePhases = new ArrayList<>();
            int prehashUsed = 0;
            for (int i = 0; i < connects + 5; i++) {
                for (Executor work : new Executor[] {ahead, null}) {
                    long t0 = System.nanoTime();
                    Guest g = Guest.connect(device, profile, address, identity.fingerprint(), password, work);
                    long t = System.nanoTime() - t0;
                    if (i >= 5) {
                        (work == null ? inLine : times).add(t);
                        (work == null ? inLinePhases : phases).add(g.marks);
                        prehashUsed += work != null && g.prehashUsed ? 1 : 0;
                    }
                    g.connection.close("done");
                }
            }
            System.out.println("where the connect goes, work started ahead (median of each step, ms):");
            printPhases(phases);
            System.out.println("the same, nothing started ahead (as before; alternating with the above):");
            printPhases(inLinePhases);
            printAlone();
            System.out.printf("  the Argon2id pre-hash started while connecting was used by %d of %d warm logons%n",
                    prehashUsed, phases.size());
            Collections.sort(inLine);
            System.out.printf("connect + authenticate, nothing started ahead (reference, alternating): median %.1f ms, "
                    + "p90 %.1f ms%n", inLine.get(inLine.size() / 2) / 1e6, inLine.get(inLine.size() * 9 / 10) / 1e6);
            Collections.sort(times);
            System.out.printf("connect + authenticate (SRP-6a 3072, Argon2id 19 MiB): median %.1f ms, p90 %.1f ms "
                    + "over %d warm runs (5 warm-up runs not counted)%n", times.get(times.size() / 2) / 1e6,
                    times.get(times.size() * 9 / 10) / 1e6, times.size());

            long bytes = (long) megabytes << 20;
            Guest g = Guest.connect(device, profile, address, identity.fingerprint(), password, ahead);
            SessionChannel channel = g.connection.open("bulk", Priority.BULK).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            transfer(channel, received, Math.min(bytes, 512L << 20)); // warm-up, not counted
            plainTcp(Math.min(bytes, 512L << 20));
            Run encrypted = transfer(channel, received, bytes);
            g.connection.close("done");

            Run plain = plainTcp(bytes);
            System.out.printf("one encrypted channel (AES-256-GCM records, flow-controlled): %.0f MB/s, "
                    + "CPU %.2f s per GiB (%d MiB)%n", encrypted.mbPerSecond(), encrypted.cpuPerGiB(bytes), megabytes);
            System.out.printf("plain TCP stream, same loopback, same bytes:                  %.0f MB/s, "
                    + "CPU %.2f s per GiB%n", plain.mbPerSecond(), plain.cpuPerGiB(bytes));
            System.out.printf("ratio encrypted / plain: %.2f (CPU per byte: %.1f times plain's)%n",
                    encrypted.mbPerSecond() / plain.mbPerSecond(), encrypted.cpuPerGiB(bytes) / plain.cpuPerGiB(bytes));
        } finally {
            timers.shutdownNow();
            ahead.shutdownNow();
            device.deactivate();
        }
    }

    /** The median of each step of the connects. */
    private static void printPhases(List<long[]> phases) {
        for (int p = 0; p < Guest.STEPS.length; p++) {
            List<Long> d = new ArrayList<>();
            for (long[] m : phases) {
                d.add(m[p + 1] - m[p]);
            }
            Collections.sort(d);
            System.out.printf("  %-58s %6.1f%n", Guest.STEPS[p], d.get(d.size() / 2) / 1e6);
        }
    }

    /** Argon2id and one 3072-bit modPow alone, median of 9. */
    private static void printAlone() {
        List<Long> argon = new ArrayList<>();
        List<Long> modPow = new ArrayList<>();
        List<Long> shortPow = new ArrayList<>();
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        BigInteger n = SRP6StandardGroups.rfc5054_3072.getN();
        BigInteger g = SRP6StandardGroups.rfc5054_3072.getG();
        for (int i = 0; i < 9; i++) {
            long t0 = System.nanoTime();
            Argon2BytesGenerator a = new Argon2BytesGenerator();
            a.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt).withMemoryAsKB(19456).withIterations(2).withParallelism(1).build());
            a.generateBytes("benchmark password".getBytes(StandardCharsets.UTF_8), new byte[32]);
            argon.add(System.nanoTime() - t0);
            BigInteger e = new BigInteger(3072, RANDOM);
            t0 = System.nanoTime();
            g.modPow(e, n);
            modPow.add(System.nanoTime() - t0);
            BigInteger ephemeral = new BigInteger(383, RANDOM).setBit(383);
            t0 = System.nanoTime();
            g.modPow(ephemeral, n);
            shortPow.add(System.nanoTime() - t0);
        }
        Collections.sort(argon);
        Collections.sort(modPow);
        Collections.sort(shortPow);
        System.out.printf("  alone: Argon2id m=19456 t=2 p=1 %.1f ms; one 3072-bit modPow (JDK BigInteger, which "
                + "BouncyCastle's SRP uses too) with a 3072-bit exponent %.1f ms, with a 384-bit one (the ephemerals "
                + "now) %.1f ms%n", argon.get(4) / 1e6, modPow.get(4) / 1e6, shortPow.get(4) / 1e6);
    }

    /**
     * One measured transfer: its speed, and the CPU time this process spent on it (both ends of either
     * stream run in this process), which a loaded machine distorts far less than the speed.
     */
    private record Run(double mbPerSecond, long cpuNanos) {
        double cpuPerGiB(long bytes) {
            return cpuNanos / 1e9 * (1L << 30) / bytes;
        }

        static long cpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** Sends {@code bytes} in 1 MiB messages, at most 8 MiB queued; MB/s until all arrived. */
    private static Run transfer(SessionChannel channel, AtomicLong received, long bytes) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        RANDOM.nextBytes(chunk.array());
        received.set(0);
        long cpu0 = Run.cpu();
        long t0 = System.nanoTime();
        CompletableFuture<Void> last = null;
        for (long sent = 0; sent < bytes; sent += chunk.capacity()) {
            last = channel.send(chunk.duplicate()).toCompletableFuture();
            if ((sent >> 20) % 8 == 7) {
                last.get(60, TimeUnit.SECONDS);
            }
        }
        last.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() < bytes && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        if (received.get() < bytes) {
            throw new IllegalStateException("only " + received.get() + " of " + bytes + " bytes arrived");
        }
        return new Run(bytes / ((System.nanoTime() - t0) / 1e9) / 1e6, Run.cpu() - cpu0);
    }

    private static Run plainTcp(long bytes) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel s = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    long total = 0;
                    while (total < bytes) {
                        int n = s.read(buf);
                        if (n < 0) {
                            break;
                        }
                        total += n;
                        buf.clear();
                    }
                    return total;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                long cpu0 = Run.cpu();
                long t0 = System.nanoTime();
                for (long sent = 0; sent < bytes; sent += chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        c.write(chunk);
                    }
                }
                reader.get(60, TimeUnit.SECONDS);
                return new Run(bytes / ((System.nanoTime() - t0) / 1e9) / 1e6, Run.cpu() - cpu0);
            }
        }
    }

    /** The Host side: shared-password logon as the Host role does it, then accepts a bulk channel. */
    private static final class BenchHost implements Connection.Listener {
        private final SrpHost logon;
        private final AtomicLong received;

        BenchHost(PasswordVerifier verifier, AtomicLong received) {
            this.logon = new SrpHost(verifier, RANDOM);
            this.received = received;
        }

        @Override
        public void secured(Connection c) {
        }

        @Override
        public void control(Connection c, ControlMessage m) throws ProtocolException {
            switch (m.type()) {
                case "auth.start" -> logon.challenge(c);
                case "auth.proof" -> {
                    try {
                        c.send(ControlMessage.of("auth.ok").with("proof", logon.verify(c, m)));
                    } catch (Exception e) {
                        c.close("wrong password");
                    }
                }
                default -> throw new ProtocolException("unexpected " + m.type());
            }
        }

        @Override
        public void openRequested(Connection c, Connection.OpenRequest request) {
            request.accept().attach(new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                    received.addAndGet(message.remaining());
                }

                @Override
                public void closed(String reason) {
                }
            });
        }

        @Override
        public void closed(Connection c, String reason) {
        }
    }

    /** The Guest side, blocking. */
    private static final class Guest extends ControlRecorder {
        static final String[] STEPS = {"TCP connect", "hellos, signed X25519 key exchange",
            "auth.start to auth.challenge (Host: b, B = kv + g^b)", "Guest: Argon2id (what is left of it), g^x, S",
            "auth.proof to auth.ok (Host: S = (A v^u)^b, M1, M2)", "Guest: checks the Host's proof M2"};
        Connection connection;
        /** System.nanoTime at the start and at the end of each of {@link #STEPS}. */
        final long[] marks = new long[STEPS.length + 1];
        /** Whether the Argon2id pre-hash computed while connecting was the one the challenge asked for. */
        boolean prehashUsed;

        static Guest connect(TcpDevice device, CommunicationProfile profile, String address, String fingerprint,
                char[] password, Executor ahead) throws Exception {
            Guest g = new Guest();
            g.marks[0] = System.nanoTime();
            g.connection = Connection.guest("bench-guest", "", g, null, RANDOM);
            // As GuestConnector: A = g^a and the pre-hash of the salt this Host gave last start as the connect does.
            try (GuestSrp srp = GuestSrp.start("tcp:" + address, "*", password, RANDOM, ahead)) {
                device.connect(profile, address, g.connection).toCompletableFuture().get(10, TimeUnit.SECONDS);
                g.marks[1] = System.nanoTime();
                g.secured.get(10, TimeUnit.SECONDS);
                byte[] hostKey = g.connection.hostKey().orElseThrow();
                if (!HostIdentity.fingerprint(hostKey).equals(fingerprint)) { // the Guest's known-hosts check
                    throw new IllegalStateException("the Host's key changed");
                }
                g.marks[2] = System.nanoTime();
                g.connection.send(LogonMessages.start(null));
                ControlMessage ch = g.control.poll(10, TimeUnit.SECONDS);
                g.marks[3] = System.nanoTime();
                ClientResponse r = srp.respond(hostKey, LogonMessages.challenge(ch), g.connection.binding());
                g.prehashUsed = srp.usedPrehash();
                g.marks[4] = System.nanoTime();
                g.connection.send(LogonMessages.proof(r));
                ControlMessage ok = g.control.poll(10, TimeUnit.SECONDS);
                g.marks[5] = System.nanoTime();
                if (ok == null || !ok.type().equals("auth.ok")) {
                    throw new IllegalStateException("logon failed: " + ok);
                }
                srp.verifyServer(ok.bytes("proof"));
                g.marks[6] = System.nanoTime();
            }
            return g;
        }
    }
}
