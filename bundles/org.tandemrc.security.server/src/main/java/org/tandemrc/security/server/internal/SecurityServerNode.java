package org.tandemrc.security.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.security.server.admin.SecurityAdministration;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.srp.SrpServer;
import org.tandemrc.support.role.ListeningRole;
import org.tandemrc.support.role.RolePublisher;
import org.tandemrc.support.role.RoleStatus;

/**
 * The Security Server role. Nodes (Hosts, Gateways, consoles) connect to it where it listens (config
 * {@code listen}, default all addresses, port {@value SecuritySettings#PORT}; empty: the enabled
 * profiles), pin its identity key ({@code data/security-server-identity}, fingerprint printed at start)
 * and prove their own. Settings in {@code etc/org.tandemrc.security.server.cfg}; a change restarts the
 * component. Managed with {@code tandem admin security}.
 */
@Component(service = {}, configurationPid = SecuritySettings.PID)
@Designate(ocd = SecurityServerConfig.class)
public class SecurityServerNode extends ListeningRole {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.security.server");

    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final RolePublisher role = new RolePublisher("security-server");
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Authenticator> authenticators = List.of();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail trail;

    private SecurityServer server;
    private ServiceRegistration<Command> command;
    private ServiceRegistration<SecurityAdministration> administration;
    private boolean active;

    public SecurityServerNode() {
        super("Security Server", LOG);
    }

    @Override
    protected Endpoint listen(CommunicationDevice device, CommunicationProfile profile) throws IOException {
        return device.listen(profile, server::accept);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(EventSink sink) {
        sinks.add(sink);
        SecurityServer s = server;
        if (s != null) {
            s.audit.add(sink);
        }
    }

    void unbindSink(EventSink sink) {
        sinks.remove(sink);
        SecurityServer s = server;
        if (s != null) {
            s.audit.remove(sink);
        }
    }

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> config) throws IOException, SQLException {
        String home = context.getProperty("tandem.home");
        Path root = Path.of(home == null ? "." : home);
        SecuritySettings settings = SecuritySettings.parse(config, root);
        HostIdentity identity = HostIdentity.loadOrCreate(root.resolve("data/security-server-identity"), new SecureRandom());
        Files.createDirectories(root.resolve("data/security"));
        SecurityStore store = new SecurityStore(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
        server = new SecurityServer(identity, store, settings, SrpServer.decoySecret(root.resolve(
                "data/security-server-decoy-secret")), () -> authenticators, () -> Optional.ofNullable(trail),
                Clock.systemUTC());
        sinks.forEach(server.audit::add);
        String listen = context.getProperty("tandem.security-server.listen");
        listen = listen != null ? listen : settings.listen().isEmpty() ? null : settings.listen();
        listeners.commandLine("security-server", listen);
        // Nodes pin this key: the start's status shows it too ("key  SHA256:..."), for the administrator to give them.
        String line = "Security Server " + settings.name() + " key " + identity.fingerprint();
        LOG.log(System.Logger.Level.INFO, line);
        server.audit.record(EventCodes.SECURITY_SERVER_STARTED, Severity.INFO, "", "", line + ", database "
                + store.url());
        active = true;
        listeners.reconcile();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:security");
        command = context.registerService(Command.class, new SecurityCommand(server, this), props);
        // The browser console's pages run the same administration as the command.
        administration = context.registerService(SecurityAdministration.class, new Administration(server),
                new Hashtable<>());
        role.publish(context, status());
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        role.withdraw();
        if (command != null) {
            command.unregister();
            command = null;
        }
        if (administration != null) {
            administration.unregister();
            administration = null;
        }
        listeners.closeAll("the Security Server stopped");
        server.audit.record(EventCodes.SECURITY_SERVER_STOPPED, Severity.INFO, "", "", "Security Server "
                + server.settings.name() + " stopped");
        server.stop();
    }

    /** Where it listens now, for {@code tandem admin security status}. */
    synchronized List<String> listening() {
        return listeners.listening();
    }

    /** Whether an audit trail stores the nodes' events now. */
    boolean trailPresent() {
        return trail != null;
    }

    /** The installed access methods, for status. */
    List<String> methods() {
        List<String> out = new ArrayList<>();
        authenticators.forEach(a -> out.add(a.method()));
        return out;
    }

    @Override
    protected void changed() {
        if (active) {
            listeners.reconcile();
            role.update(status());
        }
    }

    private RoleStatus status() {
        SecuritySettings s = server.settings;
        return listeners.status(List.of(), List.of("name       " + s.name(), "key        " + server.identity.fingerprint(),
                "database   " + server.store.url(), "directory  " + s.directory()));
    }
}
