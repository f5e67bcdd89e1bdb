package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * A Host's Guest Access without OSGi, reached over in-memory links by Guests written with the protocol
 * jar: what a hostile Guest can send, and the events the Host records of it.
 */
final class HostHarness implements AutoCloseable {

    static final String GUEST_ADDRESS = "192.0.2.66:40122";
    static final SecureRandom RANDOM = new SecureRandom();

    final GuestAccess access = new GuestAccess();
    final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
    final char[] password = "correct horse battery".toCharArray();

    HostHarness(Path dir, SessionType... types) throws IOException {
        access.identity = HostIdentity.generate(RANDOM);
        access.decoySecret = new byte[32];
        access.store = new PasswordStore(dir.resolve("guest-passwords"));
        access.hostName = "desk-1";
        access.audit.node("desk-1");
        access.scheduler = Executors.newSingleThreadScheduledExecutor();
        access.work = Executors.newFixedThreadPool(2);
        access.audit.add(events::add);
        for (SessionType t : types) {
            access.sessionTypes.put(t.id(), t);
        }
        Path pw = dir.resolve("pw");
        Files.writeString(pw, new String(password) + "\n", StandardCharsets.UTF_8);
        access.setPassword(PasswordStore.SHARED, access.policy.sharedRole(), pw);
        events.clear();
    }

    /** What a Guest's connection hears. */
    static final class GuestEnd implements Connection.Listener {
        final CompletableFuture<Void> secured = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();
        Connection connection;
        MemoryLink link;

        @Override
        public void secured(Connection c) {
            secured.complete(null);
        }

        @Override
        public void control(Connection c, ControlMessage m) {
            control.add(m);
        }

        @Override
        public void closed(Connection c, String reason) {
            closed.complete(reason);
        }

        ControlMessage next() throws InterruptedException {
            ControlMessage m = control.poll(20, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no answer from the Host; closed: " + closed.getNow("(open)"));
            }
            return m;
        }
    }

    /** A Guest named {@code name} connects; returns once the key exchange is done. */
    GuestEnd connect(String name) throws Exception {
        GuestEnd g = new GuestEnd();
        g.connection = Connection.guest(name, "", g, null, RANDOM);
        MemoryLink[] links = MemoryLink.pair("192.0.2.1:6502", GUEST_ADDRESS);
        g.link = links[0];
        links[0].start(g.connection);
        links[1].start(access.accept(links[1]));
        g.secured.get(10, TimeUnit.SECONDS);
        return g;
    }

    /** Logs on with the shared password; returns the Host's answer (auth.ok or auth.failed). */
    ControlMessage logOn(GuestEnd g, char[] pw) throws Exception {
        g.connection.send(ControlMessage.of("auth.start").with("method", "shared-password"));
        ControlMessage ch = g.next();
        Challenge challenge = new Challenge(ch.integer("m", 1, Integer.MAX_VALUE), ch.integer("t", 1, Integer.MAX_VALUE),
                ch.integer("p", 1, Integer.MAX_VALUE), ch.bytes("salt"), ch.bigInteger("B", 384));
        ClientResponse r = new SrpClient("*", pw.clone(), RANDOM).respond(challenge, g.connection.binding());
        g.connection.send(ControlMessage.of("auth.proof").with("A", r.clientPublic()).with("proof", r.proof()));
        return g.next();
    }

    /** Waits until an event with this code was recorded, and returns it. */
    AuditEvent await(String code) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            synchronized (events) {
                for (AuditEvent e : events) {
                    if (e.code().equals(code)) {
                        return e;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + code + " event; recorded: " + events);
    }

    @Override
    public void close() {
        access.scheduler.shutdownNow();
        access.work.shutdownNow();
    }

    /** Two in-memory link ends, each delivering on its own thread like a real device. */
    static final class MemoryLink implements Link {
        private final String local;
        private final String remote;
        private final ExecutorService delivery = Executors.newSingleThreadExecutor();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private MemoryLink peer;
        private LinkHandler handler;
        /** Changes what this end sends, message by message. */
        volatile UnaryOperator<byte[]> alter = UnaryOperator.identity();

        private MemoryLink(String local, String remote) {
            this.local = local;
            this.remote = remote;
        }

        static MemoryLink[] pair(String hostAddress, String guestAddress) {
            MemoryLink g = new MemoryLink(guestAddress, hostAddress);
            MemoryLink h = new MemoryLink(hostAddress, guestAddress);
            g.peer = h;
            h.peer = g;
            return new MemoryLink[] {g, h};
        }

        void start(LinkHandler h) {
            handler = h;
            delivery.execute(() -> h.opened(this));
        }

        @Override
        public int maxMessageSize() {
            return 1 << 20;
        }

        @Override
        public CompletionStage<Void> send(ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            byte[] out = alter.apply(b);
            if (open.get()) {
                peer.delivery.execute(() -> {
                    if (peer.open.get()) {
                        peer.handler.received(peer, ByteBuffer.wrap(out));
                    }
                });
            }
            return CompletableFuture.completedFuture(null);
        }

        /** Sends bytes as they are, outside any protocol. */
        void sendRaw(byte[] b) {
            send(ByteBuffer.wrap(b));
        }

        @Override
        public boolean congested() {
            return false;
        }

        @Override
        public void close(String reason) {
            if (open.compareAndSet(true, false)) {
                delivery.execute(() -> handler.closed(this, reason));
                peer.delivery.execute(() -> {
                    if (peer.open.compareAndSet(true, false)) {
                        peer.handler.closed(peer, "the peer closed the connection");
                    }
                });
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public String localAddress() {
            return local;
        }

        @Override
        public String remoteAddress() {
            return remote;
        }
    }
}
