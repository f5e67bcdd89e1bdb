package org.tandemrc.webconnect.relay.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.role.RolePublisher;
import org.tandemrc.support.role.RoleStatus;
import org.tandemrc.webconnect.tunnel.TunnelDevice;
import org.tandemrc.webconnect.store.Config;
import org.tandemrc.webconnect.store.Store;

/**
 * The relay role, configured by {@code etc/org.tandemrc.webconnect.relay.cfg}: {@code listen}
 * (ADDRESS:PORT, default the framework property {@code tandem.webconnect.relay.listen}, else
 * 127.0.0.1:6591), {@code advertise} (the address clients dial, default the bound one), {@code id},
 * {@code database.url} / {@code database.user} / {@code database.password} (default the node's embedded
 * H2 file {@code data/webconnect}), {@code session-bandwidth} and {@code total-bandwidth} (bytes per
 * second, suffix K or M allowed, 0 = no cap), {@code idle-timeout} (seconds, default 300),
 * {@code pairing-timeout} (seconds, default 20). Publishes the role {@code webconnect-relay}.
 * TLS: {@code tls=true} serves TLS 1.3 with {@code tls.certificate}/{@code tls.key} (PEM) or, when
 * those are not set, a self-signed certificate generated once into {@code data/webconnect-tls.crt}
 * (its SHA-256 fingerprint is logged); the advertised address then starts with {@code tls:}.
 * HTTP tunnel: {@code http.listen} (ADDRESS:PORT, default the framework property
 * {@code tandem.webconnect.relay.http.listen}, else none) also accepts dial-ins through the {@code http}
 * communication device (optional: when it is not installed the role reports the problem);
 * {@code http.advertise} (HOST:PORT[/PATH], default the bound address) is added to the advertised address
 * ({@code [tls:]HOST:PORT http:HOST:PORT}).
 */
@Component(configurationPid = RelayComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = RelayConfig.class)
public class RelayComponent {

    static final String PID = "org.tandemrc.webconnect.relay";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    static final String ROLE = "webconnect-relay";
    private static final Logger LOG = Logger.getLogger(RelayComponent.class.getName());

    private RelayServer relay;
    private Store store;
    private final RolePublisher role = new RolePublisher(ROLE);

    private BundleContext context;
    private Map<String, Object> config;
    /** The {@code http} device for {@code http.listen}; restarts this relay only when its tunnel needs it. */
    private final TunnelDevice tunnel = new TunnelDevice("relay", "etc/org.tandemrc.webconnect.relay.cfg", () -> {
        stop();
        start();
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + CommunicationDevice.TYPE_PROPERTY + "=http)")
    synchronized void setHttp(CommunicationDevice device) {
        tunnel.bind(device);
    }

    synchronized void unsetHttp(CommunicationDevice device) {
        tunnel.unbind(device);
    }

    /** {@code http.listen}, else the framework property, else empty (no tunnel). */
    private String httpListen(RelayConfig c) {
        String fallback = context.getProperty("tandem.webconnect.relay.http.listen");
        return !c.http_listen().isEmpty() ? c.http_listen() : fallback == null ? "" : fallback;
    }

    /** Bytes per second: a number, optionally with K or M (1024-based); 0 = no cap. */
    static long bandwidth(String key, String text) {
        String v = text.toUpperCase(Locale.ROOT);
        long unit = v.endsWith("K") ? 1024 : v.endsWith("M") ? 1024 * 1024 : 1;
        String digits = (unit == 1 ? v : v.substring(0, v.length() - 1)).trim();
        try {
            return CHECK.range(key, Long.parseLong(digits), 0, Long.MAX_VALUE / unit) * unit;
        } catch (NumberFormatException e) {
            throw CHECK.invalid(key, text, "is not a bandwidth (bytes per second, K or M suffix)");
        }
    }

    @Activate
    public synchronized void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        this.config = config;
        start();
    }

    @Deactivate
    public synchronized void deactivate() {
        tunnel.stopped();
        stop();
    }

    private void start() {
        String problem = null;
        String waiting = null;
        RelayConfig c = null;
        try {
            c = TypedConfig.of(RelayConfig.class, PID, config);
            waiting = tunnel.starting(httpListen(c));
        } catch (IllegalArgumentException e) {
            LOG.warning("the WebConnect relay cannot start: " + e.getMessage());
            problem = "relay: " + e.getMessage();
        }
        if (c != null && waiting == null) {
            try {
                String fallback = context.getProperty("tandem.webconnect.relay.listen");
                String[] listen = Config.hostPort(!c.listen().isEmpty() ? c.listen()
                        : fallback == null ? "127.0.0.1:6591" : fallback, 6591);
                store = new Store(c.database_url().isEmpty() ? Config.defaultDatabase(context.getProperty("tandem.home"))
                        : c.database_url(), c.database_user(), c.database_password());
                relay = new RelayServer(new RelayServer.Settings(c.id(), listen[0], Integer.parseInt(listen[1]),
                        c.advertise(), bandwidth("session.bandwidth", c.session_bandwidth()),
                        bandwidth("total.bandwidth", c.total_bandwidth()),
                        CHECK.range("idle.timeout", c.idle_timeout(), 1, 7 * 86_400),
                        CHECK.range("pairing.timeout", c.pairing_timeout(), 1, 3600)), store);
                if (c.tls() || !c.tls_certificate().isEmpty()) {
                    String h = context.getProperty("tandem.home");
                    String adv = c.advertise().replaceFirst("(?i)^(tls|tcp):", "");
                    var identity = org.tandemrc.webconnect.tls.Tls.server(c.tls_certificate(),
                            c.tls_key(), Path.of(h == null ? "." : h, "data"),
                            List.of(listen[0], adv.isEmpty() ? "" : Config.hostPort(adv, 0)[0]));
                    if (identity.generated()) {
                        LOG.warning("WebConnect relay: generated a self-signed TLS certificate " + identity.certificateFile()
                                + "; clients pin it with trust-fingerprint=" + identity.fingerprint());
                    }
                    relay.tls(identity);
                }
                String httpListen = httpListen(c);
                if (!httpListen.isEmpty()) {
                    relay.http(tunnel.require(), TunnelDevice.profile("webconnect-relay-http",
                            Config.hostPort(httpListen, 1970)), c.http_advertise());
                }
                relay.start();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "the WebConnect relay cannot start", e);
                problem = "relay: " + e.getMessage();
                if (store != null) {
                    store.close();
                    store = null;
                }
                relay = null;
            }
        }
        List<String> listening = relay == null ? List.of() : List.of("webconnect-relay:" + relay.address());
        role.publish(context, new RoleStatus(listening, problem == null ? List.of() : List.of(problem),
                waiting == null ? List.of() : List.of(waiting),
                relay == null ? List.<String>of() : List.of("relay      " + relay.status()), List.of()));
    }

    private void stop() {
        role.withdraw();
        if (relay != null) {
            relay.stop(true);
            relay = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
