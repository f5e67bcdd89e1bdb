package org.tandemrc.host.internal;

import java.io.IOException;
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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.node.NodeRole;

/**
 * The Host role. It listens on every enabled communication profile whose device is installed, and
 * follows devices and profiles as they come, go or change: installing the TCP device bundle opens
 * its profiles, updating it re-opens them, a changed profile file re-listens with the new settings.
 *
 * <p>It publishes a {@link NodeRole} service whose properties tell the kernel where it listens, what
 * failed, and which profiles still wait for their device.
 */
@Component(service = {})
public class HostNode implements NodeRole {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host");

    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    private final List<ConfiguredProfile> profiles = new CopyOnWriteArrayList<>();
    /** Open endpoints by profile name. Guarded by this. */
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    /** The device instance each endpoint was opened with. Guarded by this. */
    private final Map<String, CommunicationDevice> endpointDevices = new LinkedHashMap<>();
    /** The profile object each endpoint was opened with. Guarded by this. */
    private final Map<String, ConfiguredProfile> endpointProfiles = new LinkedHashMap<>();
    /** Why a profile could not listen, by profile name. Guarded by this. */
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final List<String> waiting = new ArrayList<>();

    private ServiceRegistration<NodeRole> registration;
    private boolean active;
    /** From {@code --listen DEVICE:ADDRESS:PORT}: replaces the configured profiles. */
    private ConfiguredProfile commandLine;

    @Reference
    private GuestAccess access;

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

    @Activate
    synchronized void activate(BundleContext context) {
        String listen = context.getProperty("tandem.host.listen");
        if (listen != null) {
            commandLine = ConfiguredProfile.of(CommunicationProfile.listening("command-line", listen));
        }
        active = true;
        reconcileLocked();
        registration = context.registerService(NodeRole.class, this, properties());
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        for (String name : new ArrayList<>(endpoints.keySet())) {
            closeEndpoint(name, "the Host role stopped");
        }
    }

    @Override
    public String role() {
        return "host";
    }

    @Override
    public synchronized List<String> listening() {
        return endpoints.values().stream().map(Endpoint::address).toList();
    }

    @Override
    public synchronized List<String> problems() {
        return List.copyOf(problems.values());
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

    /** Brings the open endpoints in line with the profiles and devices present now. */
    private void reconcileLocked() {
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
                String why = p == null ? "its profile was removed or disabled"
                        : device == null ? "the " + p.profile().device() + " device was removed"
                        : p != endpointProfiles.get(name) ? "its profile changed" : "its device was replaced";
                closeEndpoint(name, why);
            }
        }
        problems.clear();
        waiting.clear();
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
                Endpoint endpoint = device.listen(withIdentity(profile), this::accepted);
                endpoints.put(name, endpoint);
                endpointDevices.put(name, device);
                endpointProfiles.put(name, p);
                LOG.log(System.Logger.Level.INFO, "Host listens on {0} (profile {1})", endpoint.address(), name);
            } catch (IOException | RuntimeException e) {
                problems.put(name, "profile '" + name + "': " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "profile ''{0}'' cannot listen: {1}", name, e.getMessage());
            }
        }
    }

    /**
     * The profile with the Host's identity added as {@code host.name} and {@code host.user}, for devices
     * that answer name queries and browsing (udp).
     */
    private CommunicationProfile withIdentity(CommunicationProfile profile) {
        Map<String, String> settings = new LinkedHashMap<>(profile.settings());
        settings.putIfAbsent("host.name", access.hostName);
        settings.putIfAbsent("host.user", System.getProperty("user.name", ""));
        return new CommunicationProfile(profile.name(), profile.device(), settings);
    }

    private void closeEndpoint(String name, String why) {
        Endpoint endpoint = endpoints.remove(name);
        endpointDevices.remove(name);
        endpointProfiles.remove(name);
        if (endpoint != null) {
            LOG.log(System.Logger.Level.INFO, "Host stops listening on {0}: {1}", endpoint.address(), why);
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
        props.put(DETAILS_PROPERTY, new String[] {"name       " + access.hostName,
            "identity   " + access.identity.fingerprint(),
            "access     " + access.policy.method() + (access.policyProblem == null ? "" : " (" + access.policyProblem + ")")});
        return props;
    }

    private LinkHandler accepted(Link link) {
        return access.accept(link);
    }
}
