package org.tandemrc.webconnect.manager.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.tandemrc.api.event.EventSink;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.role.RolePublisher;
import org.tandemrc.support.role.RoleStatus;
import org.tandemrc.webconnect.tunnel.TunnelDevice;
import org.tandemrc.webconnect.store.Config;
import org.tandemrc.webconnect.store.Store;

/**
 * The Connection Manager role, configured by {@code etc/org.tandemrc.webconnect.manager.cfg}:
 * {@code listen} (ADDRESS:PORT, default the framework property {@code tandem.webconnect.manager.listen},
 * else 127.0.0.1:6590), {@code advertise}, {@code id}, {@code database.url} / {@code database.user} /
 * {@code database.password} (default the node's embedded H2 file {@code data/webconnect}),
 * {@code token-validity} (seconds, default 60), {@code idle-timeout} (seconds without a whole frame on a
 * control connection, default 90), the logon limits {@code logon.*} (as the Host's, see
 * {@link LogonLimits#from}), {@code poll} (milliseconds between looks for offers other managers left for
 * this one's Hosts, default 100). The signing key is kept in {@code data/webconnect-manager.key}. Adds
 * {@code tandem admin webconnect ...} and publishes the role {@code webconnect-manager}.
 * TLS: {@code tls=true} serves TLS 1.3 with {@code tls.certificate}/{@code tls.key} (PEM) or, when
 * those are not set, a self-signed certificate generated once into {@code data/webconnect-tls.crt}
 * (its SHA-256 fingerprint is logged); the advertised address then starts with {@code tls:}.
 * HTTP tunnel: {@code http.listen} (ADDRESS:PORT, default the framework property
 * {@code tandem.webconnect.manager.http.listen}, else none) also accepts clients through the {@code http}
 * communication device (optional: when it is not installed the role reports the problem), TLS inside when
 * {@code tls} is on.
 */
@Component(configurationPid = ManagerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = ManagerConfig.class)
public class ManagerComponent {

    static final String PID = "org.tandemrc.webconnect.manager";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    static final String ROLE = "webconnect-manager";
    private static final Logger LOG = Logger.getLogger(ManagerComponent.class.getName());

    private volatile ManagerServer manager;
    private Store store;
    private ServiceRegistration<Command> command;
    private final RolePublisher role = new RolePublisher(ROLE);

    private BundleContext context;
    private Map<String, Object> config;
    /** The {@code http} device for {@code http.listen}; restarts this manager only when its tunnel needs it. */
    private final TunnelDevice tunnel = new TunnelDevice("manager", "etc/org.tandemrc.webconnect.manager.cfg", () -> {
        stop();
        start();
    });

    /** Where logon events go besides the node log. */
    private final List<EventSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(EventSink sink) {
        sinks.add(sink);
        ManagerServer m = manager;
        if (m != null) {
            m.audit.add(sink);
        }
    }

    void unbindSink(EventSink sink) {
        sinks.remove(sink);
        ManagerServer m = manager;
        if (m != null) {
            m.audit.remove(sink);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + CommunicationDevice.TYPE_PROPERTY + "=http)")
    synchronized void setHttp(CommunicationDevice device) {
        tunnel.bind(device);
    }

    synchronized void unsetHttp(CommunicationDevice device) {
        tunnel.unbind(device);
    }

    /** {@code http.listen}, else the framework property, else empty (no tunnel). */
    private String httpListen(ManagerConfig c) {
        String fallback = context.getProperty("tandem.webconnect.manager.http.listen");
        return !c.http_listen().isEmpty() ? c.http_listen() : fallback == null ? "" : fallback;
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
        ManagerConfig c = null;
        try {
            c = TypedConfig.of(ManagerConfig.class, PID, config);
            waiting = tunnel.starting(httpListen(c));
        } catch (IllegalArgumentException e) {
            LOG.warning("the WebConnect Connection Manager cannot start: " + e.getMessage());
            problem = "Connection Manager: " + e.getMessage();
        }
        if (c != null && waiting == null) {
            try {
                String home = context.getProperty("tandem.home");
                String fallback = context.getProperty("tandem.webconnect.manager.listen");
                String[] listen = Config.hostPort(!c.listen().isEmpty() ? c.listen()
                        : fallback == null ? "127.0.0.1:6590" : fallback, 6590);
                store = new Store(c.database_url().isEmpty() ? Config.defaultDatabase(home) : c.database_url(),
                        c.database_user(), c.database_password());
                manager = new ManagerServer(new ManagerServer.Settings(c.id(), listen[0],
                        Integer.parseInt(listen[1]), c.advertise(),
                        Path.of(home == null ? "." : home, "data", "webconnect-manager.key"),
                        CHECK.range("token.validity", c.token_validity(), 1, 86_400),
                        CHECK.range("idle.timeout", c.idle_timeout(), 1, 7 * 86_400),
                        CHECK.range("poll", c.poll(), 1, 60_000),
                        LogonLimits.from(k -> config == null ? null : config.get(k))), store);
                sinks.forEach(manager.audit::add);
                if (c.tls() || !c.tls_certificate().isEmpty()) {
                    String h = home;
                    String adv = c.advertise().replaceFirst("(?i)^(tls|tcp):", "");
                    var identity = org.tandemrc.webconnect.tls.Tls.server(c.tls_certificate(),
                            c.tls_key(), Path.of(h == null ? "." : h, "data"),
                            List.of(listen[0], adv.isEmpty() ? "" : Config.hostPort(adv, 0)[0]));
                    if (identity.generated()) {
                        LOG.warning("WebConnect manager: generated a self-signed TLS certificate " + identity.certificateFile()
                                + "; clients pin it with trust-fingerprint=" + identity.fingerprint());
                    }
                    manager.tls(identity);
                }
                String httpListen = httpListen(c);
                if (!httpListen.isEmpty()) {
                    manager.http(tunnel.require(), TunnelDevice.profile("webconnect-manager-http",
                            Config.hostPort(httpListen, 1970)));
                }
                manager.start();
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(Command.NAME_PROPERTY, "admin:webconnect");
                command = context.registerService(Command.class, new AdminCommand(manager), props);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "the WebConnect Connection Manager cannot start", e);
                problem = "Connection Manager: " + e.getMessage();
                if (store != null) {
                    store.close();
                    store = null;
                }
                manager = null;
            }
        }
        List<String> listening = manager == null ? List.of() : manager.httpAddress() == null
                ? List.of("webconnect-manager:" + manager.address())
                : List.of("webconnect-manager:" + manager.address(), "webconnect-manager:" + manager.httpAddress());
        role.publish(context, new RoleStatus(listening, problem == null ? List.of() : List.of(problem),
                waiting == null ? List.of() : List.of(waiting),
                manager == null ? List.<String>of()
                : List.of("manager    " + manager.id(), "database   " + store.url().replaceAll("password=[^;&]*", "password=***")), List.of()));
    }

    private void stop() {
        role.withdraw();
        if (command != null) {
            command.unregister();
            command = null;
        }
        if (manager != null) {
            manager.stop();
            manager = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
