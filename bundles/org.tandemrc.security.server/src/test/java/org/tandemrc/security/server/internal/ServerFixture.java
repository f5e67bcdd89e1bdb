package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ControlRecorder;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.NodeKind;
import org.tandemrc.protocol.srp.PasswordVerifier;

/** A Security Server on its own database, and nodes played by real connections over in-memory links. */
final class ServerFixture implements AutoCloseable {

    static final SecureRandom RANDOM = new SecureRandom();

    final SecurityServer server;
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    final List<Authenticator> authenticators = new CopyOnWriteArrayList<>();
    volatile AuditTrail trail;
    final Path home;

    ServerFixture() throws Exception {
        this("jdbc:h2:mem:ss-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", Map.of());
    }

    ServerFixture(String url, Map<String, String> config) throws Exception {
        home = Files.createTempDirectory("tandem-ss");
        Map<String, Object> c = new HashMap<>(config);
        c.put("database.url", url);
        c.putIfAbsent("name", "central");
        c.put("logon.answer.millis", "0");
        SecuritySettings s = SecuritySettings.parse(c, home);
        server = new SecurityServer(HostIdentity.generate(RANDOM), new SecurityStore(url, s.databaseUser(), s.databasePassword()), s,
                "decoy secret of sixteen bytes or more".getBytes(), () -> authenticators, () -> Optional.ofNullable(trail),
                Clock.systemUTC());
        server.audit.add(events::add);
    }

    /** A node that connects and says hello with its key; the reply is in its recorder. */
    Node connect(HostIdentity key, String name) throws Exception {
        return connect(key, name, NodeKind.HOST, false);
    }

    Node connect(HostIdentity key, String name, NodeKind kind, boolean wrongSignature) throws Exception {
        ControlRecorder r = new ControlRecorder();
        Connection c = Connection.guest(name, "", r, null, RANDOM);
        MemoryLink[] links = MemoryLink.pair("security:6510", "node:1");
        links[1].start(server.accept(links[1]));
        links[0].start(c);
        r.secured.get(10, TimeUnit.SECONDS);
        byte[] signed = SecurityServerWire.helloSigned(wrongSignature ? new byte[32] : c.binding());
        c.send(new SecurityServerWire.Hello(name, kind, key.publicKey(), key.sign(signed)).message());
        return new Node(c, r, key);
    }

    /** An approved node that was welcomed. */
    Node approved(String name, String... groups) throws Exception {
        HostIdentity key = HostIdentity.generate(RANDOM);
        server.store.seen(key.fingerprint(), name, "host", 0);
        server.store.approve(key.fingerprint(), name, Set.of(groups));
        Node n = connect(key, name);
        assertEquals(SecurityServerWire.WELCOME, n.next().type());
        return n;
    }

    void guest(String id, String password, String... groups) throws Exception {
        PasswordVerifier v = PasswordVerifier.create(id, password.toCharArray(), RANDOM, 1024, 1, 1);
        server.store.putGuest(id, v.encode(), Set.of(groups), 0);
    }

    List<AuditEvent> events(String code) {
        return events.stream().filter(e -> e.code().equals(code)).toList();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Node(Connection connection, ControlRecorder recorder, HostIdentity key) {
        ControlMessage next() throws InterruptedException {
            ControlMessage m = recorder.control.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no message from the Security Server within 10 s");
            return m;
        }

        /** The next message, or null when none comes within {@code millis}. */
        ControlMessage poll(long millis) throws InterruptedException {
            return recorder.control.poll(millis, TimeUnit.MILLISECONDS);
        }

        void send(ControlMessage m) {
            connection.send(m);
        }
    }
}
