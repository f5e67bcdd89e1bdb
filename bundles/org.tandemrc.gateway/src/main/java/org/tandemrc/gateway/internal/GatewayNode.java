package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.srp.SrpServer;
import org.tandemrc.support.role.ListeningRole;
import org.tandemrc.support.role.RolePublisher;

/**
 * The Gateway role. It listens on every enabled communication profile whose device is installed (the
 * Guests' side), and routes each logged-on link through an outgoing device group
 * ({@code etc/org.tandemrc.gateway.group-NAME.cfg}) whose profiles may be disabled, so that the
 * Gateway does not listen on them. Settings in {@code etc/org.tandemrc.gateway.cfg} (see
 * {@link GatewaySettings}); users in {@code etc/gateway-users}, managed by {@code tandem admin gateway}.
 */
@Component(service = {}, configurationPid = GatewaySettings.PID)
@Designate(ocd = GatewayConfig.class)
public class GatewayNode extends ListeningRole {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.gateway");

    private final List<DeviceGroup> groups = new CopyOnWriteArrayList<>();
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private final RolePublisher role = new RolePublisher("gateway");

    private Gateway gateway;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Authenticator> authenticators = List.of();
    private ServiceRegistration<Command> command;
    private BundleContext context;
    private String settingsProblem;

    public GatewayNode() {
        super("Gateway", LOG);
    }

    @Override
    protected Endpoint listen(CommunicationDevice device, CommunicationProfile profile) throws IOException {
        return device.listen(profile, gateway::accept);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindGroup(DeviceGroup group) {
        groups.add(group);
        groupEvent(group, EventCodes.GATEWAY_GROUP_DEFINED);
        changed();
    }

    synchronized void unbindGroup(DeviceGroup group) {
        groups.remove(group);
        groupEvent(group, EventCodes.GATEWAY_GROUP_DELETED);
        changed();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(EventSink sink) {
        sinks.add(sink);
        Gateway g = gateway;
        if (g != null) {
            g.audit.add(sink);
        }
    }

    void unbindSink(EventSink sink) {
        sinks.remove(sink);
        Gateway g = gateway;
        if (g != null) {
            g.audit.remove(sink);
        }
    }

    private synchronized void groupEvent(DeviceGroup group, String code) {
        if (gateway != null && context != null) {
            gateway.audit.record(code, Severity.INFO, "", "", group.name() + " = " + String.join(", ", group.profiles()));
        }
    }

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> config) throws IOException {
        String home = context.getProperty("tandem.home");
        Path root = Path.of(home == null ? "." : home);
        gateway = new Gateway(new GatewayUsers(root.resolve("etc/gateway-users")), SrpServer.decoySecret(root.resolve("data/gateway-decoy-secret")),
                () -> authenticators);
        sinks.forEach(gateway.audit::add);
        modified(config);
        listeners.commandLine("command-line", context.getProperty("tandem.gateway.listen"));
        this.context = context;
        for (DeviceGroup g : groups) {
            groupEvent(g, EventCodes.GATEWAY_GROUP_DEFINED);
        }
        reconcileLocked();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:gateway");
        command = context.registerService(Command.class, new GatewayCommand(gateway, this), props);
        role.publish(context, status());
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        try {
            gateway.settings = GatewaySettings.parse(config);
            settingsProblem = null;
        } catch (IllegalArgumentException e) {
            settingsProblem = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
        }
        gateway.audit.node(gateway.settings.name());
        role.update(status());
    }

    @Deactivate
    synchronized void deactivate() {
        context = null;
        role.withdraw();
        if (command != null) {
            command.unregister();
            command = null;
        }
        listeners.closeAll("the Gateway role stopped");
        gateway.stop("the Gateway stopped");
    }

    /** Where the Gateway listens now, for {@code tandem admin gateway show}. */
    synchronized List<String> listening() {
        return listeners.listening();
    }

    /** Lines for {@code tandem admin gateway show}: groups and their profiles. */
    synchronized List<String> describeGroups() {
        List<String> lines = new ArrayList<>();
        for (DeviceGroup g : groups) {
            List<String> parts = new ArrayList<>();
            for (String p : g.profiles()) {
                CommunicationProfile profile = gateway.profiles.get(p);
                parts.add(profile == null ? p + " (not configured)" : p + " (" + profile.device()
                        + (listeners.deviceFor(profile) == null ? ", device not installed" : "") + ")");
            }
            lines.add(g.name() + ": " + (g.problem() != null ? g.problem() : String.join(", ", parts)));
        }
        return lines;
    }

    @Override
    protected void changed() {
        if (context != null) {
            reconcileLocked();
            role.update(status());
        }
    }

    private void reconcileLocked() {
        gateway.devices.clear();
        gateway.devices.addAll(listeners.devices());
        Map<String, CommunicationProfile> all = new LinkedHashMap<>();
        for (ConfiguredProfile p : listeners.profiles()) {
            if (p.problem().isEmpty()) {
                all.putIfAbsent(p.profile().name(), p.profile());
            }
        }
        gateway.profiles.keySet().retainAll(all.keySet());
        gateway.profiles.putAll(all);
        Map<String, List<String>> groupMap = new LinkedHashMap<>();
        for (DeviceGroup g : groups) {
            if (g.problem() == null) {
                groupMap.putIfAbsent(g.name(), g.profiles());
            }
        }
        gateway.groups.keySet().retainAll(groupMap.keySet());
        gateway.groups.putAll(groupMap);
        listeners.reconcile();
    }

    private org.tandemrc.support.role.RoleStatus status() {
        List<String> own = new ArrayList<>();
        if (settingsProblem != null) {
            own.add(settingsProblem);
        }
        for (DeviceGroup g : groups) {
            if (g.problem() != null) {
                own.add(g.problem());
            }
        }
        return listeners.status(own, List.of("name       " + gateway.settings.name(),
            "groups     " + (gateway.groups.isEmpty() ? "none (add etc/org.tandemrc.gateway.group-NAME.cfg)"
                    : String.join(", ", gateway.groups.keySet().stream().sorted().toList()))));
    }
}
