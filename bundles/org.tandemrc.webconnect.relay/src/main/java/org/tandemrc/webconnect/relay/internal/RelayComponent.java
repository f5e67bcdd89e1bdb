package org.tandemrc.webconnect.relay.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.webconnect.store.Store;

/**
 * The relay role, configured by {@code etc/org.tandemrc.webconnect.relay.cfg}: {@code listen}
 * (ADDRESS:PORT, default 127.0.0.1:6591), {@code advertise} (the address clients dial, default the bound
 * one), {@code id}, {@code database.url} / {@code database.user} / {@code database.password} (default the
 * node's embedded H2 file {@code data/webconnect}), {@code session-bandwidth} and {@code total-bandwidth}
 * (bytes per second, suffix K or M allowed, 0 = no cap), {@code idle-timeout} (seconds, default 300),
 * {@code pairing-timeout} (seconds, default 20).
 */
@Component(configurationPid = "org.tandemrc.webconnect.relay", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = RelayComponent.class)
public class RelayComponent {

    private RelayServer relay;
    private Store store;

    @Activate
    public void activate(BundleContext context, Map<String, Object> config) throws Exception {
        Config c = new Config(config);
        String[] listen = Config.hostPort(c.text("listen", "127.0.0.1:6591"), 6591);
        store = new Store(c.text("database.url", Config.defaultDatabase(context.getProperty("tandem.home"))),
                c.text("database.user", ""), c.text("database.password", ""));
        relay = new RelayServer(new RelayServer.Settings(c.text("id", ""), listen[0], Integer.parseInt(listen[1]),
                c.text("advertise", ""), c.bytes("session-bandwidth"), c.bytes("total-bandwidth"),
                c.integer("idle-timeout", 300), c.integer("pairing-timeout", 20)), store);
        try {
            relay.start();
        } catch (Exception e) {
            store.close();
            throw e;
        }
    }

    /** A line for status output. */
    public String status() {
        return relay.status();
    }

    @Deactivate
    public void deactivate() {
        relay.stop(true);
        store.close();
    }
}
