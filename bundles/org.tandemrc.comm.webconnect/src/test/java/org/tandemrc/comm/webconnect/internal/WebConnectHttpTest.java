package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.comm.http.internal.HttpDevice;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.relay.internal.RelayServer;

/**
 * WebConnect through the HTTP tunnel, everything real on loopback: a manager and relays that also listen
 * with the {@code http} device, Host and Guest devices with their own {@code http} device. The TCP way is
 * made to fail by naming a closed port as the manager; the tunnel must then carry logon, registration,
 * relay connections and resumes, directly or through a real tinyproxy.
 */
class WebConnectHttpTest {

    private Deployment deployment;
    private ManagerServer manager;
    private HttpDevice clientHttp;
    private WebConnectDevice host;
    private WebConnectDevice guest;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Process proxy;

    @BeforeEach
    void setUp() throws Exception {
        deployment = new Deployment();
        manager = deployment.httpManager(null);
        deployment.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
        clientHttp = new HttpDevice();
        clientHttp.activate();
        host = new WebConnectDevice();
        host.activate();
        host.http(clientHttp);
        guest = new WebConnectDevice();
        guest.activate();
        guest.http(clientHttp);
        Logger.getLogger("org.tandemrc.comm.webconnect").addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger("org.tandemrc.comm.webconnect").removeHandler(capture);
        guest.deactivate();
        host.deactivate();
        clientHttp.deactivate();
        deployment.close();
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** A loopback port nobody listens on: connects are refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Profile settings whose manager address refuses TCP, with the manager's tunnel as fallback. */
    private Map<String, String> refusedTcp(String hostName) throws IOException {
        Map<String, String> s = Deployment.settings(manager, hostName);
        s.put("manager", "127.0.0.1:" + closedPort());
        s.put("fallback", "http:" + Deployment.tunnel(manager));
        s.put("connect-timeout", "3");
        return s;
    }

    private static CommunicationProfile profile(Map<String, String> settings) {
        return new CommunicationProfile("wc", "webconnect", settings);
    }

    private Link connect(Map<String, String> settings, String target, Transfer.Source source) throws Exception {
        return guest.connect(profile(settings), target, source).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void whenTcpIsRefusedBothSidesFallBackToTheTunnelAndTheLinkCarriesData() throws Exception {
        RelayServer relay = deployment.httpRelay(null);
        assertTrue(relay.address().matches("127\\.0\\.0\\.1:\\d+ http:127\\.0\\.0\\.1:\\d+"), relay.address());
        Map<String, String> hostSettings = refusedTcp("tunnelled");
        String refused = hostSettings.get("manager");
        long total = 8L << 20;
        Transfer.Sink sink = new Transfer.Sink(total);
        try (Endpoint e = host.listen(profile(hostSettings), l -> sink)) {
            assertTrue(((HostEndpoint) e).route.last.startsWith("http:" + Deployment.tunnel(manager)),
                    "the Host registered via " + ((HostEndpoint) e).route.last);
            Transfer.Source source = new Transfer.Source();
            Link link = connect(refusedTcp(null), "tunnelled", source);
            String relayTunnel = relay.address().substring(relay.address().indexOf("http:"));
            assertEquals(relayTunnel, ((WebConnectLink) link).via(), "the Guest's relay connection took the tunnel too");
            byte[] sent = Transfer.send(link, source, total, 7);
            assertArrayEquals(sent, sink.done.get(60, TimeUnit.SECONDS), "SHA-256 of what arrived differs");
            assertTrue(relay.bytesRelayed() >= total, "the relay carried " + relay.bytesRelayed() + " bytes");
            link.close("done");
        }
        String expected = "the Connection Manager at " + refused + " cannot be reached over TCP";
        assertTrue(log.stream().anyMatch(m -> m.contains(expected) && m.contains("trying the HTTP tunnel http:"
                + Deployment.tunnel(manager))), "no fallback logged: " + log);
        assertTrue(log.stream().anyMatch(m -> m.contains("reached through the HTTP tunnel")), "no fallback logged: " + log);
    }

    @Test
    void wrongSettingsAndAMissingTunnelAreRefusedWithTheirReasons() throws Exception {
        Map<String, String> s = Deployment.settings(manager, null);
        s.put("fallback", "ftp:x");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> guest.connect(profile(s), "x", new Transfer.Source()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("profile 'wc': fallback=ftp:x is not none, http or http:ADDRESS[,ADDRESS]", e.getCause().getMessage());

        Map<String, String> s2 = Deployment.settings(manager, "h");
        s2.put("transport", "udp");
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> host.listen(profile(s2), l -> null));
        assertEquals("profile 'wc': transport=udp is not auto or http", i.getMessage());

        Map<String, String> s3 = Deployment.settings(manager, "h");
        s3.put("transport", "http");
        i = assertThrows(IllegalArgumentException.class, () -> host.listen(profile(s3), l -> null));
        assertTrue(i.getMessage().startsWith("profile 'wc': transport=http needs fallback=http"), i.getMessage());

        // TCP refused and the tunnel refused too: both reasons, with the profile and the addresses.
        Map<String, String> s4 = refusedTcp(null);
        int closedTunnel = closedPort();
        s4.put("fallback", "http:127.0.0.1:" + closedTunnel);
        e = assertThrows(ExecutionException.class,
                () -> guest.connect(profile(s4), "x", new Transfer.Source()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        String m = e.getCause().getMessage();
        assertTrue(m.contains("cannot reach the Connection Manager at " + s4.get("manager"))
                && m.contains("the HTTP tunnel failed too: cannot connect to http:127.0.0.1:" + closedTunnel + " (profile 'wc')"), m);

        // No http device in this node: the fallback names what is missing.
        WebConnectDevice bare = new WebConnectDevice();
        bare.activate();
        try {
            e = assertThrows(ExecutionException.class, () -> bare.connect(profile(refusedTcp(null)), "x", new Transfer.Source())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("profile 'wc': reaching the Connection Manager through the HTTP tunnel"
                    + " needs the http communication device"), e.getCause().getMessage());
        } finally {
            bare.deactivate();
        }
    }

    @Test
    void aLinkOnTheTunnelSurvivesTheDeathOfItsRelayAndResumesThroughAnotherOneOverHttp() throws Exception {
        RelayServer a = deployment.httpRelay(null);
        RelayServer b = deployment.httpRelay(null);
        Map<String, String> hs = Deployment.settings(manager, "survivor");
        hs.put("transport", "http");
        hs.put("fallback", "http:" + Deployment.tunnel(manager));
        Map<String, String> gs = Deployment.settings(manager, null);
        gs.put("transport", "http");
        gs.put("fallback", "http:" + Deployment.tunnel(manager));
        long total = 24L << 20;
        Transfer.Sink sink = new Transfer.Sink(total);
        try (Endpoint e = host.listen(profile(hs), l -> sink)) {
            Transfer.Source source = new Transfer.Source();
            Link link = connect(gs, "survivor", source);
            RelayServer killed = Transfer.sendThroughARelayDeath(link, source, sink, total, 3, a, b);
            RelayServer survivor = killed == a ? b : a;
            String via = ((WebConnectLink) link).via();
            assertEquals(survivor.address().substring(survivor.address().indexOf("http:")), via, "resumed via " + via);
        }
    }

    @Test
    void throughARealTinyproxyWithBasicAuthentication(@TempDir Path dir) throws Exception {
        RelayServer relay = deployment.httpRelay(null);
        int relayTunnel = port(relay.address());
        int managerTunnel = port(Deployment.tunnel(manager));
        int proxyPort = closedPort();
        Path conf = dir.resolve("tinyproxy.conf");
        Path proxyLog = dir.resolve("tinyproxy.log");
        Files.writeString(conf, String.join("\n",
                "Port " + proxyPort,
                "Listen 127.0.0.1",
                "Timeout 600",
                "Allow 127.0.0.1",
                "BasicAuth tandem s3cret-Pw",
                "ConnectPort " + managerTunnel,
                "ConnectPort " + relayTunnel,
                "MaxClients 50",
                "LogFile \"" + proxyLog + "\"",
                "LogLevel Info",
                "DisableViaHeader Yes",
                ""));
        if (!Files.isExecutable(Path.of("/usr/bin/tinyproxy"))) {
            fail("/usr/bin/tinyproxy is missing: install tinyproxy");
        }
        proxy = new ProcessBuilder("/usr/bin/tinyproxy", "-d", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", proxyPort), 1000);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("tinyproxy does not listen on 127.0.0.1:" + proxyPort + ": " + Files.readString(dir.resolve("tinyproxy.out")));
                }
                Thread.sleep(100);
            }
        }
        Map<String, String> hs = refusedTcp("proxied");
        Map<String, String> gs = refusedTcp(null);
        for (Map<String, String> s : List.of(hs, gs)) {
            s.put("proxy", "127.0.0.1:" + proxyPort);
            s.put("proxy-user", "tandem");
            s.put("proxy-password", "s3cret-Pw");
        }
        long total = 2L << 20;
        Transfer.Sink sink = new Transfer.Sink(total);
        try (Endpoint e = host.listen(profile(hs), l -> sink)) {
            Transfer.Source source = new Transfer.Source();
            Link link = connect(gs, "proxied", source);
            byte[] sent = Transfer.send(link, source, total, 11);
            assertArrayEquals(sent, sink.done.get(60, TimeUnit.SECONDS), "SHA-256 of what arrived differs");
            link.close("done");

            Map<String, String> wrong = refusedTcp(null);
            wrong.put("proxy", "127.0.0.1:" + proxyPort);
            wrong.put("proxy-user", "tandem");
            wrong.put("proxy-password", "wrong");
            ExecutionException x = assertThrows(ExecutionException.class, () -> connect(wrong, "proxied", new Transfer.Source()));
            assertTrue(x.getCause().getMessage().contains("refused the credentials of proxy-user 'tandem'"),
                    x.getCause().getMessage());
        }
        String proxied = Files.readString(proxyLog);
        assertTrue(proxied.contains("CONNECT 127.0.0.1:" + managerTunnel), "tinyproxy carried the manager's tunnel:\n" + proxied);
        assertTrue(proxied.contains("CONNECT 127.0.0.1:" + relayTunnel), "tinyproxy carried the relay's tunnel:\n" + proxied);
        assertTrue(log.stream().anyMatch(m -> m.contains("through the proxy 127.0.0.1:" + proxyPort)), "no proxy logged: " + log);
    }

    @Test
    void tlsRunsEndToEndInsideTheTunnel(@TempDir Path dir) throws Exception {
        org.tandemrc.webconnect.tls.Tls.ServerIdentity identity = org.tandemrc.webconnect.tls.Tls.server(null, null,
                dir.resolve("data"), List.of("127.0.0.1"));
        try (Deployment tls = new Deployment()) {
            ManagerServer m = tls.httpManager(identity);
            tls.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
            RelayServer relay = tls.httpRelay(identity);
            assertTrue(relay.address().matches("tls:127\\.0\\.0\\.1:\\d+ http:127\\.0\\.0\\.1:\\d+"), relay.address());
            Map<String, String> hs = Deployment.settings(m, "secret-host");
            Map<String, String> gs = Deployment.settings(m, null);
            for (Map<String, String> s : List.of(hs, gs)) {
                s.put("transport", "http");
                s.put("fallback", "http:" + Deployment.tunnel(m));
                s.put("trust-fingerprint", identity.fingerprint());
            }
            long total = 2L << 20;
            Transfer.Sink sink = new Transfer.Sink(total);
            try (Endpoint e = host.listen(profile(hs), l -> sink)) {
                Transfer.Source source = new Transfer.Source();
                Link link = connect(gs, "secret-host", source);
                assertTrue(((WebConnectLink) link).via().startsWith("http:"), ((WebConnectLink) link).via());
                byte[] sent = Transfer.send(link, source, total, 5);
                assertArrayEquals(sent, sink.done.get(60, TimeUnit.SECONDS), "SHA-256 of what arrived differs");
                link.close("done");

                // The handshake really runs inside the tunnel: a wrong pin fails there with the TLS message.
                Map<String, String> wrongPin = new java.util.HashMap<>(gs);
                wrongPin.put("trust-fingerprint", "00".repeat(32));
                ExecutionException x = assertThrows(ExecutionException.class, () -> connect(wrongPin, "secret-host",
                        new Transfer.Source()));
                assertTrue(x.getCause().getMessage().contains("TLS with the Connection Manager at")
                        && x.getCause().getMessage().contains("matches no trust-fingerprint"), x.getCause().getMessage());
            }
        }
    }
}
