package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

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
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.security.audit.query.AuditQuery;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.support.jdbc.Database;

/**
 * The Security Server's central audit trail: the {@link AuditTrail} service over the hash-chained table
 * {@code ss_audit} (see {@link AuditStore}), {@code tandem admin audit ...} ({@link AuditCommand}) and, when
 * {@code syslog.host} is set, forwarding of every stored row to syslog ({@link SyslogForwarder}).
 *
 * <p>Configuration: the database keys {@code database.url}, {@code database.user}, {@code database.password}
 * of the Security Server's PID {@code org.tandemrc.security.server} (the same database as the server's
 * tables; default {@code jdbc:h2:HOME/data/security/security}), and the syslog keys of
 * {@code org.tandemrc.security.audit} (see {@link AuditConfig}). A change of either re-activates the component.
 */
@Component(service = AuditTrail.class, immediate = true, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = {AuditComponent.SERVER_PID, AuditComponent.PID})
public class AuditComponent implements AuditTrail {

    static final String SERVER_PID = "org.tandemrc.security.server";
    static final String PID = "org.tandemrc.security.audit";

    private static final System.Logger LOG = System.getLogger(PID);

    private final EventRecorder events = new EventRecorder(PID);

    private AuditStore store;
    private SyslogForwarder forwarder;
    private ServiceRegistration<Command> command;
    private ServiceRegistration<AuditQuery> query;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(EventSink sink) {
        events.add(sink);
    }

    void unbindSink(EventSink sink) {
        events.remove(sink);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws Exception {
        AuditConfig c = TypedConfig.of(AuditConfig.class, PID, properties);
        String home = context.getProperty("tandem.home");
        String url = c.database_url().strip();
        if (url.isEmpty()) {
            Path dir = Path.of(home == null ? "." : home, "data", "security");
            Files.createDirectories(dir);
            url = "jdbc:h2:" + dir.toAbsolutePath().resolve("security");
        }
        String node = context.getProperty("tandem.name");
        events.node(node == null ? "" : node);
        Database db = new Database(url, c.database_user(), c.database_password(), AuditStore.SCHEMA);
        SyslogForwarder f = null;
        if (!c.syslog_host().isBlank()) {
            try {
                f = SyslogForwarder.start(SyslogForwarder.Settings.of(c), new Database(url, c.database_user(),
                        c.database_password()));
            } catch (Exception e) {
                // The trail itself keeps working: the rows wait in the table until the settings are fixed.
                LOG.log(System.Logger.Level.ERROR, "no syslog forwarding: " + e.getMessage()
                        + "; fix etc/" + PID + ".cfg, stored rows are sent then", e);
            }
        }
        SyslogForwarder wake = f;
        forwarder = f;
        store = new AuditStore(db, id -> {
            if (wake != null) {
                wake.wake();
            }
        });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:audit");
        command = context.registerService(Command.class, new AuditCommand(store, this::verified), props);
        // The browser console's Audit page reads through the same work as the command.
        query = context.registerService(AuditQuery.class, new Audit(store, this::verified), new Hashtable<>());
    }

    /** The TSECAUDIT event of a verification. */
    void verified(AuditStore.Verdict v) {
        events.record(EventCodes.TANDEM_AUDIT_VERIFIED, v.ok() ? Severity.INFO : Severity.SECURITY, "", "",
                v.ok() ? "audit trail OK: " + v.rows() + " rows" : "audit trail BROKEN: " + v.problem());
    }

    @Deactivate
    void deactivate() {
        if (command != null) {
            command.unregister();
        }
        if (query != null) {
            query.unregister();
        }
        if (forwarder != null) {
            forwarder.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Override
    public long append(String source, String name, long first, List<AuditEvent> list) throws IOException {
        return store.append(source, name, first, list);
    }
}
