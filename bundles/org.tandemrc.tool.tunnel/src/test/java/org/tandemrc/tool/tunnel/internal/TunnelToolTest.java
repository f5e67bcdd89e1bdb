package org.tandemrc.tool.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;

class TunnelToolTest {

    private static TunnelTool tool(Map<String, Object> config) {
        TunnelTool t = new TunnelTool();
        t.configure(config);
        return t;
    }

    private static Map<String, String> to(String host, int port) {
        return Map.of("host", host, "port", Integer.toString(port));
    }

    @Test
    void itNeedsTheTunnelPrivilegeAndStreamsBytes() {
        TunnelTool t = new TunnelTool();
        assertEquals(Privilege.TUNNEL, t.requiredPrivilege());
        assertEquals(org.tandemrc.api.tool.StreamKind.BYTES, t.operations().get(0).stream());
    }

    @Test
    void bytesGoBothWaysAndTheDestinationsEndEndsTheStream() throws Exception {
        try (Destination d = new Destination(1000)) {
            TunnelTool t = tool(Map.of("Helpdesk", "127.0.0.1:" + d.port(), "service.pid", "org.tandemrc.tool.tunnel"));
            RecordingStream out = new RecordingStream();
            StreamInput in = t.open("connect", to("127.0.0.1", d.port()), out);
            in.data(ByteBuffer.wrap("hello".getBytes())).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(out.await(s -> s.output().length == 1005, 10_000), "got " + out.output().length);
            byte[] got = out.output();
            assertArrayEquals(Destination.greeting(1000), Arrays.copyOf(got, 1000));
            assertEquals("hello", new String(got, 1000, 5));
            in.closed("the Guest closed it");
            assertTrue(waitFor(() -> d.openConnections() == 0), "closing the stream closes the connection");
        }
    }

    @Test
    void whenTheDestinationClosesTheStreamEndsWell() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TunnelTool t = tool(Map.of("Helpdesk", "localhost:" + server.getLocalPort()));
            RecordingStream out = new RecordingStream();
            Thread closer = new Thread(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getOutputStream().write("bye".getBytes());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            closer.start();
            t.open("connect", to("localhost", server.getLocalPort()), out);
            assertTrue(out.await(RecordingStream::ended, 10_000));
            assertEquals("bye", out.text());
            assertEquals("localhost:" + server.getLocalPort() + " closed the connection", out.endSentence());
            assertTrue(out.endedOk());
        }
    }

    // ---- attacks: each was written first and seen failing against a tool that tunnelled wherever asked

    @Test
    void aRoleWithoutDestinationsReachesNothing() throws Exception {
        try (Destination d = new Destination(10)) {
            TunnelTool t = tool(Map.of("Full access", "*:*"));
            ToolException e = assertThrows(ToolException.class,
                    () -> t.open("connect", to("127.0.0.1", d.port()), new RecordingStream("mallory", "Helpdesk")));
            assertEquals("the role 'Helpdesk' may open no tunnel on this Host (its tunnel settings list none)",
                    e.getMessage());
            // The role's name is matched exactly: another spelling is another role.
            TunnelTool lower = tool(Map.of("helpdesk", "*:*"));
            assertThrows(ToolException.class,
                    () -> lower.open("connect", to("127.0.0.1", d.port()), new RecordingStream("mallory", "Helpdesk")));
            // Nothing is listed by default.
            assertThrows(ToolException.class,
                    () -> tool(Map.of()).open("connect", to("127.0.0.1", d.port()), new RecordingStream()));
            Thread.sleep(200);
            assertEquals(0, d.connections(), "no connection was made");
        }
    }

    @Test
    void aDestinationTheRoleDoesNotListIsRefusedBeforeAnyConnection() throws Exception {
        try (Destination allowed = new Destination(10); Destination other = new Destination(10)) {
            TunnelTool t = tool(Map.of("Helpdesk", "127.0.0.1:" + allowed.port() + ", localhost:" + allowed.port()));
            ToolException e = assertThrows(ToolException.class,
                    () -> t.open("connect", to("127.0.0.1", other.port()), new RecordingStream()));
            assertEquals("the role 'Helpdesk' may not open a tunnel to 127.0.0.1:" + other.port(), e.getMessage());
            assertThrows(ToolException.class, () -> t.open("connect", to("127.0.0.2", allowed.port()), new RecordingStream()));
            assertThrows(ToolException.class, () -> t.open("connect", to("::1", allowed.port()), new RecordingStream()));
            assertThrows(ToolException.class, () -> t.open("connect", to("http://127.0.0.1/", allowed.port()),
                    new RecordingStream()));
            assertThrows(ToolException.class, () -> t.open("connect", to("127.0.0.1", 70000), new RecordingStream()));
            assertThrows(ToolException.class, () -> t.open("connect", Map.of("host", "127.0.0.1", "port", "x"),
                    new RecordingStream()));
            Thread.sleep(200);
            assertEquals(0, other.connections());
            assertEquals(0, allowed.connections());
        }
    }

    @Test
    void tunnelsAreBoundedAndAClosedOneFreesItsPlace() throws Exception {
        try (Destination d = new Destination(0)) {
            TunnelTool t = tool(Map.of("Helpdesk", "127.0.0.1:" + d.port()));
            List<StreamInput> open = new ArrayList<>();
            for (int i = 0; i < TunnelTool.MAX_TUNNELS; i++) {
                open.add(t.open("connect", to("127.0.0.1", d.port()), new RecordingStream()));
            }
            ToolException e = assertThrows(ToolException.class,
                    () -> t.open("connect", to("127.0.0.1", d.port()), new RecordingStream()));
            assertTrue(e.getMessage().contains(TunnelTool.MAX_TUNNELS + " tunnels already"), e.getMessage());
            open.remove(0).closed("done");
            open.add(t.open("connect", to("127.0.0.1", d.port()), new RecordingStream()));
            open.forEach(i -> i.closed("done"));
        }
    }

    @Test
    void anUnreachableDestinationIsAToolExceptionAndHoldsNoPlace() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TunnelTool t = tool(Map.of("Helpdesk", "127.0.0.1:*"));
        for (int i = 0; i <= TunnelTool.MAX_TUNNELS; i++) {
            ToolException e = assertThrows(ToolException.class,
                    () -> t.open("connect", to("127.0.0.1", port), new RecordingStream()));
            assertTrue(e.getMessage().startsWith("cannot reach 127.0.0.1:" + port + ": "), e.getMessage());
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aReverseTunnelTellsTheGuestAConnectionCameThenCarriesIt() throws Exception {
        int port = freePort();
        TunnelTool t = tool(Map.of("listen.Helpdesk", "127.0.0.1:" + port));
        RecordingStream out = new RecordingStream();
        StreamInput in = t.open("accept", Map.of("port", Integer.toString(port)), out);
        Thread.sleep(100);
        assertEquals(0, out.output().length, "nothing before a connection");
        try (java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            assertTrue(out.await(s -> s.output().length == 1, 10_000), "the Guest hears of the connection at once");
            client.getOutputStream().write("hi".getBytes());
            assertTrue(out.await(s -> s.output().length == 3, 10_000));
            assertArrayEquals(new byte[] {TunnelTool.ACCEPTED, 'h', 'i'}, out.output());
            in.data(ByteBuffer.wrap("yo".getBytes())).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertArrayEquals("yo".getBytes(), client.getInputStream().readNBytes(2));
            in.closed("done");
            assertEquals(-1, client.getInputStream().read(), "closing the stream closes the connection");
        }
        // The listener outlives the stream for the Guest's next one: the same Guest waits again.
        StreamInput again = t.open("accept", Map.of("port", Integer.toString(port)), new RecordingStream());
        again.closed("done");
        t.deactivate();
    }

    @Test
    void aReverseTunnelListensOnlyWhereTheRoleMayAndOnlyForItsGuest() throws Exception {
        int port = freePort();
        TunnelTool t = tool(Map.of("Helpdesk", "*:*", "listen.Helpdesk", "127.0.0.1:" + port));
        assertEquals("the role 'Helpdesk' may not listen on 127.0.0.1:" + (port == 65535 ? 65534 : port + 1),
                assertThrows(ToolException.class, () -> t.open("accept",
                        Map.of("port", Integer.toString(port == 65535 ? 65534 : port + 1)), new RecordingStream())).getMessage());
        assertThrows(ToolException.class, () -> t.open("accept", Map.of("bind", "0.0.0.0", "port",
                Integer.toString(port)), new RecordingStream()));
        assertEquals("the role 'Other' may open no reverse tunnel on this Host (its tunnel settings list none)",
                assertThrows(ToolException.class, () -> t.open("accept", Map.of("port", Integer.toString(port)),
                        new RecordingStream("bob", "Other"))).getMessage());
        StreamInput alice = t.open("accept", Map.of("port", Integer.toString(port)), new RecordingStream("alice", "Helpdesk"));
        assertEquals("127.0.0.1:" + port + " is another Guest's tunnel", assertThrows(ToolException.class,
                () -> t.open("accept", Map.of("port", Integer.toString(port)), new RecordingStream("mallory", "Helpdesk")))
                .getMessage());
        alice.closed("done");
        t.deactivate();
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
