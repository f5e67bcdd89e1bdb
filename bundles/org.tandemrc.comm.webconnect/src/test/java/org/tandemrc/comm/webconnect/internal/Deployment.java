package org.tandemrc.comm.webconnect.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.relay.internal.RelayServer;
import org.tandemrc.webconnect.store.Store;

/**
 * A real WebConnect deployment in this JVM on loopback: managers and relays on one database (embedded
 * H2 in memory, or a URL given), each with its own JDBC connection as separate processes would have.
 */
final class Deployment implements AutoCloseable {

    /**
     * The suites open dozens of links at once from one address, each with its own logon to the manager:
     * more than the default logon limits let one address start at once (see docs/security/logon.md).
     */
    static final org.tandemrc.protocol.logon.LogonLimits LIMITS = new org.tandemrc.protocol.logon.LogonLimits(
            10_000, 1_000, 10_000, 1_000, 1_000, 10_000, java.time.Duration.ZERO, java.time.Duration.ofDays(1));

    static final String ACCOUNT = "acme";
    static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AtomicInteger NAMES = new AtomicInteger();

    final String url;
    final String user;
    final String password;
    final List<ManagerServer> managers = new ArrayList<>();
    final List<Store> stores = new ArrayList<>();
    final List<RelayServer> relays = new ArrayList<>();
    /** The servers' http device (the tunnel listeners), started when a server first wants it. */
    private org.tandemrc.comm.http.internal.HttpDevice httpDevice;

    /** An H2 in-memory database private to this deployment. */
    Deployment() {
        this("jdbc:h2:mem:webconnect" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "", "");
    }

    Deployment(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    Store store() throws Exception {
        Store s = new Store(url, user, password);
        stores.add(s);
        return s;
    }

    ManagerServer manager() throws Exception {
        return manager(null);
    }

    /** A manager serving TLS with {@code tls} (null: plaintext). */
    ManagerServer manager(org.tandemrc.webconnect.tls.Tls.ServerIdentity tls) throws Exception {
        ManagerServer m = new ManagerServer(new ManagerServer.Settings("", "127.0.0.1", 0, "", null, 60, 30, 50, LIMITS, ManagerServer.METHOD),
                store());
        m.tls(tls);
        m.start();
        managers.add(m);
        return m;
    }

    /** The servers' own http device. */
    synchronized org.tandemrc.comm.http.internal.HttpDevice httpDevice() {
        if (httpDevice == null) {
            httpDevice = new org.tandemrc.comm.http.internal.HttpDevice();
            httpDevice.activate();
        }
        return httpDevice;
    }

    private org.tandemrc.api.comm.CommunicationProfile tunnelProfile(String name) {
        return new org.tandemrc.api.comm.CommunicationProfile(name, "http", Map.of("bind", "127.0.0.1", "port", "0"));
    }

    /** A manager that also listens through the HTTP tunnel (an http device on 127.0.0.1, a free port). */
    ManagerServer httpManager(org.tandemrc.webconnect.tls.Tls.ServerIdentity tls) throws Exception {
        ManagerServer m = new ManagerServer(new ManagerServer.Settings("", "127.0.0.1", 0, "", null, 60, 30, 50, LIMITS, ManagerServer.METHOD),
                store());
        m.tls(tls);
        m.http(httpDevice(), tunnelProfile("manager-http"));
        m.start();
        managers.add(m);
        return m;
    }

    /** A relay that also listens through the HTTP tunnel and advertises both addresses. */
    RelayServer httpRelay(org.tandemrc.webconnect.tls.Tls.ServerIdentity tls) throws Exception {
        RelayServer r = new RelayServer(new RelayServer.Settings("", "127.0.0.1", 0, "", 0, 0, 120, 20), store());
        r.tls(tls);
        r.http(httpDevice(), tunnelProfile("relay-http"), "");
        r.start();
        relays.add(r);
        return r;
    }

    /** The tunnel address of a manager, {@code HOST:PORT}, for {@code fallback=http:...}. */
    static String tunnel(ManagerServer m) {
        return m.httpAddress().substring("http:".length());
    }

    RelayServer relay(long sessionBandwidth, long totalBandwidth) throws Exception {
        return relay(sessionBandwidth, totalBandwidth, null);
    }

    /** A relay serving TLS with {@code tls} (null: plaintext). */
    RelayServer relay(long sessionBandwidth, long totalBandwidth, org.tandemrc.webconnect.tls.Tls.ServerIdentity tls)
            throws Exception {
        RelayServer r = new RelayServer(new RelayServer.Settings("", "127.0.0.1", 0, "", sessionBandwidth,
                totalBandwidth, 120, 20), store());
        r.tls(tls);
        r.start();
        relays.add(r);
        return r;
    }

    RelayServer relay() throws Exception {
        return relay(0, 0);
    }

    /** An account with cheap Argon2id parameters, so tests log on quickly. */
    void account(String name, String pw, int maxConnections) throws Exception {
        managers.get(0).accounts().put(name, PasswordVerifier.create(name, pw.toCharArray(), new SecureRandom(), 1024, 1, 1),
                maxConnections);
    }

    static String hostName() {
        return "host-" + NAMES.incrementAndGet();
    }

    /** Profile settings for the Host or the Guest side through the given manager. */
    static Map<String, String> settings(ManagerServer via, String hostName) {
        Map<String, String> s = new HashMap<>();
        s.put("manager", via.address());
        s.put("account", ACCOUNT);
        s.put("password", PASSWORD);
        s.put("reconnect-timeout", "5");
        if (hostName != null) {
            s.put("host-name", hostName);
        }
        return s;
    }

    @Override
    public void close() {
        for (RelayServer r : relays) {
            r.stop(true);
        }
        for (ManagerServer m : managers) {
            m.stop();
        }
        for (Store s : stores) {
            s.close();
        }
        if (httpDevice != null) {
            try {
                httpDevice.deactivate();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
