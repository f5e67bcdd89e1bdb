package org.tandemrc.webconnect.manager.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.node.Command;
import org.tandemrc.webconnect.store.Store;

/**
 * The Connection Manager role, configured by {@code etc/org.tandemrc.webconnect.manager.cfg}:
 * {@code listen} (ADDRESS:PORT, default 127.0.0.1:6590), {@code advertise}, {@code id},
 * {@code database.url} / {@code database.user} / {@code database.password} (default the node's embedded
 * H2 file {@code data/webconnect}), {@code token-validity} (seconds, default 60), {@code idle-timeout}
 * (seconds without a frame on a control connection, default 90), {@code poll} (milliseconds between
 * looks for offers other managers left for this one's Hosts, default 100). The signing key is kept in
 * {@code data/webconnect-manager.key}. Adds {@code tandem admin webconnect ...}.
 */
@Component(configurationPid = "org.tandemrc.webconnect.manager", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = ManagerComponent.class)
public class ManagerComponent {

    private ManagerServer manager;
    private Store store;
    private ServiceRegistration<Command> command;

    @Activate
    public void activate(BundleContext context, Map<String, Object> config) throws Exception {
        Config c = new Config(config);
        String home = context.getProperty("tandem.home");
        String[] listen = Config.hostPort(c.text("listen", "127.0.0.1:6590"), 6590);
        store = new Store(c.text("database.url", Config.defaultDatabase(home)), c.text("database.user", ""),
                c.text("database.password", ""));
        try {
            manager = new ManagerServer(new ManagerServer.Settings(c.text("id", ""), listen[0],
                    Integer.parseInt(listen[1]), c.text("advertise", ""),
                    Path.of(home == null ? "." : home, "data", "webconnect-manager.key"),
                    c.integer("token-validity", 60), c.integer("idle-timeout", 90), c.integer("poll", 100)), store);
            manager.start();
        } catch (Exception e) {
            store.close();
            throw e;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:webconnect");
        command = context.registerService(Command.class, new AdminCommand(manager), props);
    }

    @Deactivate
    public void deactivate() {
        if (command != null) {
            command.unregister();
        }
        manager.stop();
        store.close();
    }
}
