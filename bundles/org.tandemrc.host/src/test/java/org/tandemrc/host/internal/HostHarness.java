package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ControlRecorder;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * A Host's Guest Access without OSGi, reached over in-memory links by Guests written with the protocol
 * jar: what a hostile Guest can send, and the events the Host records of it.
 */
final class HostHarness implements AutoCloseable {

    static final String GUEST_ADDRESS = "192.0.2.66:40122";
    static final SecureRandom RANDOM = new SecureRandom();

    final GuestAccess access = new GuestAccess();
    final EventLog events = new EventLog();
    final char[] password = "correct horse battery".toCharArray();

    HostHarness(Path dir, SessionType... types) throws IOException {
        access.identity = HostIdentity.generate(RANDOM);
        access.decoySecret = new byte[32];
        access.store = new PasswordStore(dir.resolve("guest-passwords"));
        access.invitations = new Invitations(dir.resolve("invitations"), access.audit, RANDOM, access.clock);
        access.hostName = "desk-1";
        access.audit.node("desk-1");
        access.scheduler = Executors.newSingleThreadScheduledExecutor();
        access.startLogon();
        access.audit.add(events);
        for (SessionType t : types) {
            access.sessionTypes.put(t.id(), t);
        }
        Path pw = dir.resolve("pw");
        Files.writeString(pw, new String(password) + "\n", StandardCharsets.UTF_8);
        access.setPassword(PasswordStore.SHARED, access.policy.sharedRole(), pw);
        events.clear();
    }

    /** What a Guest's connection hears. */
    static final class GuestEnd extends ControlRecorder {
        Connection connection;
        MemoryLink link;
        /** Sessions the Host opened and this Guest took; without it, it refuses them as a Guest does by default. */
        volatile java.util.concurrent.BlockingQueue<org.tandemrc.protocol.SessionChannel> takes;

        @Override
        public void openRequested(Connection c, Connection.OpenRequest request) {
            if (takes == null) {
                super.openRequested(c, request);
            } else {
                takes.add(request.accept());
            }
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
        g.connection.send(LogonMessages.start(null));
        Challenge challenge = LogonMessages.challenge(g.next());
        g.connection.send(LogonMessages.proof(new SrpClient("*", pw.clone(), RANDOM).respond(challenge, g.connection.binding())));
        return g.next();
    }

    /** Waits until an event with this code was recorded, and returns it. */
    AuditEvent await(String code) throws InterruptedException {
        return events.await(code);
    }

    @Override
    public void close() {
        access.scheduler.shutdownNow();
        access.work.close();
    }
}
