package org.tandemrc.webconnect.store;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.role.RolePublisher;
import org.tandemrc.support.role.RoleStatus;
import org.tandemrc.webconnect.tls.Tls;
import org.tandemrc.webconnect.tunnel.TunnelDevice;

/**
 * What the Connection Manager and the relay do alike around their own server, so that both start, fail
 * and report the same way: the role's settings read once, the listen address with its framework-property
 * fallback ({@code tandem.webconnect.NAME.listen}, {@code tandem.webconnect.NAME.http.listen}), the
 * database, the TLS identity (a generated one is logged with its fingerprint), the optional HTTP tunnel
 * (the role waits for the {@code http} device and restarts when it comes), and the role status published
 * whatever happens. The role's component extends this class and inherits its activation, deactivation
 * and {@code http} device reference (its bundle sets {@code -dsannotations-options: inherit}).
 *
 * @param <C> the role's own component property type; the settings both roles share are {@link ServerConfig}
 */
public abstract class ServerRole<C> {

    /**
     * What the role's server needs that both roles prepare alike.
     *
     * @param host         the address to bind
     * @param port         the port to bind
     * @param advertise    the {@code advertise} setting as written
     * @param home         the node's folder ({@code tandem.home}, else ".")
     * @param store        the open database; the role closes it
     * @param tls          the TLS identity, or {@code null} when TLS is off
     * @param http         the {@code http} device, or {@code null} when there is no tunnel
     * @param httpProfile  where the tunnel listens, when {@code http} is set
     * @param config       the raw properties, for settings read by other readers (logon limits)
     */
    public record Setup(String host, int port, String advertise, String home, Store store, Tls.ServerIdentity tls,
            CommunicationDevice http, CommunicationProfile httpProfile, Map<String, Object> config) {
    }

    /** A running server, as the role status shows it. */
    public interface Running {
        /** The addresses it accepts on, each as the role status lists it. */
        List<String> listening();

        /** The lines {@code tandem status} shows. */
        List<String> details();

        void stop();
    }

    private static final Logger LOG = System.getLogger("org.tandemrc.webconnect.store");

    private final String pid;
    private final Class<C> type;
    private final String title;
    private final String name;
    private final int defaultPort;
    private final RolePublisher role;
    private final TunnelDevice tunnel;

    private BundleContext context;
    private Map<String, Object> config;
    private Store store;
    private Running running;

    /**
     * @param pid         the configuration PID, {@code org.tandemrc.webconnect.NAME}
     * @param type        the role's component property type
     * @param roleName    the published role, e.g. {@code webconnect-relay}
     * @param title       how messages name the role, e.g. "Connection Manager"
     * @param defaultPort the port of the default listen address 127.0.0.1:PORT
     */
    protected ServerRole(String pid, Class<C> type, String roleName, String title, int defaultPort) {
        this.pid = pid;
        this.type = type;
        this.title = title;
        this.name = pid.substring(pid.lastIndexOf('.') + 1);
        this.defaultPort = defaultPort;
        this.role = new RolePublisher(roleName);
        this.tunnel = new TunnelDevice(name, "etc/" + pid + ".cfg", () -> {
            stop();
            start();
        });
    }

    /** Builds and starts the role's server; anything thrown is reported as the role's problem. */
    protected abstract Running start(C settings, Setup setup) throws Exception;

    protected BundleContext context() {
        return context;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + CommunicationDevice.TYPE_PROPERTY + "=http)")
    protected synchronized void setHttp(CommunicationDevice device) {
        tunnel.bind(device);
    }

    protected synchronized void unsetHttp(CommunicationDevice device) {
        tunnel.unbind(device);
    }

    @Activate
    protected synchronized void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        this.config = config;
        start();
    }

    @Deactivate
    protected synchronized void deactivate() {
        tunnel.stopped();
        stop();
    }

    /** The configured value, else the framework property, else the fallback. */
    private String orProperty(String configured, String property, String fallback) {
        String p = context.getProperty(property);
        return !configured.isEmpty() ? configured : p == null ? fallback : p;
    }

    private void start() {
        String problem = null;
        String waiting = null;
        C settings = null;
        ServerConfig c = null;
        String httpListen = "";
        try {
            settings = TypedConfig.of(type, pid, config);
            c = TypedConfig.of(ServerConfig.class, pid, config);
            httpListen = orProperty(c.http_listen(), "tandem.webconnect." + name + ".http.listen", "");
            waiting = tunnel.starting(httpListen);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "the WebConnect " + title + " cannot start: " + e.getMessage());
            problem = title + ": " + e.getMessage();
        }
        if (c != null && waiting == null) {
            try {
                String home = context.getProperty("tandem.home");
                String[] listen = Config.hostPort(orProperty(c.listen(), "tandem.webconnect." + name + ".listen",
                        "127.0.0.1:" + defaultPort), defaultPort);
                store = new Store(c.database_url().isEmpty() ? Config.defaultDatabase(home) : c.database_url(),
                        c.database_user(), c.database_password());
                Tls.ServerIdentity identity = null;
                if (c.tls() || !c.tls_certificate().isEmpty()) {
                    String adv = c.advertise().replaceFirst("(?i)^(tls|tcp):", "");
                    identity = identity(c.tls_certificate(), c.tls_key(), home == null ? "." : home,
                            List.of(listen[0], adv.isEmpty() ? "" : Config.hostPort(adv, 0)[0]));
                }
                boolean tunnelled = !httpListen.isEmpty();
                running = start(settings, new Setup(listen[0], Integer.parseInt(listen[1]), c.advertise(),
                        home == null ? "." : home, store, identity, tunnelled ? tunnel.require() : null,
                        tunnelled ? TunnelDevice.profile("webconnect-" + name + "-http", Config.hostPort(httpListen, 1970))
                                : null, config));
            } catch (Exception e) {
                LOG.log(Level.WARNING, "the WebConnect " + title + " cannot start", e);
                problem = title + ": " + e.getMessage();
                if (store != null) {
                    store.close();
                    store = null;
                }
                running = null;
            }
        }
        role.publish(context, new RoleStatus(running == null ? List.of() : running.listening(),
                problem == null ? List.of() : List.of(problem), waiting == null ? List.of() : List.of(waiting),
                running == null ? List.of() : running.details(), List.of()));
    }

    /**
     * The TLS identity of another listener of the role (the manager's support page, which is always
     * HTTPS): the role's own when TLS is on, else the self-signed certificate the role would use for TLS
     * (made once in {@code data/} for {@code names}), so a node has one certificate whatever serves it.
     */
    protected Tls.ServerIdentity identity(Setup s, List<String> names) throws IOException, GeneralSecurityException {
        return s.tls() != null ? s.tls() : identity("", "", s.home(), names);
    }

    private Tls.ServerIdentity identity(String certificate, String key, String home, List<String> names)
            throws IOException, GeneralSecurityException {
        Tls.ServerIdentity identity = Tls.server(certificate, key, Path.of(home, "data"), names);
        if (identity.generated()) {
            LOG.log(Level.WARNING, "WebConnect " + name + ": generated a self-signed TLS certificate "
                    + identity.certificateFile() + "; clients pin it with trust-fingerprint=" + identity.fingerprint());
        }
        return identity;
    }

    private void stop() {
        role.withdraw();
        if (running != null) {
            running.stop();
            running = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
