package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.comm.gateway.internal.GatewayDevice;
import org.tandemrc.comm.tcp.internal.TcpDevice;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * A real Gateway in this process: its own tcp device listening on loopback for Guests and reaching
 * Hosts, a users file in a temporary folder, device groups as given, and the events it records.
 */
final class GatewayFixture implements AutoCloseable {

    static final SecureRandom RANDOM = new SecureRandom();
    final Path dir;
    final TcpDevice tcp = new TcpDevice();
    final Gateway gateway;
    final Endpoint endpoint;
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    /** The Authenticator services "present in the framework". */
    final List<Authenticator> authenticators = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> more = new ArrayList<>();

    /**
     * @param maxMessage the max-message of the Gateway's profiles
     */
    GatewayFixture(int maxMessage) throws IOException {
        dir = Files.createTempDirectory("tandem-gateway-test");
        tcp.activate();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        gateway = new Gateway(new GatewayUsers(dir.resolve("etc/gateway-users")), secret, () -> authenticators);
        gateway.audit.add(events::add);
        gateway.devices.add(tcp);
        gateway.profiles.put("out", new CommunicationProfile("out", "tcp",
                Map.of("max-message", Integer.toString(maxMessage), "connect-timeout", "5")));
        gateway.groups.put("lan", List.of("out"));
        endpoint = tcp.listen(new CommunicationProfile("guests", "tcp",
                Map.of("bind", "127.0.0.1", "port", "0", "max-message", Integer.toString(maxMessage))), gateway::accept);
    }

    GatewayFixture() throws IOException {
        this(1 << 20);
    }

    /** The Gateway's address as a gateway profile names it, e.g. {@code tcp:127.0.0.1:40001}. */
    String address() {
        return endpoint.address();
    }

    /** Adds a user with a light verifier (Argon2id 1 MiB, 1 pass) so that tests log on quickly. */
    void user(String name, String password, String groups, String targets) throws IOException {
        PasswordVerifier v = PasswordVerifier.create(name, password.toCharArray(), RANDOM, 1024, 1, 1);
        gateway.users.put(new GatewayUsers.User(name, GatewayUsers.parseGroups(groups),
                GatewayUsers.parseTargets(targets), v));
    }

    /** A gateway device (for the Guest) reaching Gateways with its own tcp device. */
    GatewayDevice guestDevice() {
        TcpDevice own = new TcpDevice();
        own.activate();
        GatewayDevice device = new GatewayDevice();
        device.bindDevice(own);
        device.activate();
        more.add(() -> {
            device.deactivate();
            own.deactivate();
        });
        return device;
    }

    /** A profile of the gateway device that goes through this Gateway. */
    CommunicationProfile guestProfile(String group, String user, String password) {
        Map<String, String> s = new HashMap<>();
        s.put("gateway", address());
        s.put("group", group);
        s.put("user", user);
        s.put("password", password);
        s.put("connect-timeout", "20");
        return new CommunicationProfile("through", "gateway", s);
    }

    /** The codes of the events recorded so far. */
    List<String> codes() {
        return events.stream().map(AuditEvent::code).toList();
    }

    CommunicationDevice tcp() {
        return tcp;
    }

    @Override
    public void close() throws Exception {
        endpoint.close();
        gateway.stop("test over");
        for (AutoCloseable c : more) {
            c.close();
        }
        tcp.deactivate();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
