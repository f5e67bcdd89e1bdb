package org.tandemrc.session.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.protocol.codec.WireWriter;

class StreamSessionTest {

    /**
     * A tool with a terminal that echoes in capitals (and says its size), a live table of three frames, and a
     * flood of {@code size} pseudo-random bytes that waits for the window.
     */
    static class Streamer implements StreamingTool {
        final List<String> closed = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> resized = new LinkedBlockingQueue<>();

        @Override
        public String id() {
            return "streamer";
        }

        @Override
        public String title() {
            return "Streamer";
        }

        @Override
        public String section() {
            return "Test";
        }

        @Override
        public List<Operation> operations() {
            return List.of(new Operation("echo", "Echo", List.of(), true, StreamKind.TERMINAL),
                    new Operation("table", "Live table", List.of(), false, StreamKind.TABLE),
                    new Operation("flood", "Flood", List.of(Field.of("size", "Size", FieldType.BYTES, true)), false,
                            StreamKind.BYTES),
                    new Operation("show", "Show", List.of(), false));
        }

        @Override
        public Result invoke(String operationId, Map<String, String> arguments) throws ToolException {
            if (operationId.equals("show")) {
                return new Result.Message("shown");
            }
            throw new ToolException(operationId + " streams");
        }

        @Override
        public StreamInput open(String operationId, Map<String, String> arguments, ToolStream out) throws ToolException {
            switch (operationId) {
                case "table" -> {
                    for (int i = 1; i <= 3; i++) {
                        out.show(new Result.Table(List.of(Field.of("n", "N", FieldType.INTEGER, false)),
                                List.of(List.of(Integer.toString(i)))));
                    }
                    out.end("three frames", true);
                }
                case "flood" -> {
                    long size = Long.parseLong(arguments.get("size"));
                    Thread flooding = new Thread(() -> flood(out, size), "flood");
                    flooding.setDaemon(true);
                    flooding.start();
                }
                case "echo" -> {
                    // nothing to start
                }
                default -> throw new ToolException("Streamer has no operation '" + operationId + "'");
            }
            return new StreamInput() {
                @Override
                public CompletionStage<Void> data(ByteBuffer data) {
                    String s = StandardCharsets.UTF_8.decode(data).toString();
                    if (s.equals("exit")) {
                        out.end("exit status 0", true);
                        return CompletableFuture.completedFuture(null);
                    }
                    return out.write(ByteBuffer.wrap(s.toUpperCase().getBytes(StandardCharsets.UTF_8)));
                }

                @Override
                public void resize(int columns, int rows) {
                    resized.add(columns + "x" + rows);
                }

                @Override
                public void closed(String reason) {
                    closed.add(reason);
                }
            };
        }

        static void flood(ToolStream out, long size) {
            java.util.Random random = new java.util.Random(7);
            long left = size;
            try {
                while (left > 0 && out.isOpen()) {
                    byte[] b = new byte[(int) Math.min(out.maxWrite(), left)];
                    random.nextBytes(b);
                    left -= b.length;
                    out.write(ByteBuffer.wrap(b)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
                out.end("sent " + size, true);
            } catch (Exception e) {
                out.end("failed: " + e, false);
            }
        }
    }

    /** What a Guest's listener saw. */
    static final class Seen implements StreamListener {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        final List<Result> shown = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<String> ended = new CompletableFuture<>();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> data(ByteBuffer data) {
            synchronized (bytes) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                bytes.writeBytes(b);
            }
            return gate;
        }

        @Override
        public void shown(Result result) {
            shown.add(result);
        }

        @Override
        public void ended(String sentence, boolean ok) {
            ended.complete((ok ? "ok: " : "failed: ") + sentence);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private final Streamer streamer = new Streamer();
    private final RecordingAudit audit = new RecordingAudit();
    private final List<String> audited = audit.lines;
    private FakeChannel[] pair;

    /** A Host side with these privileges, and a Guest stream opened on it. */
    private GuestStream open(Set<Privilege> privileges, String operation, StreamKind kind, Map<String, String> arguments,
            StreamListener listener) throws Exception {
        pair = FakeChannel.pair();
        pair[1].handler = new HostStream(new FakeContext(Side.HOST, pair[1], "alice", "desk-1", List.of(), privileges),
                () -> List.<RemoteTool>of(streamer), audit);
        GuestStream guest = new GuestStream(kind, listener);
        pair[0].handler = guest;
        guest.start(pair[0], "streamer", operation, arguments, 10_000);
        return guest;
    }

    private GuestStream open(String operation, StreamKind kind, Map<String, String> arguments, StreamListener listener)
            throws Exception {
        return open(EnumSet.of(Privilege.REMOTE_MANAGEMENT), operation, kind, arguments, listener);
    }

    @Test
    void aTerminalCarriesKeysResizesAndItsEndBothWays() throws Exception {
        Seen seen = new Seen();
        GuestStream stream = open("echo", StreamKind.TERMINAL, Map.of(), seen);
        assertEquals(StreamKind.TERMINAL, stream.kind());
        stream.write(ByteBuffer.wrap("héllo".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        long end = System.currentTimeMillis() + 5_000;
        while (!seen.text().equals("HÉLLO") && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals("HÉLLO", seen.text());
        stream.resize(100, 30);
        stream.resize(5000, 0);
        assertEquals("100x30", streamer.resized.poll(5, TimeUnit.SECONDS));
        assertEquals("1000x1", streamer.resized.poll(5, TimeUnit.SECONDS), "clamped to what the wire carries");
        stream.write(ByteBuffer.wrap("exit".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ok: exit status 0", seen.ended.get(5, TimeUnit.SECONDS));
        awaitClosed();
        // It changes the Host: audited when it opened and when it ended, with the Guest's name.
        assertEquals(List.of("ok alice: streamer echo (stream opened)", "ok alice: streamer echo -> exit status 0"), audited);
    }

    private void awaitClosed() throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (streamer.closed.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(1, streamer.closed.size(), "the tool hears the end once: " + streamer.closed);
    }

    @Test
    void theGuestClosingTellsTheToolOnce() throws Exception {
        Seen seen = new Seen();
        GuestStream stream = open("echo", StreamKind.TERMINAL, Map.of(), seen);
        stream.close();
        assertEquals("ok: you closed the stream", seen.ended.get(5, TimeUnit.SECONDS));
        awaitClosed();
        assertThrows(Exception.class, () -> stream.write(ByteBuffer.wrap(new byte[] {1})).toCompletableFuture()
                .get(5, TimeUnit.SECONDS), "nothing goes after the end");
    }

    @Test
    void aLiveTableShowsEachFrameInOrder() throws Exception {
        Seen seen = new Seen();
        open("table", StreamKind.TABLE, Map.of(), seen);
        assertEquals("ok: three frames", seen.ended.get(5, TimeUnit.SECONDS));
        assertEquals(3, seen.shown.size());
        assertEquals("3", ((Result.Table) seen.shown.get(2)).rows().get(0).get(0));
    }

    @Test
    void aSlowGuestHoldsTheHostToOneWindowAndGetsEveryByteInOrder() throws Exception {
        Seen seen = new Seen();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        seen.gate = gate;
        long size = 24L * 1024 * 1024;
        open("flood", StreamKind.BYTES, Map.of("size", Long.toString(size)), seen);
        Thread.sleep(1_000);
        long sent = dataBytes(pair[1].sent);
        assertTrue(sent > 0 && sent <= StreamWire.WINDOW, "the Host sent " + sent + " bytes before any acknowledgement");
        seen.gate = CompletableFuture.completedFuture(null);
        gate.complete(null);
        assertEquals("ok: sent " + size, seen.ended.get(60, TimeUnit.SECONDS));
        byte[] expected = new byte[(int) size];
        java.util.Random random = new java.util.Random(7);
        for (int at = 0; at < size; at += StreamWire.MAX_DATA) {
            byte[] b = new byte[(int) Math.min(StreamWire.MAX_DATA, size - at)];
            random.nextBytes(b);
            System.arraycopy(b, 0, expected, at, b.length);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertTrue(MessageDigest.isEqual(sha.digest(expected), sha.digest(seen.bytes.toByteArray())), "every byte, in order");
    }

    private static long dataBytes(List<ByteBuffer> sent) {
        long n = 0;
        synchronized (sent) {
            for (ByteBuffer b : sent) {
                if (b.get(0) == StreamWire.DATA_OUT) {
                    n += b.remaining() - 1;
                }
            }
        }
        return n;
    }

    @Test
    void theHostRefusesWhatTheGuestMayNotOpenWithItsSentence() throws Exception {
        ToolException e = assertThrows(ToolException.class, () -> open(EnumSet.of(Privilege.VIEW_SCREEN), "echo",
                StreamKind.TERMINAL, Map.of(), new Seen()));
        assertEquals("your role does not allow Streamer", e.getMessage());
        assertTrue(audited.contains("refused alice: role may not use Streamer"), audited.toString());
        e = assertThrows(ToolException.class, () -> open("table", StreamKind.TERMINAL, Map.of(), new Seen()));
        assertEquals("Live table streams as TABLE, not as TERMINAL", e.getMessage());
        e = assertThrows(ToolException.class, () -> open("show", StreamKind.TEXT, Map.of(), new Seen()));
        assertEquals("Show does not stream: run it as a request", e.getMessage());
        e = assertThrows(ToolException.class, () -> open("flood", StreamKind.BYTES, Map.of(), new Seen()));
        assertTrue(e.getMessage().contains("Size"), e.getMessage());
        e = assertThrows(ToolException.class, () -> open("nothing", StreamKind.BYTES, Map.of(), new Seen()));
        assertEquals("Streamer has no operation 'nothing'", e.getMessage());
        assertTrue(streamer.closed.isEmpty(), "nothing started");
    }

    @Test
    void aGuestThatSendsBeyondTheWindowLosesTheStream() throws Exception {
        // The tool never takes the input (its stage stays open): the Host acknowledges nothing.
        Streamer stuck = new Streamer() {
            @Override
            public StreamInput open(String operationId, Map<String, String> arguments, ToolStream out) {
                return new StreamInput() {
                    @Override
                    public CompletionStage<Void> data(ByteBuffer data) {
                        return new CompletableFuture<>();
                    }

                    @Override
                    public void closed(String reason) {
                        closed.add(reason);
                    }
                };
            }
        };
        FakeChannel[] p = FakeChannel.pair();
        HostStream host = new HostStream(new FakeContext(Side.HOST, p[1], "mallory", "desk-1", List.of(),
                EnumSet.of(Privilege.REMOTE_MANAGEMENT)), () -> List.<RemoteTool>of(stuck), audit);
        p[1].handler = host;
        p[0].send(StreamWire.open("streamer", "echo", StreamKind.TERMINAL, Map.of()));
        for (int i = 0; i <= StreamWire.WINDOW / StreamWire.MAX_DATA && p[0].closedReason == null; i++) {
            p[0].send(StreamWire.data(false, ByteBuffer.allocate(StreamWire.MAX_DATA)));
        }
        assertNotNull(p[1].closeReason, "the Host closed the stream");
        assertTrue(p[1].closeReason.contains("beyond the stream's window"), p[1].closeReason);
        long end = System.currentTimeMillis() + 5_000;
        while (stuck.closed.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        assertEquals(1, stuck.closed.size());
    }

    @Test
    void aHostThatBreaksTheStreamsKindOrOrderEndsItForTheGuest() throws Exception {
        // Output before STARTED: the open fails.
        FakeChannel[] p = FakeChannel.pair();
        GuestStream guest = new GuestStream(StreamKind.TEXT, new Seen());
        p[0].handler = guest;
        p[1].handler = new org.tandemrc.api.session.SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                p[1].send(StreamWire.data(true, ByteBuffer.wrap(new byte[] {'x'})));
            }

            @Override
            public void closed(String reason) {
                // nothing held
            }
        };
        ToolException e = assertThrows(ToolException.class, () -> guest.start(p[0], "t", "o", Map.of(), 5_000));
        assertTrue(e.getMessage().contains("before the Host started it"), e.getMessage());

        // A result on a text stream, after it started: the stream ends, not ok.
        FakeChannel[] q = FakeChannel.pair();
        Seen seen = new Seen();
        GuestStream second = new GuestStream(StreamKind.TEXT, seen);
        q[0].handler = second;
        q[1].handler = new org.tandemrc.api.session.SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                q[1].send(StreamWire.started(StreamKind.TEXT));
                q[1].send(StreamWire.show(new Result.Message("surprise")));
            }

            @Override
            public void closed(String reason) {
                // nothing held
            }
        };
        second.start(q[0], "t", "o", Map.of(), 5_000);
        String ended = seen.ended.get(5, TimeUnit.SECONDS);
        assertTrue(ended.startsWith("failed: the Host broke the stream's protocol: a result on a stream of bytes"), ended);
        assertNotNull(q[0].closeReason);
        assertTrue(seen.shown.isEmpty());
    }

    @Test
    void malformedStreamMessagesAreRejected() {
        ByteBuffer good = StreamWire.open("tool", "op", StreamKind.TEXT, Map.of("a", "b"));
        for (int cut = 1; cut < good.remaining(); cut++) {
            ByteBuffer shorter = good.duplicate().limit(cut);
            assertThrows(org.tandemrc.protocol.ProtocolException.class, () -> StreamWire.readIn(shorter), "cut at " + cut);
        }
        assertThrows(org.tandemrc.protocol.ProtocolException.class,
                () -> StreamWire.readIn(new WireWriter().u8(StreamWire.RESIZE).u16(0).u16(24).toBuffer()));
        assertThrows(org.tandemrc.protocol.ProtocolException.class,
                () -> StreamWire.readIn(new WireWriter().u8(StreamWire.ACK_IN).u32(StreamWire.WINDOW + 1).toBuffer()));
        assertThrows(org.tandemrc.protocol.ProtocolException.class,
                () -> StreamWire.readOut(new WireWriter().u8(StreamWire.STARTED).u8(StreamKind.values().length).toBuffer()));
        assertThrows(org.tandemrc.protocol.ProtocolException.class,
                () -> StreamWire.readIn(StreamWire.started(StreamKind.TEXT)), "a Host's message from a Guest");
        ByteBuffer big = ByteBuffer.allocate(StreamWire.MAX_DATA + 2).put((byte) StreamWire.DATA_IN);
        big.position(0);
        assertThrows(org.tandemrc.protocol.ProtocolException.class, () -> StreamWire.readIn(big));
        assertEquals(new StreamWire.Open("tool", "op", StreamKind.TEXT, Map.of("a", "b")),
                assertDoesNotThrowRead(good));
        assertFalse(new RecordingStream().ended());
    }

    private static StreamWire.In assertDoesNotThrowRead(ByteBuffer b) {
        try {
            return StreamWire.readIn(b.duplicate());
        } catch (org.tandemrc.protocol.ProtocolException e) {
            throw new AssertionError(e);
        }
    }
}
