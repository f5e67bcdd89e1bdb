package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.MemoryLink;
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
        access.startLogon();
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
        access.work.close();
    }
}
