package org.tandemrc.webconnect.relay.internal;

import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.webconnect.store.ServerRole;

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
@Designate(ocd = RelayConfig.Described.class)
public class RelayComponent extends ServerRole<RelayConfig> {

    static final String PID = "org.tandemrc.webconnect.relay";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    static final String ROLE = "webconnect-relay";

    public RelayComponent() {
        super(PID, RelayConfig.class, ROLE, "relay", 6591);
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

    @Override
    protected ServerRole.Running start(RelayConfig c, ServerRole.Setup s) throws Exception {
        RelayServer relay = new RelayServer(new RelayServer.Settings(c.id(), s.host(), s.port(), s.advertise(),
                bandwidth("session.bandwidth", c.session_bandwidth()), bandwidth("total.bandwidth", c.total_bandwidth()),
                CHECK.range("idle.timeout", c.idle_timeout(), 1, 7 * 86_400),
                CHECK.range("pairing.timeout", c.pairing_timeout(), 1, 3600)), s.store());
        if (s.tls() != null) {
            relay.tls(s.tls());
        }
        if (s.http() != null) {
            relay.http(s.http(), s.httpProfile(), c.http_advertise());
        }
        relay.start();
        return new ServerRole.Running() {
            @Override
            public List<String> listening() {
                return List.of("webconnect-relay:" + relay.address());
            }

            @Override
            public List<String> details() {
                return List.of("relay      " + relay.status());
            }

            @Override
            public void stop() {
                relay.stop(true);
            }
        };
    }
}
