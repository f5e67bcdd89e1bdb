package org.tandemrc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import io.netty.buffer.PooledByteBufAllocator;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.relay.internal.RelayServer;
import org.tandemrc.webconnect.store.Store;

/**
 * The server JVM of the idle-Hosts measurement: one Connection Manager and one relay, each with its own
 * JDBC connection to an embedded H2 file database (the default store, {@code jdbc:h2:file:...;AUTO_SERVER=TRUE}).
 * Started by {@link WebConnectBenchmark} with {@code -Xmx1g}; talks to it over stdin/stdout:
 * prints {@code READY manager=A:P relay=A:P pid=N}, then answers one line per command:
 * {@code heap} (two System.gc(), then heap used/committed, registered Hosts in wc_host, live threads,
 * Netty pooled direct memory, open file descriptors, VmRSS), {@code cpu} (this process's CPU time in
 * nanoseconds and bytes the relay forwarded) and {@code quit}. Also the manager and relay of
 * {@link WebConnectWanBenchmark}, in their own network namespace.
 *
 * <p>Arguments: DIR ACCOUNT PASSWORD [LISTEN-ADDRESS] (default 127.0.0.1).
 */
public final class WebConnectBenchServer {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String account = args[1];
        String password = args[2];
        String listen = args.length > 3 ? args[3] : "127.0.0.1";
        String url = "jdbc:h2:file:" + dir.resolve("webconnect").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        Store managerStore = new Store(url, "", "");
        Store relayStore = new Store(url, "", "");
        // The defaults of etc/org.tandemrc.webconnect.manager.cfg: token 60 s, idle timeout 90 s, poll 100 ms.
        // The logon limits are raised: the benchmark registers thousands of Hosts from one address, each
        // with its own logon, where the defaults allow 8 waiting and answer each proof after 0.5 s (each to the
        // most LogonLimits accepts).
        ManagerServer manager = new ManagerServer(new ManagerServer.Settings("bench-manager", listen, 0, "", null, 60,
                90, 100, new org.tandemrc.protocol.logon.LogonLimits(100_000, 100_000, 1_000_000, 100_000, 10_000,
                        100_000, java.time.Duration.ZERO, java.time.Duration.ofDays(1)), ManagerServer.METHOD), managerStore);
        manager.start();
        // Relay defaults: no caps, idle timeout 300 s, pairing timeout 20 s.
        RelayServer relay = new RelayServer(new RelayServer.Settings("bench-relay", listen, 0, "", 0, 0, 300, 20),
                relayStore);
        relay.start();
        // Cheap Argon2id parameters (1 MiB, 1 pass): the Argon2 work is the client's, per logon; it does not
        // change what the server keeps per idle Host.
        manager.accounts().put(account, PasswordVerifier.create(account, password.toCharArray(), new SecureRandom(),
                1024, 1, 1), 0);
        System.out.println("READY manager=" + manager.address() + " relay=" + relay.address() + " pid="
                + ProcessHandle.current().pid());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("heap")) {
                System.gc();
                System.gc();
                MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                long hosts = managerStore.run(c -> {
                    try (PreparedStatement s = c.prepareStatement("select count(*) from wc_host");
                            ResultSet r = s.executeQuery()) {
                        r.next();
                        return r.getLong(1);
                    }
                });
                long fds;
                try (var files = Files.list(Path.of("/proc/self/fd"))) {
                    fds = files.count();
                } catch (Exception e) {
                    fds = -1;
                }
                System.out.println("HEAP used=" + h.getUsed() + " committed=" + h.getCommitted() + " max=" + h.getMax()
                        + " hosts=" + hosts + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount() + " direct="
                        + PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() + " fds=" + fds + " rss="
                        + rssKiB());
                System.out.flush();
            } else if (line.equals("cpu")) {
                System.out.println("CPU nanos=" + ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() + " relayed=" + relay.bytesRelayed());
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        relay.stop(true);
        manager.stop();
        relayStore.close();
        managerStore.close();
        System.out.println("BYE");
        System.out.flush();
        System.exit(0);
    }

    private static long rssKiB() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    private WebConnectBenchServer() {
    }
}
