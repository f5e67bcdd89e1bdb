package org.tandemrc.webconnect.manager.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.webconnect.store.ServerRole;

/**
 * The Connection Manager role, configured by {@code etc/org.tandemrc.webconnect.manager.cfg}:
 * {@code listen} (ADDRESS:PORT, default the framework property {@code tandem.webconnect.manager.listen},
 * else 127.0.0.1:6590), {@code advertise}, {@code id}, {@code database.url} / {@code database.user} /
 * {@code database.password} (default the node's embedded H2 file {@code data/webconnect}),
 * {@code token-validity} (seconds, default 60), {@code idle-timeout} (seconds without a whole frame on a
 * control connection, default 90), the logon limits {@code logon.*} (as the Host's, see
 * {@link LogonLimits#from}), {@code poll} (milliseconds between looks for offers other managers left for
 * this one's Hosts, default 100), {@code resume.ticket-hours} (a Host's resumption ticket, default 168, 0
 * none), {@code logon.concurrent} (full logons at once, default 64) and {@code logon.retry-millis} (the wait
 * one more is told, default 1000). The signing key is kept in {@code data/webconnect-manager.key}. Adds
 * {@code tandem admin webconnect ...} and publishes the role {@code webconnect-manager}.
 * TLS: {@code tls=true} serves TLS 1.3 with {@code tls.certificate}/{@code tls.key} (PEM) or, when
 * those are not set, a self-signed certificate generated once into {@code data/webconnect-tls.crt}
 * (its SHA-256 fingerprint is logged); the advertised address then starts with {@code tls:}.
 * HTTP tunnel: {@code http.listen} (ADDRESS:PORT, default the framework property
 * {@code tandem.webconnect.manager.http.listen}, else none) also accepts clients through the {@code http}
 * communication device (optional: when it is not installed the role reports the problem), TLS inside when
 * {@code tls} is on.
 * Support page: {@code support.page} (HOST:PORT, default none) serves the person's page and the temporary
 * Host's download ({@code support.download}) over HTTPS, with the TLS identity above (the self-signed one
 * also when the control port runs without TLS); links start with {@code support.page-url} (default
 * https://HOST:PORT). See {@link SupportPage}.
 */
@Component(configurationPid = ManagerComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = ManagerConfig.Described.class)
public class ManagerComponent extends ServerRole<ManagerConfig> {

    static final String PID = "org.tandemrc.webconnect.manager";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    static final String ROLE = "webconnect-manager";

    private volatile ManagerServer manager;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Authenticator> authenticators = List.of();

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

    public ManagerComponent() {
        super(PID, ManagerConfig.class, ROLE, "Connection Manager", 6590);
    }

    private static String method(String method) {
        if (!LogonMethods.validName(method)) {
            throw CHECK.invalid("method", method, "is not an access method name (a-z, 0-9, '.', '-')");
        }
        return method;
    }

    /** The support page when {@code support.page} is set, started, its links given by the manager; else null. */
    private SupportPage page(ManagerConfig c, ServerRole.Setup s, ManagerServer m) throws Exception {
        if (c.support_page().isBlank()) {
            return null;
        }
        HostPort at = HostPort.parse(c.support_page(), 443, "support.page");
        String url = c.support_page$_$url().strip();
        if (!url.isEmpty() && !url.matches("https?://[A-Za-z0-9.:\\[\\]_~%/-]+")) {
            throw CHECK.invalid("support.page-url", url, "is not an http(s) URL of letters, digits and . : [ ] _ ~ % / -");
        }
        String download = c.support_download().strip();
        String urlHost = url.isEmpty() ? "" : url.replaceFirst("^https?://", "").replaceFirst("[:/].*", "");
        SupportPage page = new SupportPage(m, new SupportPage.Settings(at.host(), at.port(), url,
                download.isEmpty() ? null : Path.of(s.home()).resolve(download)),
                identity(s, List.of(at.host(), urlHost)));
        page.start();
        m.support.pageUrl(page.url());
        return page;
    }

    @Override
    protected ServerRole.Running start(ManagerConfig c, ServerRole.Setup s) throws Exception {
        Map<String, Object> config = s.config();
        ManagerServer m = new ManagerServer(new ManagerServer.Settings(c.id(), s.host(), s.port(), s.advertise(),
                Path.of(s.home(), "data", "webconnect-manager.key"),
                CHECK.range("token.validity", c.token_validity(), 1, 86_400),
                CHECK.range("idle.timeout", c.idle_timeout(), 1, 7 * 86_400),
                CHECK.range("poll", c.poll(), 1, 60_000),
                LogonLimits.from(k -> config == null ? null : config.get(k)), method(c.method())), s.store());
        m.authenticators(() -> authenticators);
        m.resumption(new ManagerServer.Resume(CHECK.range("resume.ticket-hours", c.resume_ticket$_$hours(), 0, 8760),
                CHECK.range("logon.concurrent", c.logon_concurrent(), 1, 100_000),
                CHECK.range("logon.retry-millis", c.logon_retry$_$millis(), 0, 600_000)));
        m.support.limits(new SupportSessions.Limits(
                CHECK.range("support.per-supporter", c.support_per$_$supporter(), 1, 1000),
                CHECK.range("support.per-account", c.support_per$_$account(), 1, 100_000),
                CHECK.range("support.code-minutes", c.support_code$_$minutes(), 1, 1440),
                CHECK.range("support.lifetime-hours", c.support_lifetime$_$hours(), 1, 720)));
        sinks.forEach(m.audit::add);
        if (s.tls() != null) {
            m.tls(s.tls());
        }
        if (s.http() != null) {
            m.http(s.http(), s.httpProfile());
        }
        m.start();
        SupportPage page;
        try {
            page = page(c, s, m);
        } catch (Exception e) {
            m.stop();
            throw e;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:webconnect");
        ServiceRegistration<Command> command = context().registerService(Command.class, new AdminCommand(m), props);
        manager = m;
        String database = "database   " + s.store().url().replaceAll("password=[^;&]*", "password=***");
        return new ServerRole.Running() {
            @Override
            public List<String> listening() {
                return m.httpAddress() == null ? List.of("webconnect-manager:" + m.address())
                        : List.of("webconnect-manager:" + m.address(), "webconnect-manager:" + m.httpAddress());
            }

            @Override
            public List<String> details() {
                return page == null ? List.of("manager    " + m.id(), database)
                        : List.of("manager    " + m.id(), database, "page       " + page.url());
            }

            @Override
            public void stop() {
                command.unregister();
                manager = null;
                if (page != null) {
                    page.stop();
                }
                m.stop();
            }
        };
    }
}
