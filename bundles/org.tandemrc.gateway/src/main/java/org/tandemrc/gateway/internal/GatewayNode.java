package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
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
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.node.NodeRole;
import org.tandemrc.protocol.srp.SrpServer;

/**
 * The Gateway role. It listens on every enabled communication profile whose device is installed (the
 * Guests' side), and routes each logged-on link through an outgoing device group
 * ({@code etc/org.tandemrc.gateway.group-NAME.cfg}) whose profiles may be disabled, so that the
 * Gateway does not listen on them. Settings in {@code etc/org.tandemrc.gateway.cfg} (see
 * {@link GatewaySettings}); users in {@code etc/gateway-users}, managed by {@code tandem admin gateway}.
 */
@Component(service = {}, configurationPid = "org.tandemrc.gateway")
public class GatewayNode implements NodeRole {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.gateway");

    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    private final List<ConfiguredProfile> profiles = new CopyOnWriteArrayList<>();
    private final List<DeviceGroup> groups = new CopyOnWriteArrayList<>();
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    /** Guarded by this. */
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, CommunicationDevice> endpointDevices = new LinkedHashMap<>();
    private final Map<String, ConfiguredProfile> endpointProfiles = new LinkedHashMap<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final List<String> waiting = new ArrayList<>();

    private Gateway gateway;
    private ServiceRegistration<NodeRole> registration;
    private ServiceRegistration<Command> command;
    private boolean active;
    private ConfiguredProfile commandLine;
    private String settingsProblem;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(CommunicationDevice device) {
        devices.add(device);
        reconcile();
    }

    void unbindDevice(CommunicationDevice device) {
        devices.remove(device);
        reconcile();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindProfile(ConfiguredProfile profile) {
        profiles.add(profile);
        reconcile();
    }

    void unbindProfile(ConfiguredProfile profile) {
        profiles.remove(profile);
        reconcile();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindGroup(DeviceGroup group) {
        groups.add(group);
        groupEvent(group, EventCodes.GATEWAY_GROUP_DEFINED);
        reconcile();
    }

    void unbindGroup(DeviceGroup group) {
        groups.remove(group);
        groupEvent(group, EventCodes.GATEWAY_GROUP_DELETED);
        reconcile();
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
        if (gateway != null && active) {
            gateway.audit.record(code, Severity.INFO, "", "", group.name() + " = " + String.join(", ", group.profiles()));
        }
    }

    @Activate
    synchronized void activate(BundleContext context, Map<String, Object> config) throws IOException {
        String home = context.getProperty("tandem.home");
        Path root = Path.of(home == null ? "." : home);
        gateway = new Gateway(new GatewayUsers(root.resolve("etc/gateway-users")), SrpServer.decoySecret(root.resolve("data/gateway-decoy-secret")));
        sinks.forEach(gateway.audit::add);
        modified(config);
        String listen = context.getProperty("tandem.gateway.listen");
        if (listen != null) {
            commandLine = ConfiguredProfile.of(CommunicationProfile.listening("command-line", listen));
        }
        active = true;
        for (DeviceGroup g : groups) {
            groupEvent(g, EventCodes.GATEWAY_GROUP_DEFINED);
        }
        reconcileLocked();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:gateway");
        command = context.registerService(Command.class, new GatewayCommand(gateway, this), props);
        registration = context.registerService(NodeRole.class, this, properties());
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
        if (registration != null) {
            registration.setProperties(properties());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (command != null) {
            command.unregister();
            command = null;
        }
        for (String name : new ArrayList<>(endpoints.keySet())) {
            closeEndpoint(name, "the Gateway role stopped");
        }
        gateway.stop("the Gateway stopped");
    }

    @Override
    public String role() {
        return "gateway";
    }

    @Override
    public synchronized List<String> listening() {
        return endpoints.values().stream().map(Endpoint::address).toList();
    }

    @Override
    public synchronized List<String> problems() {
        return List.copyOf(problems.values());
    }

    /** Lines for {@code tandem admin gateway show}: groups and their profiles. */
    synchronized List<String> describeGroups() {
        List<String> lines = new ArrayList<>();
        for (DeviceGroup g : groups) {
            List<String> parts = new ArrayList<>();
            for (String p : g.profiles()) {
                CommunicationProfile profile = gateway.profiles.get(p);
                parts.add(profile == null ? p + " (not configured)" : p + " (" + profile.device()
                        + (deviceFor(profile) == null ? ", device not installed" : "") + ")");
            }
            lines.add(g.name() + ": " + (g.problem() != null ? g.problem() : String.join(", ", parts)));
        }
        return lines;
    }

    private synchronized void reconcile() {
        if (!active) {
            return;
        }
        reconcileLocked();
        if (registration != null) {
            registration.setProperties(properties());
        }
    }

    private void reconcileLocked() {
        gateway.devices.clear();
        gateway.devices.addAll(devices);
        Map<String, CommunicationProfile> all = new LinkedHashMap<>();
        for (ConfiguredProfile p : profiles) {
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

        Map<String, ConfiguredProfile> wanted = new LinkedHashMap<>();
        for (ConfiguredProfile p : commandLine != null ? List.of(commandLine) : profiles) {
            if (p.enabled()) {
                wanted.putIfAbsent(p.profile().name(), p);
            }
        }
        for (String name : new ArrayList<>(endpoints.keySet())) {
            ConfiguredProfile p = wanted.get(name);
            CommunicationDevice device = p == null ? null : deviceFor(p.profile());
            if (p != endpointProfiles.get(name) || device != endpointDevices.get(name)) {
                closeEndpoint(name, p == null ? "its profile was removed or disabled" : "its profile or device changed");
            }
        }
        problems.clear();
        waiting.clear();
        if (settingsProblem != null) {
            problems.put("settings", settingsProblem);
        }
        for (DeviceGroup g : groups) {
            if (g.problem() != null) {
                problems.put("group " + g.name(), g.problem());
            }
        }
        for (ConfiguredProfile p : wanted.values()) {
            CommunicationProfile profile = p.profile();
            String name = profile.name();
            if (endpoints.containsKey(name)) {
                continue;
            }
            if (p.problem().isPresent()) {
                problems.put(name, p.problem().get());
                continue;
            }
            CommunicationDevice device = deviceFor(profile);
            if (device == null) {
                waiting.add("profile '" + name + "' waits for the " + profile.device()
                        + " communication device, which is not installed");
                continue;
            }
            try {
                Endpoint endpoint = device.listen(profile, gateway::accept);
                endpoints.put(name, endpoint);
                endpointDevices.put(name, device);
                endpointProfiles.put(name, p);
                LOG.log(System.Logger.Level.INFO, "Gateway listens on {0} (profile {1})", endpoint.address(), name);
            } catch (IOException | RuntimeException e) {
                problems.put(name, "profile '" + name + "': " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "profile ''{0}'' cannot listen: {1}", name, e.getMessage());
            }
        }
    }

    private void closeEndpoint(String name, String why) {
        Endpoint endpoint = endpoints.remove(name);
        endpointDevices.remove(name);
        endpointProfiles.remove(name);
        if (endpoint != null) {
            LOG.log(System.Logger.Level.INFO, "Gateway stops listening on {0}: {1}", endpoint.address(), why);
            endpoint.close();
        }
    }

    private CommunicationDevice deviceFor(CommunicationProfile profile) {
        for (CommunicationDevice d : devices) {
            if (d.type().equals(profile.device())) {
                return d;
            }
        }
        return null;
    }

    private Dictionary<String, Object> properties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ROLE_PROPERTY, role());
        props.put(LISTENING_PROPERTY, endpoints.values().stream().map(Endpoint::address).toArray(String[]::new));
        props.put(ENDPOINTS_PROPERTY, endpoints.entrySet().stream()
                .map(e -> e.getKey() + "\t" + e.getValue().address()).toArray(String[]::new));
        props.put(PROBLEMS_PROPERTY, problems.values().toArray(String[]::new));
        props.put(WAITING_PROPERTY, waiting.toArray(String[]::new));
        props.put(DETAILS_PROPERTY, new String[] {"name       " + gateway.settings.name(),
            "groups     " + (gateway.groups.isEmpty() ? "none (add etc/org.tandemrc.gateway.group-NAME.cfg)"
                    : String.join(", ", gateway.groups.keySet().stream().sorted().toList()))});
        return props;
    }

}
