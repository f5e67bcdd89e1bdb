package org.tandemrc.host.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * A Host's Guest Access on the real tcp device, listening on 127.0.0.1, with a shared password whose
 * Argon2id pre-hash is cheap (so that the attacking test spends its CPU on the Host, not on hashing),
 * and the events it records.
 */
final class TestHost implements AutoCloseable {

    static final String PASSWORD = "the right password";
    final GuestAccess access = new GuestAccess();
    final List<AuditEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
    final TcpDevice tcp = new TcpDevice();
    final Endpoint endpoint;
    final int port;

    TestHost(Path dir, Map<String, Object> settings) throws Exception {
        this(dir, settings, java.time.Clock.systemUTC());
    }

    /** @param clock the time the Host's logon limits run by */
    TestHost(Path dir, Map<String, Object> settings, java.time.Clock clock) throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        access.clock = clock;
        access.bindSink(events::add);
        access.start(dir, new HashMap<>(settings));
        access.store.put(new PasswordStore.Entry(PasswordStore.SHARED, "Full access",
                PasswordVerifier.create(PasswordStore.SHARED, PASSWORD.toCharArray(), access.random, 1024, 1, 1)));
        tcp.activate();
        endpoint = tcp.listen(new CommunicationProfile("t", "tcp", Map.of("bind", "127.0.0.1", "port", "0")),
                access::accept);
        String a = endpoint.address();
        port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    long count(String code) {
        synchronized (events) {
            return events.stream().filter(e -> e.code().equals(code)).count();
        }
    }

    long count(String code, String address) {
        synchronized (events) {
            return events.stream().filter(e -> e.code().equals(code) && e.peer().contains(address)).count();
        }
    }

    @Override
    public void close() throws Exception {
        endpoint.close();
        access.deactivate();
        tcp.deactivate();
    }
}
