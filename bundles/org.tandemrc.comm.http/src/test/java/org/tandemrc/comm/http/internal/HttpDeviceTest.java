package org.tandemrc.comm.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/** What the http device does besides the conformance suite: routing, the fallback, settings, proxies. */
class HttpDeviceTest {

    private HttpDevice device;
    private Endpoint endpoint;

    @BeforeEach
    void start() {
        device = new HttpDevice();
        device.activate();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (endpoint != null) {
            endpoint.close();
        }
        device.deactivate();
    }

    private static CommunicationProfile profile(String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return new CommunicationProfile("web", "http", settings);
    }

    private static final class Echo implements LinkHandler {
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();

        @Override
        public void received(Link link, ByteBuffer message) {
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            messages.add(copy);
            link.send(ByteBuffer.wrap(copy));
        }

        @Override
        public void closed(Link link, String reason) {
        }
    }

    private InetSocketAddress listen(String... keyValues) throws IOException {
        String[] all = new String[keyValues.length + 4];
        all[0] = "bind";
        all[1] = "127.0.0.1";
        all[2] = "port";
        all[3] = "0";
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        endpoint = device.listen(profile(all), l -> new Echo());
        return HttpConformance.address(endpoint.address().substring("http:".length()));
    }

    private static String exchange(InetSocketAddress address, String request) throws IOException {
        try (Socket s = RawHttp.open(address)) {
            RawHttp.send(s, request);
            return RawHttp.rest(s);
        }
    }

    @Test
    void anotherPathGets404AndABrowserGetsAnExplanation() throws Exception {
        InetSocketAddress a = listen();
        String other = exchange(a, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(other.startsWith("HTTP/1.1 404"), other);
        String browser = exchange(a, "GET /tandem HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n");
        assertTrue(browser.startsWith("HTTP/1.1 400"), browser);
        assertTrue(browser.contains("Tandem remote-control endpoint"), browser);
        String garbage = exchange(a, "\u0001\u0002 nonsense \r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400"), garbage);
        String unknownSession = exchange(a, "POST /tandem?tunnel=up&session=00112233445566778899aabbccddeeff HTTP/1.1\r\n"
                + "Host: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertTrue(unknownSession.startsWith("HTTP/1.1 404"), unknownSession);
    }

    @Test
    void autoFallsBackToStreamingWhenTheUpgradeIsRefused() throws Exception {
        InetSocketAddress a = listen("mode", "http"); // this listener refuses WebSocket upgrades
        Echo mine = new Echo();
        Link link = device.connect(profile(), "127.0.0.1:" + a.getPort(), mine).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertInstanceOf(StreamLink.class, link);
        link.send(ByteBuffer.wrap(new byte[] {4, 5, 6}));
        assertArrayEquals(new byte[] {4, 5, 6}, mine.messages.poll(20, TimeUnit.SECONDS));

        ExecutionException e = assertThrows(ExecutionException.class, () -> device.connect(profile("mode", "websocket"),
                "127.0.0.1:" + a.getPort(), new Echo()).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("the WebSocket upgrade was refused (HTTP 400"), e.getCause().getMessage());
    }

    @Test
    void autoUsesWebSocketWhenItCanAndAPathInTheAddressIsUsed() throws Exception {
        InetSocketAddress a = listen("path", "/remote/tandem");
        assertTrue(endpoint.address().endsWith(":" + a.getPort() + "/remote/tandem"), endpoint.address());
        Echo mine = new Echo();
        Link link = device.connect(profile(), "127.0.0.1:" + a.getPort() + "/remote/tandem", mine)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertInstanceOf(WsLink.class, link);
        ExecutionException e = assertThrows(ExecutionException.class, () -> device.connect(profile(),
                "127.0.0.1:" + a.getPort(), new Echo()).toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("nothing listens for Tandem at path /tandem"), e.getCause().getMessage());
    }

    @Test
    void invalidSettingsNameTheProfileAndTheSetting() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> new Settings(profile("mode", "pigeon")));
        assertEquals("profile 'web': mode=pigeon is not auto, websocket or http", mode.getMessage());
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class, () -> new Settings(profile("path", "tandem")));
        assertTrue(path.getMessage().startsWith("profile 'web': path=tandem must start with '/'"), path.getMessage());
        HttpAddress target = HttpAddress.parse("10.0.0.5", HttpAddress.DEFAULT_PORT);
        IllegalArgumentException proxy = assertThrows(IllegalArgumentException.class,
                () -> ProxyChoice.choose(new Settings(profile("proxy", "proxy.example:notaport")), target, null, Map.of()));
        assertEquals("profile 'web': proxy=proxy.example:notaport is not none, system or HOST:PORT", proxy.getMessage());
        ExecutionException bad = assertThrows(ExecutionException.class, () -> device.connect(profile("max-message", "12"),
                "127.0.0.1:1", new Echo()).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(bad.getCause().getMessage().startsWith("profile 'web': max-message=12 is outside"), bad.getCause().getMessage());
    }

    @Test
    void addressesDefaultToPort1970AndTakeAPath() {
        assertEquals(new HttpAddress("example.org", 1970, null), HttpAddress.parse("example.org", HttpAddress.DEFAULT_PORT));
        assertEquals(new HttpAddress("::1", 80, "/t"), HttpAddress.parse("[::1]:80/t", HttpAddress.DEFAULT_PORT));
        assertEquals(new HttpAddress("h", 8080, null), HttpAddress.parse("http://h:8080", HttpAddress.DEFAULT_PORT));
        assertThrows(IllegalArgumentException.class, () -> HttpAddress.parse("h:99999", 1970));
    }

    @Test
    void theSystemProxyComesFromTheJvmSelectorThenTheEnvironment() {
        HttpAddress target = HttpAddress.parse("10.1.2.3:1970", 1970);
        Settings system = new Settings(profile("proxy", "system"));
        ProxySelector selector = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("jvm-proxy", 3128)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };
        ProxyChoice fromJvm = ProxyChoice.choose(system, target, selector, Map.of("http_proxy", "http://env-proxy:8080"));
        assertEquals("jvm-proxy:3128", fromJvm.shown());

        ProxySelector direct = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        };
        ProxyChoice fromEnv = ProxyChoice.choose(system, target, direct, Map.of("http_proxy", "http://bob:p%40ss@env-proxy:8080/"));
        assertEquals("env-proxy:8080", fromEnv.shown());
        assertEquals("bob", fromEnv.user());
        assertEquals("p@ss", fromEnv.password());
        // Credentials in the profile win over those in the URL.
        ProxyChoice profileUser = ProxyChoice.choose(new Settings(profile("proxy", "system", "proxy-user", "alice",
                "proxy-password", "pw")), target, direct, Map.of("http_proxy", "http://bob:x@env-proxy:8080/"));
        assertEquals("alice", profileUser.user());
        assertTrue(ProxyChoice.choose(system, target, direct, Map.of("http_proxy", "env-proxy:8080", "no_proxy", "localhost,10.1.2.3"))
                .direct());
        assertTrue(ProxyChoice.choose(system, HttpAddress.parse("host.corp.example", 1970), direct,
                Map.of("HTTP_PROXY", "env-proxy:8080", "NO_PROXY", ".corp.example")).direct());
        assertFalse(ProxyChoice.choose(system, HttpAddress.parse("corp.example.org", 1970), direct,
                Map.of("HTTP_PROXY", "env-proxy:8080", "NO_PROXY", ".corp.example")).direct());
        assertTrue(ProxyChoice.choose(system, target, direct, Map.of()).direct());
        assertNull(ProxyChoice.choose(new Settings(profile()), target, selector, Map.of()).address(), "proxy=none by default");
    }
}
