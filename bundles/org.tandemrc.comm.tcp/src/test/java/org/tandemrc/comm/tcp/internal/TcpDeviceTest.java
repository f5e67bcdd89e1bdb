package org.tandemrc.comm.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
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
import org.tandemrc.api.testing.DeviceConformance;

class TcpDeviceTest {

    private final TcpDevice device = new TcpDevice();

    @BeforeEach
    void start() {
        device.activate();
    }

    @AfterEach
    void stop() throws InterruptedException {
        device.deactivate();
    }

    private static CommunicationProfile profile(String bind, int port, int maxMessage) {
        return new CommunicationProfile("test", "tcp",
                Map.of("bind", bind, "port", Integer.toString(port), "max-message", Integer.toString(maxMessage)));
    }

    @Test
    void messagesArriveWholeAndInOrderOverIpv4AndIpv6() throws Exception {
        for (String bind : new String[] {"127.0.0.1", "::1"}) {
            DeviceConformance.Echo echo = new DeviceConformance.Echo();
            try (Endpoint endpoint = device.listen(profile(bind, 0, 1 << 20), l -> echo)) {
                String port = endpoint.address().substring(endpoint.address().lastIndexOf(':') + 1);
                assertTrue(endpoint.address().startsWith("tcp:" + (bind.contains(":") ? "[::1]" : bind) + ":"),
                        endpoint.address());
                DeviceConformance.Recorder client = new DeviceConformance.Recorder();
                String target = bind.contains(":") ? "[" + bind + "]:" + port : bind + ":" + port;
                Link link = device.connect(profile("", 0, 1 << 20), target, client).toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
                byte[] big = new byte[300_000];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) (i * 31);
                }
                for (int i = 0; i < 100; i++) {
                    link.send(ByteBuffer.wrap(("m" + i).getBytes(StandardCharsets.UTF_8)));
                }
                link.send(ByteBuffer.wrap(big));
                for (int i = 0; i < 100; i++) {
                    assertEquals("m" + i, new String(client.messages.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                }
                assertArrayEquals(big, client.messages.poll(5, TimeUnit.SECONDS));
                link.close("test done");
                assertEquals("the peer closed the connection", echo.closed.get(5, TimeUnit.SECONDS));
                assertEquals("test done", client.closed.get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void sendsFromTheEventLoopNeverOvertakeEarlierSendsFromOtherThreads() throws Exception {
        // The pattern of the record layer: a sequence number is taken and the message sent under one
        // lock, from an application thread and from the link's own thread (answers to what arrives).
        Object lock = new Object();
        long[] next = {0};
        java.util.concurrent.atomic.AtomicReference<Link> clientLink = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Consumer<Link> sendNumbered = l -> {
            synchronized (lock) {
                l.send(ByteBuffer.allocate(8).putLong(0, next[0]++));
            }
        };
        BlockingQueue<Long> order = new LinkedBlockingQueue<>();
        LinkHandler server = new LinkHandler() {
            @Override
            public void received(Link link, ByteBuffer message) {
                order.add(message.getLong(0));
                link.send(ByteBuffer.wrap(new byte[] {1})); // provoke the client's loop to send too
            }

            @Override
            public void closed(Link link, String reason) {
            }
        };
        LinkHandler client = new LinkHandler() {
            @Override
            public void received(Link link, ByteBuffer message) {
                sendNumbered.accept(link); // from the event loop
            }

            @Override
            public void closed(Link link, String reason) {
            }
        };
        try (Endpoint endpoint = device.listen(profile("127.0.0.1", 0, 1 << 20), l -> server)) {
            String port = endpoint.address().substring(endpoint.address().lastIndexOf(':') + 1);
            clientLink.set(device.connect(profile("", 0, 1 << 20), "127.0.0.1:" + port, client).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 20_000; i++) {
                sendNumbered.accept(clientLink.get()); // from this thread
            }
            long expected = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (expected < 20_000 && System.currentTimeMillis() < deadline) {
                Long got = order.poll(1, TimeUnit.SECONDS);
                if (got != null) {
                    assertEquals(expected++, got.longValue(), "message overtaken");
                }
            }
            assertTrue(expected >= 20_000, "received " + expected);
            clientLink.get().close("done");
        }
    }

    @Test
    void whatWasSentBeforeCloseReachesThePeerEvenWhenClosingFromTheEventLoop() throws Exception {
        DeviceConformance.Recorder client = new DeviceConformance.Recorder();
        LinkHandler server = new LinkHandler() {
            @Override
            public void opened(Link link) {
                // On the link's own thread: send, then close at once.
                for (int i = 0; i < 50; i++) {
                    link.send(ByteBuffer.wrap(("last words " + i).getBytes(StandardCharsets.UTF_8)));
                }
                link.close("goodbye");
            }

            @Override
            public void received(Link link, ByteBuffer message) {
            }

            @Override
            public void closed(Link link, String reason) {
            }
        };
        try (Endpoint endpoint = device.listen(profile("127.0.0.1", 0, 1 << 20), l -> server)) {
            String port = endpoint.address().substring(endpoint.address().lastIndexOf(':') + 1);
            device.connect(profile("", 0, 1 << 20), "127.0.0.1:" + port, client).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            client.closed.get(5, TimeUnit.SECONDS);
            assertEquals(50, client.messages.size(), "messages sent before close() were lost");
        }
    }

    @Test
    void aBusyPortIsReportedWithItsAddress() throws Exception {
        try (Endpoint first = device.listen(profile("127.0.0.1", 0, 1 << 20), l -> new DeviceConformance.Echo())) {
            int port = Integer.parseInt(first.address().substring(first.address().lastIndexOf(':') + 1));
            IOException e = assertThrows(IOException.class,
                    () -> device.listen(profile("127.0.0.1", port, 1 << 20), l -> new DeviceConformance.Echo()));
            assertEquals("cannot listen on tcp:127.0.0.1:" + port
                    + ": the address is already in use or not available here", e.getMessage());
        }
    }

    @Test
    void badProfileSettingsAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> device.listen(new CommunicationProfile("p1", "tcp", Map.of("port", "70000")), l -> new DeviceConformance.Echo()));
        assertEquals("profile 'p1': port=70000 is outside 0..65535", e.getMessage());
    }

    @Test
    void anOversizedLengthFromThePeerClosesOnlyThatLink() throws Exception {
        DeviceConformance.Echo echo = new DeviceConformance.Echo();
        try (Endpoint endpoint = device.listen(profile("127.0.0.1", 0, 4096), l -> echo)) {
            int port = Integer.parseInt(endpoint.address().substring(endpoint.address().lastIndexOf(':') + 1));
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                DataOutputStream out = new DataOutputStream(raw.getOutputStream());
                out.writeInt(Integer.MAX_VALUE);
                out.flush();
                assertEquals("the peer sent a message larger than 4096 bytes", echo.closed.get(5, TimeUnit.SECONDS));
                assertEquals(-1, raw.getInputStream().read(), "the device must close the connection");
            }
            // The endpoint still serves well-behaved peers.
            DeviceConformance.Recorder client = new DeviceConformance.Recorder();
            Link link = device.connect(profile("", 0, 4096), "127.0.0.1:" + port, client).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, client.messages.poll(5, TimeUnit.SECONDS));
            ExecutionException tooBig = assertThrows(ExecutionException.class,
                    () -> link.send(ByteBuffer.allocate(5000)).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(tooBig.getCause().getMessage().contains("exceeds the link's limit of 4096"));
            link.close("done");
        }
    }

    @Test
    void addressesParseAndPrintAsPeopleWriteThem() {
        assertEquals(new InetSocketAddress("::1", 7).getPort(), TcpAddress.parse("[::1]:7", 6502).getPort());
        assertEquals("::1", TcpAddress.parse("[::1]", 6502).getHostString());
        assertEquals(6502, TcpAddress.parse("example.org", 6502).getPort());
        assertEquals("fe80::1", TcpAddress.parse("fe80::1", 6502).getHostString());
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse("host:abc", 6502));
        assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse("host:0", 6502));
        assertEquals("[::]:6502", TcpAddress.format(new InetSocketAddress("::", 6502)));
        assertEquals("[fe80::1:2:3:4]:1", TcpAddress.format(new InetSocketAddress("fe80:0:0:0:1:2:3:4", 1)));
        assertEquals("[10:0:0:1::]:1", TcpAddress.format(new InetSocketAddress("10:0:0:1:0:0:0:0", 1)));
    }

    /**
     * A paused receiver stops reading: the sender's link becomes congested and nothing more arrives;
     * resuming delivers everything, in order (what a Gateway's splice relies on for backpressure).
     */
    @Test
    void aPausedLinkStopsReadingAndTheSenderIsCongestedUntilItResumes() throws Exception {
        CompletableFuture<Link> serverSide = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        Endpoint e = device.listen(profile("127.0.0.1", 0, 1 << 20), l -> new LinkHandler() {
            @Override
            public void opened(Link link) {
                serverSide.complete(link);
            }

            @Override
            public void received(Link link, ByteBuffer message) {
                assertEquals(received.get() / 65536 % 256, message.get(0) & 0xff, "in order");
                received.addAndGet(message.remaining());
            }

            @Override
            public void closed(Link link, String reason) {
            }
        });
        try {
            Link client = device.connect(profile("", 0, 1 << 20), e.address().substring(4), new DeviceConformance.Recorder())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Link server = serverSide.get(10, TimeUnit.SECONDS);
            assertTrue(server.pauseReceiving(true), "the tcp device can pause");
            Thread.sleep(100); // the pause is queued on the link's event loop
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!client.congested()) {
                assertTrue(System.nanoTime() < deadline, "the sender never became congested: " + sent + " bytes sent");
                byte[] m = new byte[65536];
                m[0] = (byte) (sent / 65536 % 256);
                client.send(ByteBuffer.wrap(m));
                sent += m.length;
                Thread.sleep(1);
            }
            Thread.sleep(300);
            assertEquals(0, received.get(), "a paused link delivered messages");
            assertTrue(server.pauseReceiving(false));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(sent, received.get());
            client.close("done");
        } finally {
            e.close();
        }
    }
}
