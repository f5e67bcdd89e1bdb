package org.tandemrc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Backoff;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.protocol.Resumption;
import org.tandemrc.webconnect.store.Store;

/**
 * A reconnect storm: N Hosts registered with one Connection Manager (a child JVM, {@code -Xmx1g
 * -XX:+UseSerialGC}, H2 file store), the manager killed (SIGKILL) and started again on the same store and
 * port, and the time until all N are registered again, next to the cold registration's rate in the same
 * run. The Hosts are lean wire clients on two shared Netty event loops (no thread per Host), each
 * reconnecting as the device's HostEndpoint does: with the resumption ticket of its last registration
 * when it has one (a full SRP logon when that is refused), after a jittered exponential backoff
 * ({@link Backoff}, 250 ms to 30 s) and no sooner than a busy manager's RETRY asked.
 *
 * <p>Run by scripts/benchmark-webconnect-storm.sh. Argument: [HOSTS] (default 10000).
 */
public final class WebConnectStormBenchmark {

    private static final String ACCOUNT = WebConnectBenchmark.ACCOUNT;
    private static final String PASSWORD = WebConnectBenchmark.PASSWORD;
    private static final int TARGET_HOSTS = 10_000;
    private static final int TARGET_SECONDS = 60;
    /** Cold registrations in flight at once (logon + REGISTER). */
    private static final int CONCURRENT_REGISTRATIONS = 64;
    /** Hosts per loopback source address (127.0.0.x): each reconnect takes a new ephemeral port. */
    private static final int PER_SOURCE = 4_000;

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : TARGET_HOSTS;
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("HOSTS must be 1..100000");
        }
        System.out.printf("Tandem WebConnect reconnect storm, loopback: %d cores, Java %s, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), load());
        Path dir = Files.createTempDirectory("tandem-bench-storm");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("storm-hosts", true));
        ExecutorService srp = Executors.newFixedThreadPool(2, new DefaultThreadFactory("storm-srp", true));
        Stats stats = new Stats();
        List<StormHost> hosts = new ArrayList<>();
        Child server = Child.start(dir, port);
        List<String> problems = new ArrayList<>();
        try {
            InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
            System.out.printf("manager in a child JVM (pid %d) on %s, H2 file store in %s%n", server.pid, remote, dir);
            // 1. Cold: every Host logs on (SRP) and registers, CONCURRENT_REGISTRATIONS at a time.
            Semaphore permits = new Semaphore(CONCURRENT_REGISTRATIONS);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                permits.acquire();
                StormHost h = new StormHost(String.format("storm-%05d", i), group, srp, remote,
                        new InetSocketAddress("127.0.0." + (2 + i / PER_SOURCE), 0), stats, permits::release);
                hosts.add(h);
                h.connect();
            }
            permits.acquire(CONCURRENT_REGISTRATIONS);
            double cold = (System.nanoTime() - t0) / 1e9;
            int coldRegistered = stats.registered.get();
            System.out.printf("cold: %d of %d Hosts registered in %.1f s (%.0f per second); %d full logons, %d resumptions,"
                    + " %d told to retry%n", coldRegistered, count, cold, coldRegistered / cold, stats.fullLogons.get(),
                    stats.resumptions.get(), stats.retries.get());
            if (coldRegistered < count) {
                problems.add((count - coldRegistered) + " Hosts did not register cold");
            }
            for (StormHost h : hosts) {
                h.done = null;
                h.reconnecting = true;
            }
            stats.reset();
            // 2. The storm: kill the manager, start it again on the same store and port.
            long kill = System.nanoTime();
            server.kill();
            server = Child.start(dir, port);
            long ready = System.nanoTime();
            System.out.printf("manager killed and started again (pid %d) in %.1f s%n", server.pid, (ready - kill) / 1e9);
            long deadline = ready + TimeUnit.SECONDS.toNanos(Math.max(300, count / 10));
            int last = -1;
            while (stats.registered.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                int now = stats.registered.get();
                if (now != last) {
                    System.out.printf("  %.0f s after the restart: %d of %d registered again (%d full logons, %d resumptions,"
                            + " %d told to retry, %d attempts refused or failed)%n", (System.nanoTime() - ready) / 1e9, now,
                            count, stats.fullLogons.get(), stats.resumptions.get(), stats.retries.get(), stats.failed.get());
                    last = now;
                }
            }
            long allBack = stats.lastRegistered.get();
            int back = stats.registered.get();
            double sinceReady = (allBack - ready) / 1e9;
            double sinceKill = (allBack - kill) / 1e9;
            if (back < count) {
                problems.add((count - back) + " Hosts were not back within the deadline");
            }
            System.out.println();
            System.out.println("================================ results ================================");
            System.out.printf("%-46s | %s%n", "measure", "value");
            System.out.println("-".repeat(46) + "-+-" + "-".repeat(60));
            System.out.printf("%-46s | %d in %.1f s, %.0f per second (SRP logon each, %d at a time)%n",
                    "cold registration", coldRegistered, cold, coldRegistered / cold, CONCURRENT_REGISTRATIONS);
            System.out.printf("%-46s | %d of %d in %.1f s after the restart (%.1f s after the kill), %.0f per second%n",
                    "storm: all back after a manager restart", back, count, sinceReady, sinceKill,
                    back / Math.max(sinceReady, 1e-3));
            System.out.printf("%-46s | %d full logons, %d resumptions, %d told to retry, %d attempts refused or failed%n",
                    "storm: how they came back", stats.fullLogons.get(), stats.resumptions.get(), stats.retries.get(),
                    stats.failed.get());
            System.out.printf("%-46s | %s (goal: %d Hosts back within %d s of the restart)%n", "goal",
                    back >= TARGET_HOSTS && sinceReady <= TARGET_SECONDS ? "PASS"
                            : count < TARGET_HOSTS ? "not measured at " + TARGET_HOSTS + " Hosts" : "MISSED",
                    TARGET_HOSTS, TARGET_SECONDS);
            System.out.printf("load average at the end: %.2f (2 cores shared with other work: figures vary with it)%n", load());
        } finally {
            for (StormHost h : hosts) {
                h.stop();
            }
            server.quit();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            srp.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (!problems.isEmpty()) {
            System.out.println("PROBLEMS:");
            problems.forEach(p -> System.out.println("  " + p));
            throw new IllegalStateException(problems.size() + " problem(s), see PROBLEMS above");
        }
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static final class Stats {
        final AtomicInteger registered = new AtomicInteger();
        final AtomicInteger fullLogons = new AtomicInteger();
        final AtomicInteger resumptions = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong lastRegistered = new AtomicLong();

        /** 0 cold, 1 the storm. */
        final AtomicInteger phase = new AtomicInteger();

        void reset() {
            phase.incrementAndGet();
            registered.set(0);
            fullLogons.set(0);
            resumptions.set(0);
            retries.set(0);
            failed.set(0);
        }
    }

    /** The manager's child JVM. */
    private static final class Child {
        final Process process;
        final long pid;
        final PrintWriter to;

        private Child(Process process, PrintWriter to) {
            this.process = process;
            this.pid = process.pid();
            this.to = to;
        }

        static Child start(Path dir, int port) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp", WebConnectBenchmark.classPath(),
                    Server.class.getName(), dir.toString(), Integer.toString(port));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(
                    dir.resolve("server.log").toFile())).start();
            BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = from.readLine();
            if (line == null || !line.startsWith("READY")) {
                p.destroyForcibly();
                throw new IOException("the manager JVM did not start: " + line + "; see " + dir.resolve("server.log"));
            }
            return new Child(p, new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void quit() throws InterruptedException {
            to.println("quit");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * The child JVM: one Connection Manager on PORT with an H2 file store in DIR; the benchmark account is
     * made only when the store has none (a restart keeps it). Prints READY, stops on "quit".
     */
    public static final class Server {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            int port = Integer.parseInt(args[1]);
            Store store = new Store("jdbc:h2:file:" + dir.resolve("webconnect").toAbsolutePath(), "", "");
            // As WebConnectBenchServer: the logon limits raised (thousands of Hosts from a few addresses),
            // answers at once; the default token, idle and poll settings.
            ManagerServer manager = new ManagerServer(new ManagerServer.Settings("storm-manager", "127.0.0.1", port, "",
                    null, 60, 90, 100, new LogonLimits(100_000, 100_000, 1_000_000, 100_000, 10_000, 100_000,
                            Duration.ZERO, Duration.ofDays(1)), ManagerServer.METHOD), store);
            if (manager.accounts().find(ACCOUNT).isEmpty()) {
                // Cheap Argon2id (1 MiB, 1 pass): the client's work per logon, not the manager's.
                manager.accounts().put(ACCOUNT, PasswordVerifier.create(ACCOUNT, PASSWORD.toCharArray(),
                        new SecureRandom(), 1024, 1, 1), 0);
            }
            manager.start();
            System.out.println("READY manager=" + manager.address());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                // nothing else to answer
            }
            manager.stop();
            store.close();
            System.exit(0);
        }
    }

    /** A ticket as the Host holds it. */
    private record Held(byte[] ticket, byte[] secret, long expires) {
    }

    /**
     * One Host on the wire as HostEndpoint is: LOGON / CHALLENGE / PROOF / WELCOME (SRP-6a, the same
     * SrpClient, its work on a shared pool) or, with a ticket, RESUME_LOGON / RESUME_CHALLENGE / RESUME_PROOF
     * + REGISTER / RESUMED; REGISTER (name, one instance for its life), a PING every 20 s; when the control
     * connection is lost it reconnects after HostEndpoint's backoff.
     */
    private static final class StormHost {
        final String name;
        final String instance = UUID.randomUUID().toString();
        private final EventLoopGroup group;
        private final ExecutorService srpPool;
        private final InetSocketAddress remote;
        private final InetSocketAddress local;
        private final Stats stats;
        volatile Runnable done;
        volatile boolean reconnecting;
        private volatile boolean stopped;
        private volatile Channel channel;
        /** HostEndpoint's. */
        private final Backoff backoff = new Backoff(250, 30_000);
        private volatile long retryAfter;
        private volatile Held held;
        /** The phase (cold, storm) this Host's registration was last counted in. */
        private volatile int counted = -1;

        StormHost(String name, EventLoopGroup group, ExecutorService srpPool, InetSocketAddress remote,
                InetSocketAddress local, Stats stats, Runnable done) {
            this.name = name;
            this.group = group;
            this.srpPool = srpPool;
            this.remote = remote;
            this.local = local;
            this.stats = stats;
            this.done = done;
        }

        void stop() {
            stopped = true;
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }

        void connect() {
            if (stopped) {
                return;
            }
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Frames.decoder(Frames.MAX_CONTROL_FRAME));
                            ch.pipeline().addLast(new Attempt());
                        }
                    });
            var f = b.connect(remote, local);
            channel = f.channel();
            f.addListener(x -> {
                if (!x.isSuccess()) {
                    failed(f.channel());
                }
            });
        }

        private void registered() {
            synchronized (backoff) {
                backoff.reset();
            }
            int phase = stats.phase.get();
            if (counted == phase) {
                return; // registered again within the phase: counted once
            }
            counted = phase;
            stats.registered.incrementAndGet();
            stats.lastRegistered.set(System.nanoTime());
            Runnable d = done;
            done = null;
            if (d != null) {
                d.run();
            }
        }

        /** An attempt failed or a registered connection was lost: try again after the backoff. */
        private void failed(Channel ch) {
            if (stopped) {
                return;
            }
            if (!reconnecting) {
                Runnable d = done;
                done = null;
                if (d != null) {
                    d.run(); // a cold registration failed: counted as missing
                }
                return;
            }
            stats.failed.incrementAndGet();
            long wait;
            synchronized (backoff) {
                wait = backoff.next(retryAfter);
            }
            retryAfter = 0;
            ch.eventLoop().schedule(this::connect, wait, TimeUnit.MILLISECONDS);
        }

        /** One control connection. */
        private final class Attempt extends ChannelInboundHandlerAdapter {
            private SrpClient srp;
            private byte[] nonce;
            private byte[] secret;
            private Held using;
            private boolean again;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                using = held;
                if (using != null && using.expires() > System.currentTimeMillis() + 5_000) {
                    ctx.writeAndFlush(new Resumption.Request(Frames.VERSION, ACCOUNT, name, using.ticket()).frame());
                } else {
                    using = null;
                    ctx.writeAndFlush(new Logon.Request(Frames.VERSION, ACCOUNT, "host").frame());
                }
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
                            nonce = challenge.nonce();
                            Channel ch = ctx.channel();
                            srpPool.execute(() -> {
                                try {
                                    SrpClient c = new SrpClient(ACCOUNT, PASSWORD.toCharArray(), new SecureRandom());
                                    ByteBuf proof = challenge.answer(c, ACCOUNT);
                                    ch.eventLoop().execute(() -> {
                                        srp = c;
                                        ch.writeAndFlush(proof);
                                    });
                                } catch (Exception e) {
                                    ch.close();
                                }
                            });
                        }
                        case Frames.WELCOME -> {
                            srp.verifyServer(Logon.Welcome.read(r).serverProof());
                            secret = Resumption.afterLogon(srp.sessionKey(), nonce, ACCOUNT);
                            srp.clear();
                            srp = null;
                            stats.fullLogons.incrementAndGet();
                            ctx.writeAndFlush(new Pairing.Register(name, instance, List.of()).frame());
                        }
                        case Frames.RESUME_CHALLENGE -> {
                            nonce = Resumption.readChallenge(r);
                            ctx.write(Resumption.proof(Resumption.clientProof(using.secret(), nonce, ACCOUNT, name,
                                    using.ticket())));
                            ctx.writeAndFlush(new Pairing.Register(name, instance, List.of()).frame());
                        }
                        case Frames.RESUMED -> {
                            if (!Resumption.same(Resumption.Resumed.read(r).serverProof(),
                                    Resumption.serverProof(using.secret(), nonce, ACCOUNT, name, using.ticket()))) {
                                ctx.close();
                                return;
                            }
                            secret = Resumption.next(using.secret(), nonce);
                            stats.resumptions.incrementAndGet();
                        }
                        case Frames.RETRY -> {
                            retryAfter = Resumption.Retry.read(r).millis();
                            stats.retries.incrementAndGet();
                            ctx.close();
                        }
                        case Frames.ERROR -> {
                            if (Fields.string(r, "reason").startsWith(Resumption.REFUSED)) {
                                held = null;
                                again = true; // a full logon at once
                            }
                            ctx.close();
                        }
                        case Frames.REGISTERED -> {
                            Resumption.Issued issued = Resumption.readRegistered(r);
                            held = issued == null || secret == null ? null
                                    : new Held(issued.ticket(), secret, issued.expiresAtMillis());
                            registered();
                            Channel ch = ctx.channel();
                            ch.eventLoop().scheduleAtFixedRate(() -> ch.writeAndFlush(Frames.frame(Frames.PING)), 20, 20,
                                    TimeUnit.SECONDS);
                        }
                        case Frames.PING -> {
                        }
                        default -> ctx.close();
                    }
                } catch (Exception e) {
                    ctx.close();
                } finally {
                    ReferenceCountUtil.release(f);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                // Lost after registering or refused: HostEndpoint waits its backoff before the next attempt.
                if (again && !stopped) {
                    ctx.channel().eventLoop().execute(StormHost.this::connect);
                    return;
                }
                failed(ctx.channel());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    private WebConnectStormBenchmark() {
    }
}
