package org.tandemrc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

class ConnectionTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Records what a side hears, and accepts or denies the sessions the peer asks for. */
    static final class Recorder extends ControlRecorder {
        volatile boolean acceptSessions = true;
        final BlockingQueue<SessionChannel> accepted = new LinkedBlockingQueue<>();

        @Override
        public void openRequested(Connection connection, Connection.OpenRequest request) {
            if (acceptSessions) {
                accepted.add(request.accept());
            } else {
                request.deny("View only Guests may not use " + request.sessionType());
            }
        }
    }

    /** Collects channel messages. */
    static final class Inbox implements SessionHandler {
        final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void received(ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            messages.add(b);
        }

        @Override
        public void closed(String reason) {
            closed.complete(reason);
        }
    }

    record Pair(Connection guest, Connection host, Recorder g, Recorder h, MemoryLink guestLink,
            MemoryLink hostLink, HostIdentity identity) {
    }

    static Pair pair() {
        HostIdentity id = HostIdentity.generate(RANDOM);
        Recorder g = new Recorder();
        Recorder h = new Recorder();
        Connection guest = Connection.guest("guest-pc", "chat,message", g, null, RANDOM);
        Connection host = Connection.host(id, "host-pc", "chat", h, null, RANDOM);
        MemoryLink[] links = MemoryLink.connect(guest, host);
        return new Pair(guest, host, g, h, links[0], links[1], id);
    }

    /** Both ends of a bulk "files" channel that the Guest opened and the Host accepted, the Host's end read by an inbox. */
    record BulkChannel(SessionChannel guestSide, SessionChannel hostSide, Inbox hostInbox) {
    }

    static BulkChannel openBulk(Pair p) throws Exception {
        Ends e = open(p, "files", Priority.BULK);
        Inbox inbox = new Inbox();
        e.hostSide().attach(inbox);
        return new BulkChannel(e.guestSide(), e.hostSide(), inbox);
    }

    /** Both ends of a channel the Guest opened and the Host accepted; no handler attached to either. */
    record Ends(SessionChannel guestSide, SessionChannel hostSide) {
    }

    static Ends open(Pair p, String sessionType, Priority priority) throws Exception {
        p.g().secured.get(5, TimeUnit.SECONDS);
        SessionChannel guestSide = p.guest().open(sessionType, priority).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return new Ends(guestSide, p.h().accepted.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void theHandshakeAuthenticatesTheHostAndBothSidesShareKeys() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        p.h().secured.get(5, TimeUnit.SECONDS);
        assertArrayEquals(p.identity().publicKey(), p.guest().hostKey().orElseThrow());
        assertEquals("host-pc", p.guest().peerName());
        assertEquals("guest-pc", p.host().peerName());
        assertEquals("chat,message", p.host().peerCapabilities());
        assertArrayEquals(p.guest().binding(), p.host().binding());

        p.guest().send(ControlMessage.of("auth.start").with("method", "shared-password"));
        ControlMessage m = p.h().control.poll(5, TimeUnit.SECONDS);
        assertEquals("auth.start", m.type());
        assertEquals("shared-password", m.text("method"));
        p.host().send(ControlMessage.of("hello.back").with("n", 7));
        assertEquals(7, p.g().control.poll(5, TimeUnit.SECONDS).integer("n", 0, 10));

        p.guest().close("done here");
        assertEquals("done here", p.g().closed.get(5, TimeUnit.SECONDS));
        assertEquals("closed by the Guest: done here", p.h().closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void noSecretCrossesTheWireInClear() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        p.guest().send(ControlMessage.of("chat").with("text", "the launch code is 0000"));
        p.h().control.poll(5, TimeUnit.SECONDS);
        String wire = new String(p.guestLink().tapped(), StandardCharsets.ISO_8859_1);
        assertFalse(wire.contains("launch code"), "message text on the wire");
        assertTrue(wire.contains("guest-pc"), "the hello is in clear, by design");
    }

    @Test
    void aForgedOrReplayedRecordClosesTheConnection() throws Exception {
        for (String attack : new String[] {"flip", "replay", "drop"}) {
            Pair p = pair();
            p.g().secured.get(5, TimeUnit.SECONDS);
            p.h().secured.get(5, TimeUnit.SECONDS);
            List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger n = new AtomicInteger();
            p.guestLink().alter(b -> {
                sent.add(b.clone());
                int i = n.incrementAndGet();
                if (i == 2) {
                    switch (attack) {
                        case "flip" -> b[b.length - 1] ^= 1;
                        case "replay" -> {
                            return sent.get(0);
                        }
                        default -> {
                            return null;
                        }
                    }
                }
                return b;
            });
            p.guest().send(ControlMessage.of("one"));
            p.guest().send(ControlMessage.of("two"));
            p.guest().send(ControlMessage.of("three"));
            String reason = p.h().closed.get(5, TimeUnit.SECONDS);
            assertTrue(reason.startsWith("protocol error: record 1 failed authentication"), attack + ": " + reason);
            assertEquals("one", p.h().control.poll(1, TimeUnit.SECONDS).type());
            assertEquals(0, p.h().control.size(), attack + ": nothing after the attack is delivered");
        }
    }

    @Test
    void aForgedHostSignatureIsRefused() throws Exception {
        HostIdentity id = HostIdentity.generate(RANDOM);
        Recorder g = new Recorder();
        Recorder h = new Recorder();
        Connection guest = Connection.guest("g", "", g, null, RANDOM);
        Connection host = Connection.host(id, "h", "", h, null, RANDOM);
        MemoryLink.connect(guest, host, b -> {
            if (b.length > 100 && b[5] == 2) {
                b[b.length - 70] ^= 1; // the last byte of the host's identity key, covered by the signature
            }
            return b;
        });
        assertEquals("protocol error: the Host's signature of the key exchange is invalid",
                g.closed.get(5, TimeUnit.SECONDS));
        assertFalse(g.secured.isDone());
    }

    @Test
    void strangersAndOtherVersionsGetAClearAnswer() throws Exception {
        Recorder h = new Recorder();
        Connection host = Connection.host(HostIdentity.generate(RANDOM), "h", "", h, null, RANDOM);
        Recorder g = new Recorder();
        Connection.Listener raw = g;
        MemoryLink[] links = MemoryLink.connect(new org.tandemrc.api.comm.LinkHandler() {
            @Override
            public void received(org.tandemrc.api.comm.Link link, ByteBuffer message) {
            }

            @Override
            public void closed(org.tandemrc.api.comm.Link link, String reason) {
                raw.closed(null, reason);
            }
        }, host);
        links[0].send(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("protocol error: the peer does not speak the Tandem protocol", h.closed.get(5, TimeUnit.SECONDS));

        Recorder h2 = new Recorder();
        Connection host2 = Connection.host(HostIdentity.generate(RANDOM), "h", "", h2, null, RANDOM);
        BlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();
        MemoryLink[] l2 = MemoryLink.connect(new org.tandemrc.api.comm.LinkHandler() {
            @Override
            public void received(org.tandemrc.api.comm.Link link, ByteBuffer message) {
                byte[] b = new byte[message.remaining()];
                message.get(b);
                answers.add(b);
            }

            @Override
            public void closed(org.tandemrc.api.comm.Link link, String reason) {
            }
        }, host2);
        l2[0].send(ByteBuffer.wrap(new WireWriter().bytes("TNDM".getBytes(StandardCharsets.US_ASCII)).u8(2).u8(1)
                .bytes(new byte[64]).text("future").text("").toByteArray()));
        WireReader r = new WireReader(ByteBuffer.wrap(answers.poll(5, TimeUnit.SECONDS)));
        r.bytes(4, "magic");
        r.u8("version");
        assertEquals(3, r.u8("kind"));
        assertEquals("protocol version 2 is not supported; this node speaks version 1", r.text("reason", 1000));
    }

    @Test
    void hostileLengthsAreRefusedBeforeAllocation() {
        WireReader r = new WireReader(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0, 1, 2}));
        ProtocolException e = assertThrows(ProtocolException.class, () -> r.blob("payload", 1 << 20));
        assertEquals("payload length of 2147483648 exceeds the limit of 1048576", e.getMessage());
        WireReader t = new WireReader(ByteBuffer.wrap(new byte[] {0, 0, 0, 10, 1}));
        assertThrows(ProtocolException.class, () -> t.blob("payload", 100));
        WireReader u = new WireReader(ByteBuffer.wrap(new byte[] {0, 2, (byte) 0xc3, 0x28}));
        assertEquals("name is not valid UTF-8", assertThrows(ProtocolException.class, () -> u.text("name", 10)).getMessage());
    }

    @Test
    void channelsCarryLargeMessagesInOrderUnderFlowControl() throws Exception {
        BulkChannel c = openBulk(pair());
        SessionChannel guestSide = c.guestSide();
        Inbox inbox = c.hostInbox();
        byte[] big = new byte[Connection.MAX_CHANNEL_MESSAGE];
        RANDOM.nextBytes(big);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            big[0] = (byte) i;
            sends.add(guestSide.send(ByteBuffer.wrap(big)).toCompletableFuture());
        }
        for (int i = 0; i < 8; i++) {
            byte[] got = inbox.messages.poll(10, TimeUnit.SECONDS);
            assertEquals(big.length, got.length);
            assertEquals((byte) i, got[0]);
            assertEquals(big[big.length - 1], got[big.length - 1]);
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        ExecutionException tooBig = assertThrows(ExecutionException.class, () -> guestSide
                .send(ByteBuffer.allocate(Connection.MAX_CHANNEL_MESSAGE + 1)).toCompletableFuture().get());
        assertInstanceOf(IllegalArgumentException.class, tooBig.getCause());

        guestSide.close("transfer complete");
        assertEquals("transfer complete", inbox.closed.get(5, TimeUnit.SECONDS));
    }

    /**
     * A channel seals what it can send at once straight from the caller's buffer and keeps a copy of the
     * rest only: a caller that reuses its buffer as soon as send returns must still deliver what it sent.
     */
    @Test
    void aSenderMayReuseItsBufferAsSoonAsSendReturns() throws Exception {
        BulkChannel c = openBulk(pair());
        byte[] buffer = new byte[Connection.MAX_CHANNEL_MESSAGE];
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RANDOM.nextBytes(buffer);
            sent.add(buffer.clone());
            c.guestSide().send(ByteBuffer.wrap(buffer));
        }
        java.util.Arrays.fill(buffer, (byte) 0);
        for (int i = 0; i < 4; i++) {
            byte[] got = c.hostInbox().messages.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(sent.get(i), got, "message " + i + " arrived as it was when sent");
        }
    }

    /**
     * A handler that notes what it got and whether one of its calls began while another ran; its first
     * call, or every call while {@link #slow} is set, takes a while.
     */
    static final class OneAtATime implements SessionHandler {
        final BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        final AtomicInteger overlaps = new AtomicInteger();
        final CountDownLatch inReceived = new CountDownLatch(1);
        private final AtomicBoolean busy = new AtomicBoolean();
        volatile long slowMillis;

        @Override
        public void received(ByteBuffer message) {
            String text = StandardCharsets.US_ASCII.decode(message).toString();
            call(text);
        }

        @Override
        public void closed(String reason) {
            call("closed: " + reason);
        }

        private void call(String what) {
            if (!busy.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                inReceived.countDown();
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                calls.add(what);
                busy.set(false);
            }
        }
    }

    /**
     * Messages that arrived before the handler was attached come first, then the later ones, in order,
     * one call at a time, though later ones arrive on the link's thread while the kept ones are handed over.
     */
    @Test
    void messagesKeptForALateHandlerComeBeforeLaterOnesOneAtATime() throws Exception {
        Pair p = pair();
        Ends ends = open(p, "chat", Priority.CONTROL);
        SessionChannel guestSide = ends.guestSide();
        SessionChannel hostSide = ends.hostSide();
        for (int i = 0; i < 5; i++) {
            guestSide.send(ByteBuffer.wrap(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
        }
        Inbox probe = new Inbox(); // a second channel: once its message is in, the five above are too
        SessionChannel probeSide = p.guest().open("chat", Priority.CONTROL).toCompletableFuture().get(5, TimeUnit.SECONDS);
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(probe);
        probeSide.send(ByteBuffer.wrap(new byte[] {1}));
        probe.messages.poll(5, TimeUnit.SECONDS);
        OneAtATime handler = new OneAtATime();
        handler.slowMillis = 20;
        Thread later = new Thread(() -> {
            try {
                handler.inReceived.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 5; i < 10; i++) {
                guestSide.send(ByteBuffer.wrap(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
            }
        });
        later.start();
        hostSide.attach(handler);
        later.join(5_000);
        for (int i = 0; i < 10; i++) {
            assertEquals(Integer.toString(i), handler.calls.poll(5, TimeUnit.SECONDS), "message " + i);
        }
        assertEquals(0, handler.overlaps.get(), "calls that began while another ran");
    }

    /**
     * A channel closed on one thread while its handler is in {@code received} on the link's thread: the
     * handler hears {@code closed} once that call has returned, not during it, and nothing after it, not
     * even what the peer sent before it heard of the close.
     */
    @Test
    void closedWaitsForTheReceiveInProgressAndNothingFollowsIt() throws Exception {
        Pair p = pair();
        Ends ends = open(p, "chat", Priority.CONTROL);
        SessionChannel guestSide = ends.guestSide();
        SessionChannel hostSide = ends.hostSide();
        OneAtATime handler = new OneAtATime();
        handler.slowMillis = 300;
        hostSide.attach(handler);
        guestSide.send(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)));
        handler.inReceived.await(5, TimeUnit.SECONDS);
        hostSide.close("closed here");
        guestSide.send(ByteBuffer.wrap("second".getBytes(StandardCharsets.US_ASCII))); // before the Guest hears of it
        assertEquals("first", handler.calls.poll(5, TimeUnit.SECONDS));
        assertEquals("closed: closed here", handler.calls.poll(5, TimeUnit.SECONDS));
        assertEquals(null, handler.calls.poll(500, TimeUnit.MILLISECONDS), "a call after closed");
        assertEquals(0, handler.overlaps.get(), "calls that began while another ran");
    }

    /**
     * Messages for a handler not yet attached are kept, but credit for them is only granted once the
     * handler has them: the peer cannot make the receiver keep more than one window.
     */
    @Test
    void messagesKeptForALateHandlerHoldTheSenderAtOneWindow() throws Exception {
        Pair p = pair();
        Ends ends = open(p, "files", Priority.BULK);
        SessionChannel guestSide = ends.guestSide();
        SessionChannel hostSide = ends.hostSide();
        int size = 100 * 1024;
        int count = 3 * Connection.WINDOW / size;
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[size];
            b[0] = (byte) i;
            sends.add(guestSide.send(ByteBuffer.wrap(b)).toCompletableFuture());
        }
        Thread.sleep(1_000);
        long sent = sends.stream().filter(CompletableFuture::isDone).count();
        assertTrue(sent * size <= Connection.WINDOW + size, sent + " messages of " + size + " bytes sent to no handler");
        Inbox inbox = new Inbox();
        hostSide.attach(inbox);
        for (int i = 0; i < count; i++) {
            byte[] b = inbox.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(size, b.length);
            assertEquals((byte) i, b[0], "message " + i);
        }
    }

    /** A peer that sends more than the credit it was granted is cut off, not buffered for. */
    @Test
    void aPeerSendingBeyondItsCreditIsCutOff() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        SessionChannel guestSide = p.guest().open("files", Priority.BULK).toCompletableFuture().get(5, TimeUnit.SECONDS);
        p.h().accepted.poll(5, TimeUnit.SECONDS); // never attached: nothing is consumed, no credit comes back
        for (int i = 0; i < 4 && p.host().isOpen(); i++) {
            guestSide.send(ByteBuffer.wrap(new byte[Connection.WINDOW]));
            guestSide.credited(Connection.WINDOW); // as if the Host had granted it
            Thread.sleep(200);
        }
        assertTrue(p.h().closed.get(5, TimeUnit.SECONDS).contains("credit"), "the Host's reason");
    }

    /** {@link #pair()} with a scheduler on both sides, as the roles give them. */
    static Pair pair(ScheduledExecutorService scheduler) {
        HostIdentity id = HostIdentity.generate(RANDOM);
        Recorder g = new Recorder();
        Recorder h = new Recorder();
        Connection guest = Connection.guest("guest-pc", "chat,message", g, scheduler, RANDOM);
        Connection host = Connection.host(id, "host-pc", "chat", h, scheduler, RANDOM);
        MemoryLink[] links = MemoryLink.connect(guest, host);
        return new Pair(guest, host, g, h, links[0], links[1], id);
    }

    /**
     * Keyboard or mouse input holds bulk data back for a moment, on the side that sends it and on the
     * side that receives it, so that its effect on the screen does not compete with a copy; then the
     * bulk data goes on by itself.
     */
    @Test
    void inputHoldsBulkDataBackForAMomentOnBothSides() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        try {
            Pair p = pair(scheduler);
            BulkChannel bulk = openBulk(p);
            SessionChannel input = p.guest().open("chat", Priority.INPUT).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Inbox inputInbox = new Inbox();
            p.h().accepted.poll(5, TimeUnit.SECONDS).attach(inputInbox);
            Inbox guestInbox = new Inbox();
            bulk.guestSide().attach(guestInbox);
            // Sent: the Guest holds its bulk data. Times are taken before the input goes, so that a busy
            // machine can only make the bulk data later, never make a hold that works look broken.
            long t0 = System.nanoTime();
            input.send(ByteBuffer.wrap(new byte[] {1}));
            bulk.guestSide().send(ByteBuffer.wrap(new byte[1000]));
            assertEquals(1000, bulk.hostInbox().messages.poll(5, TimeUnit.SECONDS).length);
            long held = System.nanoTime() - t0;
            assertTrue(held >= Connection.INPUT_HOLDS_BULK_NANOS, "bulk data came " + held / 1_000_000 + " ms after input");
            // Received: the Host holds its bulk data.
            assertEquals(1, inputInbox.messages.poll(5, TimeUnit.SECONDS).length);
            Thread.sleep(2 * Connection.INPUT_HOLDS_BULK_NANOS / 1_000_000 + 20); // past both sides' gaps
            long t1 = System.nanoTime();
            input.send(ByteBuffer.wrap(new byte[] {2}));
            assertEquals(1, inputInbox.messages.poll(5, TimeUnit.SECONDS).length);
            bulk.hostSide().send(ByteBuffer.wrap(new byte[2000]));
            assertEquals(2000, guestInbox.messages.poll(5, TimeUnit.SECONDS).length);
            held = System.nanoTime() - t1;
            assertTrue(held >= Connection.INPUT_HOLDS_BULK_NANOS,
                    "the Host's bulk data came " + held / 1_000_000 + " ms after input");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Continuous input (a mouse drag) holds bulk data back at most half the time: a copy goes on. */
    @Test
    void continuousInputLeavesBulkDataHalfTheTime() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        try {
            Pair p = pair(scheduler);
            BulkChannel bulk = openBulk(p);
            SessionChannel input = p.guest().open("chat", Priority.INPUT).toCompletableFuture().get(5, TimeUnit.SECONDS);
            p.h().accepted.poll(5, TimeUnit.SECONDS).attach(new Inbox());
            AtomicBoolean dragging = new AtomicBoolean(true);
            Thread drag = new Thread(() -> {
                while (dragging.get()) {
                    input.send(ByteBuffer.wrap(new byte[] {3}));
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            drag.start();
            try {
                for (int i = 0; i < 64; i++) {
                    bulk.guestSide().send(ByteBuffer.wrap(new byte[64 * 1024]));
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int i = 0; i < 64; i++) { // 4 MiB while the drag goes on
                    assertTrue(bulk.hostInbox().messages.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS) != null,
                            "bulk message " + i + " during the drag");
                }
                assertTrue(drag.isAlive(), "the drag went on throughout");
            } finally {
                dragging.set(false);
                drag.join(5_000);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * A pump of bulk data gives way, after its current record, to a thread that waits to send input; that
     * thread pumps on. Whatever the interleaving, both streams arrive whole and in order, and none stalls.
     */
    @Test
    void inputSentWhileBulkDataIsSealedArrivesAndTheBulkDataToo() throws Exception {
        Pair p = pair();
        BulkChannel bulk = openBulk(p);
        SessionChannel input = p.guest().open("chat", Priority.INPUT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Inbox inputInbox = new Inbox();
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(inputInbox);
        byte[] buffer = new byte[256 * 1024];
        List<byte[]> sent = new ArrayList<>();
        Thread keys = new Thread(() -> {
            for (int i = 0; i < 2000; i++) {
                input.send(ByteBuffer.wrap(Integer.toString(i).getBytes(StandardCharsets.US_ASCII)));
            }
        });
        keys.start();
        for (int i = 0; i < 32; i++) { // 8 MiB, several windows
            RANDOM.nextBytes(buffer);
            sent.add(buffer.clone());
            bulk.guestSide().send(ByteBuffer.wrap(buffer));
        }
        keys.join(10_000);
        for (int i = 0; i < 2000; i++) {
            assertEquals(Integer.toString(i), new String(inputInbox.messages.poll(10, TimeUnit.SECONDS),
                    StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), bulk.hostInbox().messages.poll(10, TimeUnit.SECONDS), "bulk message " + i);
        }
    }

    /**
     * A pump of bulk data gives way to a thread waiting to send something else, which pumps on once it
     * holds the lock. A waiter whose send is refused (its session has ended) must pump on too: else the
     * bulk data, with credit to go, waits for whatever next happens to pump.
     */
    @Test
    void bulkDataGoesOnWhenTheSendItGaveWayToIsRefused() throws Exception {
        Pair p = pair();
        BulkChannel bulk = openBulk(p);
        SessionChannel input = p.guest().open("chat", Priority.INPUT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(new Inbox());
        input.close("ended here");
        byte[] message = new byte[Connection.FRAGMENT * 3];
        RANDOM.nextBytes(message);
        Thread refused;
        synchronized (p.guest()) {
            refused = new Thread(() -> input.send(ByteBuffer.wrap(new byte[] {1})));
            refused.start();
            while (refused.getState() != Thread.State.BLOCKED) { // counted as waiting, at the lock
                Thread.sleep(1);
            }
            p.guestLink().hold(); // nothing reaches the Host, so no credit or writable link pumps for the waiter
            bulk.guestSide().send(ByteBuffer.wrap(message)); // one record, then the pump gives way
        }
        refused.join(5_000);
        assertEquals(3, p.guestLink().heldCount(), "records sealed once the refused send had the lock");
        p.guestLink().release();
        assertArrayEquals(message, bulk.hostInbox().messages.poll(5, TimeUnit.SECONDS), "the bulk message");
    }

    /**
     * What waits for credit is copied into buffers the connection hands out again once the copy is sealed:
     * one given back too early would carry the next message's bytes in place of the one it held.
     */
    @Test
    void bulkMessagesWaitingForCreditArriveIntactThroughReusedBuffers() throws Exception {
        BulkChannel c = openBulk(pair());
        byte[] buffer = new byte[200 * 1024];
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 24; i++) { // 4.7 MiB: several windows' worth waits for credit
            RANDOM.nextBytes(buffer);
            sent.add(buffer.clone());
            c.guestSide().send(ByteBuffer.wrap(buffer));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), c.hostInbox().messages.poll(10, TimeUnit.SECONDS), "message " + i);
        }
    }

    /**
     * A receiver reuses its arrays: a record's plaintext is overwritten by the next record, a channel's
     * gathering buffer by its next message. Messages that arrive before a handler is attached are kept
     * until then, so they must be kept as copies, whole and in order, whatever arrived after them.
     */
    @Test
    void messagesKeptForALateHandlerStayIntactWhileLaterRecordsArrive() throws Exception {
        Pair p = pair();
        Ends ends = open(p, "files", Priority.BULK);
        SessionChannel guestSide = ends.guestSide();
        SessionChannel hostSide = ends.hostSide();
        int[] sizes = {10, Connection.FRAGMENT * 3 + 7, 100, Connection.FRAGMENT + 1, Connection.FRAGMENT, 5000};
        List<byte[]> sent = new ArrayList<>();
        for (int size : sizes) {
            byte[] m = new byte[size];
            RANDOM.nextBytes(m);
            sent.add(m);
            guestSide.send(ByteBuffer.wrap(m));
        }
        // Records are opened in order: once a later channel's message is in, all of the above arrived.
        SessionChannel marker = p.guest().open("files", Priority.BULK).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Inbox markerInbox = new Inbox();
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(markerInbox);
        marker.send(ByteBuffer.wrap(new byte[Connection.FRAGMENT * 2]));
        assertEquals(Connection.FRAGMENT * 2, markerInbox.messages.poll(10, TimeUnit.SECONDS).length);

        Inbox late = new Inbox();
        hostSide.attach(late);
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(sent.get(i), late.messages.poll(10, TimeUnit.SECONDS), "message " + i + " of " + sizes[i]
                    + " bytes, kept before the handler came");
        }
        // And after it came: gathered in the reused buffer, each handed over whole.
        for (int i = sizes.length - 1; i >= 0; i--) {
            guestSide.send(ByteBuffer.wrap(sent.get(i)));
        }
        for (int i = sizes.length - 1; i >= 0; i--) {
            assertArrayEquals(sent.get(i), late.messages.poll(10, TimeUnit.SECONDS), "message of " + sizes[i] + " bytes");
        }
    }

    @Test
    void urgentChannelsOvertakeBulkData() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        SessionChannel bulk = p.guest().open("files", Priority.BULK).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Inbox bulkInbox = new Inbox();
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(bulkInbox);
        SessionChannel input = p.guest().open("input", Priority.INPUT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Inbox inputInbox = new Inbox();
        p.h().accepted.poll(5, TimeUnit.SECONDS).attach(inputInbox);

        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> bulkDone = new CompletableFuture<>();
        for (int i = 0; i < 6; i++) {
            bulk.send(ByteBuffer.allocate(Connection.MAX_CHANNEL_MESSAGE)).thenRun(() -> order.add("bulk"));
        }
        bulk.send(ByteBuffer.allocate(1)).thenRun(() -> bulkDone.complete(null));
        input.send(ByteBuffer.wrap(new byte[] {42})).thenRun(() -> order.add("input"));
        assertArrayEquals(new byte[] {42}, inputInbox.messages.poll(5, TimeUnit.SECONDS));
        bulkDone.get(20, TimeUnit.SECONDS);
        assertTrue(order.indexOf("input") < 3, "the keystroke went out ahead of most bulk data: " + order);
    }

    /**
     * The race behind "protocol error: data for channel 9, which is not open": the Host ends a channel
     * (a Files session on a Host that shares nothing) while the Guest's first request is on the way.
     * The Guest's message is held on the wire until the Host has closed the channel, so the crossing
     * happens every time.
     */
    @Test
    void dataCrossingTheHostsCloseLeavesTheConnectionOpen() throws Exception {
        Pair p = pair();
        BulkChannel c = openBulk(p);
        SessionChannel guestSide = c.guestSide();
        SessionChannel hostSide = c.hostSide();
        Inbox hostInbox = c.hostInbox();
        Inbox guestInbox = new Inbox();
        guestSide.attach(guestInbox);

        p.guestLink().hold();
        guestSide.send(ByteBuffer.wrap(new byte[Connection.FRAGMENT + 10])); // two fragments on the way
        hostSide.close("nothing is shared");
        assertEquals("nothing is shared", guestInbox.closed.get(5, TimeUnit.SECONDS));
        assertEquals(2, p.guestLink().heldCount());
        p.guestLink().release();

        assertConnectionStillCarries(p);
        assertEquals(0, hostInbox.messages.size(), "the late message is dropped");
    }

    /** The other way round: the Guest closes a screen view while the Host's pictures are on the way. */
    @Test
    void dataCrossingTheGuestsCloseLeavesTheConnectionOpen() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        SessionChannel guestSide = p.guest().open("remote-control", Priority.SCREEN).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        SessionChannel hostSide = p.h().accepted.poll(5, TimeUnit.SECONDS);
        Inbox hostInbox = new Inbox();
        hostSide.attach(hostInbox);

        p.hostLink().hold();
        hostSide.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        guestSide.close("the browser closed the view");
        assertEquals("the browser closed the view", hostInbox.closed.get(5, TimeUnit.SECONDS));
        // The Host's own grant and close answer for the ended channel may cross as well.
        hostSide.close("again");
        p.hostLink().release();

        assertConnectionStillCarries(p);
    }

    /** A peer that sends data for a channel this side refused is ignored, not punished with the connection. */
    @Test
    void dataForARefusedChannelIsDropped() throws Exception {
        Pair p = pair();
        p.h().acceptSessions = false;
        p.g().secured.get(5, TimeUnit.SECONDS);
        assertThrows(ExecutionException.class,
                () -> p.guest().open("files", Priority.BULK).toCompletableFuture().get(5, TimeUnit.SECONDS));
        p.guest().sendData(1, ByteBuffer.wrap(new byte[] {7}), true); // the Guest's first channel id
        assertConnectionStillCarries(p);
    }

    /**
     * Data for a channel id that was never opened is still a protocol error, and what is kept about
     * ended channels is bounded: a channel that ended more than {@link Connection#MAX_CHANNELS} channels
     * ago is forgotten.
     */
    @Test
    void dataForAChannelNeverOpenedEndsTheConnectionAndEndedChannelsAreForgottenInTime() throws Exception {
        Pair p = pair();
        p.g().secured.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < Connection.MAX_CHANNELS + 2; i++) {
            p.guest().open("chat", Priority.CONTROL).toCompletableFuture().get(5, TimeUnit.SECONDS).close("done");
            p.h().accepted.poll(5, TimeUnit.SECONDS);
        }
        assertConnectionStillCarries(p);
        assertTrue(p.host().endedChannelsKept() <= Connection.MAX_CHANNELS, "bounded: " + p.host().endedChannelsKept());
        p.guest().sendData(1, ByteBuffer.wrap(new byte[] {7}), true); // ended long ago: forgotten
        assertEquals("protocol error: data for channel 1, which is not open", p.h().closed.get(5, TimeUnit.SECONDS));

        Pair q = pair();
        q.g().secured.get(5, TimeUnit.SECONDS);
        q.guest().sendData(99, ByteBuffer.wrap(new byte[] {7}), true);
        assertEquals("protocol error: data for channel 99, which is not open", q.h().closed.get(5, TimeUnit.SECONDS));
    }

    /** Both sides are open and a control message still crosses each way. */
    private static void assertConnectionStillCarries(Pair p) throws Exception {
        p.guest().send(ControlMessage.of("still.there"));
        ControlMessage m = p.h().control.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null && m.type().equals("still.there"),
                "the Host got " + m + "; closed: " + p.h().closed.getNow("(open)"));
        p.host().send(ControlMessage.of("still.here"));
        m = p.g().control.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null && m.type().equals("still.here"),
                "the Guest got " + m + "; closed: " + p.g().closed.getNow("(open)"));
        assertTrue(p.guest().isOpen() && p.host().isOpen());
    }

    @Test
    void aRefusedSessionTellsTheGuestWhy() throws Exception {
        Pair p = pair();
        p.h().acceptSessions = false;
        p.g().secured.get(5, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> p.guest().open("chat", Priority.CONTROL).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(SessionDenied.class, e.getCause());
        assertEquals("View only Guests may not use chat", e.getCause().getMessage());
        assertTrue(p.guest().isOpen(), "a refused session leaves the connection open");
    }

    @Test
    void bothSidesRekeyInStep() throws Exception {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        RecordCipher out = new RecordCipher(key, true, 10, 1 << 20);
        RecordCipher in = new RecordCipher(key, false, 10, 1 << 20);
        RecordCipher stale = new RecordCipher(key, false, Long.MAX_VALUE, Long.MAX_VALUE);
        for (int i = 0; i < 25; i++) {
            byte[] sealed = out.seal(("record " + i).getBytes(StandardCharsets.UTF_8));
            assertEquals("record " + i, StandardCharsets.UTF_8.decode(in.open(ByteBuffer.wrap(sealed))).toString());
            if (i < 10) {
                stale.open(ByteBuffer.wrap(sealed));
            } else if (i == 10) {
                assertThrows(ProtocolException.class, () -> stale.open(ByteBuffer.wrap(sealed)));
            }
        }
        assertEquals(2, out.rekeys());
        assertEquals(2, in.rekeys());
    }
}
