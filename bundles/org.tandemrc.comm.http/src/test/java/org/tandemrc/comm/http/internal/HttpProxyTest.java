package org.tandemrc.comm.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.testing.DeviceConformance.Recorder;

/**
 * The http device through a real web proxy (Debian's tinyproxy) with Basic authentication, where the
 * connecting side cannot reach the listener directly. Network layout, built with network namespaces:
 *
 * <pre>
 *   root namespace (this JVM, the Guest side) 10.204.1.1
 *        | veth
 *   "proxy" namespace 10.204.1.2 / 10.204.2.1: tinyproxy on :8888 (CONNECT to 1970 allowed) and :8889 (CONNECT to 443 only)
 *        | veth                                no forwarding between its two links
 *   "host" namespace 10.204.2.2: a child JVM running {@link EchoListener} on :1970
 * </pre>
 *
 * The root namespace gets an {@code unreachable} route for 10.204.2.0/24 so that direct attempts fail at
 * once and no packet for that network leaves through the machine's default route. Needs root, iproute2 and
 * tinyproxy ({@code .ci/run} installs it); fails, never skips, without them.
 */
class HttpProxyTest {

    private static final String PROXY_IP = "10.204.1.2";
    private static final String HOST_IP = "10.204.2.2";
    private static final String USER = "tandem";
    private static final String PASSWORD = "s3cret-Pw";
    private static final long PID = ProcessHandle.current().pid();
    private static final String NS_PROXY = "tdmhttp-" + PID + "-1";
    private static final String NS_HOST = "tdmhttp-" + PID + "-2";
    private static final String VETH_ROOT = "tdh" + PID % 1_000_000 + "a";
    private static final String VETH_PROXY_A = "tdh" + PID % 1_000_000 + "b";
    private static final String VETH_PROXY_B = "tdh" + PID % 1_000_000 + "c";
    private static final String VETH_HOST = "tdh" + PID % 1_000_000 + "d";

    @TempDir
    static Path dir;
    private static final List<Process> processes = new ArrayList<>();
    private static boolean routeAdded;
    private static String hostAddress;
    private static HttpDevice device;

    @BeforeAll
    static void network() throws Exception {
        if (!"0".equals(run(false, "id", "-u").trim())) {
            fail("HttpProxyTest needs root (network namespaces); CI runs as root");
        }
        for (String tool : new String[] {"ip", "tinyproxy"}) {
            if (run(false, "sh", "-c", "command -v " + tool).isBlank()) {
                fail(tool + " is missing: install iproute2 and tinyproxy (.ci/run does)");
            }
        }
        run(true, "ip", "netns", "add", NS_PROXY);
        run(true, "ip", "netns", "add", NS_HOST);
        run(true, "ip", "link", "add", VETH_ROOT, "type", "veth", "peer", "name", VETH_PROXY_A);
        run(true, "ip", "link", "set", VETH_PROXY_A, "netns", NS_PROXY);
        run(true, "ip", "link", "add", VETH_PROXY_B, "type", "veth", "peer", "name", VETH_HOST);
        run(true, "ip", "link", "set", VETH_PROXY_B, "netns", NS_PROXY);
        run(true, "ip", "link", "set", VETH_HOST, "netns", NS_HOST);
        run(true, "ip", "addr", "add", "10.204.1.1/24", "dev", VETH_ROOT);
        run(true, "ip", "link", "set", VETH_ROOT, "up");
        run(true, "ip", "route", "add", "unreachable", "10.204.2.0/24");
        routeAdded = true;
        run(true, "ip", "-n", NS_PROXY, "addr", "add", PROXY_IP + "/24", "dev", VETH_PROXY_A);
        run(true, "ip", "-n", NS_PROXY, "addr", "add", "10.204.2.1/24", "dev", VETH_PROXY_B);
        run(true, "ip", "-n", NS_PROXY, "link", "set", VETH_PROXY_A, "up");
        run(true, "ip", "-n", NS_PROXY, "link", "set", VETH_PROXY_B, "up");
        run(true, "ip", "-n", NS_PROXY, "link", "set", "lo", "up");
        run(true, "ip", "netns", "exec", NS_PROXY, "sysctl", "-qw", "net.ipv4.ip_forward=0");
        run(true, "ip", "-n", NS_HOST, "addr", "add", HOST_IP + "/24", "dev", VETH_HOST);
        run(true, "ip", "-n", NS_HOST, "link", "set", VETH_HOST, "up");
        run(true, "ip", "-n", NS_HOST, "link", "set", "lo", "up");

        tinyproxy(8888, 1970);
        tinyproxy(8889, 443);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process host = new ProcessBuilder("ip", "netns", "exec", NS_HOST, java, "-cp", System.getProperty("java.class.path"),
                EchoListener.class.getName(), HOST_IP, "1970")
                .redirectError(dir.resolve("host.err").toFile()).start();
        processes.add(host);
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first = line.get(60, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("LISTENING http:")) {
            fail("the Host JVM did not listen: " + first + "\n" + Files.readString(dir.resolve("host.err")));
        }
        hostAddress = first.substring("LISTENING http:".length());
        assertEquals(HOST_IP + ":1970", hostAddress);
        for (int port : new int[] {8888, 8889}) {
            waitForPort(PROXY_IP, port);
        }
        device = new HttpDevice();
        device.activate();
    }

    private static void tinyproxy(int port, int connectPort) throws IOException {
        Path conf = dir.resolve("tinyproxy-" + port + ".conf");
        Files.writeString(conf, String.join("\n",
                "Port " + port,
                "Listen " + PROXY_IP,
                "Timeout 600",
                "Allow 10.204.1.0/24",
                "BasicAuth " + USER + " " + PASSWORD,
                "ConnectPort " + connectPort,
                "MaxClients 200",
                "LogFile \"" + dir.resolve("tinyproxy-" + port + ".log") + "\"",
                "LogLevel Info",
                "DisableViaHeader Yes",
                ""));
        Process p = new ProcessBuilder("ip", "netns", "exec", NS_PROXY, "tinyproxy", "-d", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy-" + port + ".out").toFile()).start();
        processes.add(p);
    }

    private static void waitForPort(String ip, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("tinyproxy does not listen on " + ip + ":" + port + ": " + e + "\n"
                            + Files.readString(dir.resolve("tinyproxy-" + port + ".out")));
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (device != null) {
            device.deactivate();
        }
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (routeAdded) {
            run(false, "ip", "route", "del", "unreachable", "10.204.2.0/24");
        }
        run(false, "ip", "link", "del", VETH_ROOT);
        run(false, "ip", "netns", "del", NS_PROXY);
        run(false, "ip", "netns", "del", NS_HOST);
    }

    private static String run(boolean check, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish");
        }
        if (check && p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed (" + p.exitValue() + "): " + output);
        }
        return output;
    }

    // ------------------------------------------------------------------------------------------------

    private static CommunicationProfile profile(String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        settings.put("max-message", Integer.toString(1 << 20));
        return new CommunicationProfile("through-proxy", "http", settings);
    }

    private static Link connect(CommunicationProfile profile, Recorder handler) throws Exception {
        return device.connect(profile, hostAddress, handler).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Sends 4 MiB in 64 KiB messages and checks the echo: every byte, in order. */
    private static void carriesMegabytesInOrder(Link link, Recorder handler) throws Exception {
        List<byte[]> sent = new ArrayList<>();
        Random random = new Random(1970);
        for (int i = 0; i < 64; i++) {
            byte[] m = new byte[64 * 1024 - i];
            random.nextBytes(m);
            ByteBuffer.wrap(m).putInt(0, i);
            sent.add(m);
            link.send(ByteBuffer.wrap(m));
        }
        for (int i = 0; i < sent.size(); i++) {
            byte[] got = handler.messages.poll(60, TimeUnit.SECONDS);
            if (got == null) {
                fail("echo of message " + i + " did not arrive");
            }
            assertArrayEquals(sent.get(i), got, "echo of message " + i);
        }
        link.close("test done");
    }

    private static String proxyLog(int port) throws IOException {
        return Files.readString(dir.resolve("tinyproxy-" + port + ".log"));
    }

    @Test
    void theListenerCannotBeReachedDirectly() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> device.connect(profile(), hostAddress, new Recorder()).toCompletableFuture().get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("cannot connect to http:" + hostAddress), e.getCause().getMessage());
        try (Socket s = new Socket()) {
            assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(HOST_IP, 1970), 5000));
        }
    }

    /** A link in {@code mode} through the CONNECT proxy with the right credentials is a {@code type} and carries data. */
    private static void goesThroughConnectWithCredentials(String mode, Class<? extends Link> type) throws Exception {
        Recorder handler = new Recorder();
        Link link = connect(profile("mode", mode, "proxy", PROXY_IP + ":8888", "proxy-user", USER, "proxy-password", PASSWORD), handler);
        assertInstanceOf(type, link);
        carriesMegabytesInOrder(link, handler);
    }

    @Test
    void webSocketGoesThroughConnectWithCredentials() throws Exception {
        goesThroughConnectWithCredentials("websocket", WsLink.class);
        assertTrue(proxyLog(8888).contains("CONNECT " + HOST_IP + ":1970"), "tinyproxy logged the CONNECT");
    }

    @Test
    void streamingGoesThroughConnectWithCredentials() throws Exception {
        goesThroughConnectWithCredentials("http", StreamLink.class);
    }

    @Test
    void wrongCredentialsAreReportedAsSuch() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(
                profile("proxy", PROXY_IP + ":8888", "proxy-user", USER, "proxy-password", "wrong"), new Recorder()));
        assertTrue(e.getCause().getMessage().contains("the proxy at " + PROXY_IP + ":8888 refused the credentials of proxy-user 'tandem'"),
                e.getCause().getMessage());
        ExecutionException none = assertThrows(ExecutionException.class, () -> connect(
                profile("mode", "http", "proxy", PROXY_IP + ":8889"), new Recorder()));
        assertTrue(none.getCause().getMessage().contains("the proxy at " + PROXY_IP + ":8889 requires credentials"),
                none.getCause().getMessage());
    }

    @Test
    void streamingUsesForwardProxyRequestsWhenConnectIsRefused() throws Exception {
        Recorder handler = new Recorder();
        // auto: the WebSocket needs CONNECT, which this proxy allows to port 443 only.
        Link link = connect(profile("proxy", PROXY_IP + ":8889", "proxy-user", USER, "proxy-password", PASSWORD), handler);
        assertInstanceOf(StreamLink.class, link);
        carriesMegabytesInOrder(link, handler);
        String log = proxyLog(8889);
        assertTrue(log.contains("GET http://" + HOST_IP + ":1970/tandem?tunnel=down"), log);
        assertTrue(log.contains("POST http://" + HOST_IP + ":1970/tandem?tunnel=up"), log);
    }
}
