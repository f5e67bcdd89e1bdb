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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;

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

            List<Long> times = new ArrayList<>();
            List<long[]> phases = new ArrayList<>();
            for (int i = 0; i < connects + 5; i++) {
                long t0 = System.nanoTime();
                Guest g = Guest.connect(device, profile, address, password);
                long t = System.nanoTime() - t0;
                if (i >= 5) {
                    times.add(t);
                    phases.add(g.marks);
                }
                g.connection.close("done");
            }
            printPhases(phases);
            Collections.sort(times);
            System.out.printf("connect + authenticate (SRP-6a 3072, Argon2id 19 MiB): median %.1f ms, p90 %.1f ms "
                    + "over %d warm runs (5 warm-up runs not counted)%n", times.get(times.size() / 2) / 1e6,
                    times.get(times.size() * 9 / 10) / 1e6, times.size());

            long bytes = (long) megabytes << 20;
            Guest g = Guest.connect(device, profile, address, password);
            SessionChannel channel = g.connection.open("bulk", Priority.BULK).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            transfer(channel, received, Math.min(bytes, 512L << 20)); // warm-up, not counted
            plainTcp(Math.min(bytes, 512L << 20));
            double encrypted = transfer(channel, received, bytes);
            g.connection.close("done");

            double plain = plainTcp(bytes);
            System.out.printf("one encrypted channel (AES-256-GCM records, flow-controlled): %.0f MB/s (%d MiB)%n",
                    encrypted, megabytes);
            System.out.printf("plain TCP stream, same loopback, same bytes:                              %.0f MB/s%n",
                    plain);
            System.out.printf("ratio encrypted / plain: %.2f%n", encrypted / plain);
        } finally {
            timers.shutdownNow();
            device.deactivate();
        }
    }

    /** The median of each step of the connects, then Argon2id and one 3072-bit modPow alone. */
    private static void printPhases(List<long[]> phases) {
        System.out.println("where the connect goes (median of each step, ms; loaded machines vary):");
        for (int p = 0; p < Guest.STEPS.length; p++) {
            List<Long> d = new ArrayList<>();
            for (long[] m : phases) {
                d.add(m[p + 1] - m[p]);
            }
            Collections.sort(d);
            System.out.printf("  %-58s %6.1f%n", Guest.STEPS[p], d.get(d.size() / 2) / 1e6);
        }
        List<Long> argon = new ArrayList<>();
        List<Long> modPow = new ArrayList<>();
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
        }
        Collections.sort(argon);
        Collections.sort(modPow);
        System.out.printf("  alone: Argon2id m=19456 t=2 p=1 %.1f ms; one 3072-bit modPow, 3072-bit exponent (JDK "
                + "BigInteger, as BouncyCastle's SRP uses) %.1f ms%n", argon.get(4) / 1e6, modPow.get(4) / 1e6);
    }

    /** Sends {@code bytes} in 1 MiB messages, at most 8 MiB queued; returns MB/s until all arrived. */
    private static double transfer(SessionChannel channel, AtomicLong received, long bytes) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        RANDOM.nextBytes(chunk.array());
        received.set(0);
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
            Thread.onSpinWait();
        }
        if (received.get() < bytes) {
            throw new IllegalStateException("only " + received.get() + " of " + bytes + " bytes arrived");
        }
        return bytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    private static double plainTcp(long bytes) throws Exception {
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
                long t0 = System.nanoTime();
                for (long sent = 0; sent < bytes; sent += chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        c.write(chunk);
                    }
                }
                reader.get(60, TimeUnit.SECONDS);
                return bytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
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
            "auth.start to auth.challenge (Host: b, B = kv + g^b)", "Guest: Argon2id + SRP client (g^a, g^x, S)",
            "auth.proof to auth.ok (Host: S = (A v^u)^b, M1, M2)", "Guest: checks the Host's proof M2"};
        Connection connection;
        /** System.nanoTime at the start and at the end of each of {@link #STEPS}. */
        final long[] marks = new long[STEPS.length + 1];

        static Guest connect(TcpDevice device, CommunicationProfile profile, String address, char[] password)
                throws Exception {
            Guest g = new Guest();
            g.marks[0] = System.nanoTime();
            g.connection = Connection.guest("bench-guest", "", g, null, RANDOM);
            device.connect(profile, address, g.connection).toCompletableFuture().get(10, TimeUnit.SECONDS);
            g.marks[1] = System.nanoTime();
            g.secured.get(10, TimeUnit.SECONDS);
            g.marks[2] = System.nanoTime();
            g.connection.send(ControlMessage.of("auth.start").with("method", "shared-password"));
            ControlMessage ch = g.control.poll(10, TimeUnit.SECONDS);
            g.marks[3] = System.nanoTime();
            SrpClient client = new SrpClient("*", password, RANDOM);
            ClientResponse r = client.respond(new Challenge(ch.integer("m", 1, Integer.MAX_VALUE),
                    ch.integer("t", 1, 100), ch.integer("p", 1, 100), ch.bytes("salt"), ch.bigInteger("B", 384)),
                    g.connection.binding());
            g.marks[4] = System.nanoTime();
            g.connection.send(ControlMessage.of("auth.proof").with("A", r.clientPublic()).with("proof", r.proof()));
            ControlMessage ok = g.control.poll(10, TimeUnit.SECONDS);
            g.marks[5] = System.nanoTime();
            if (ok == null || !ok.type().equals("auth.ok")) {
                throw new IllegalStateException("logon failed: " + ok);
            }
            client.verifyServer(ok.bytes("proof"));
            g.marks[6] = System.nanoTime();
            return g;
        }
    }
}
