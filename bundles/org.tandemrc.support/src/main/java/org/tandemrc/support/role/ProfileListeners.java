package org.tandemrc.support.role;

import org.tandemrc.support.comm.ListenPlace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;

/**
 * A role's listening side: it listens on every enabled communication profile whose device is installed,
 * and follows devices and profiles as they come, go or change. Installing a device bundle opens its
 * profiles, updating it re-opens them, a changed profile file re-listens with the new settings. A
 * profile from the command line ({@code --listen}) replaces the configured ones.
 *
 * <p>The owning component forwards its device and profile references here and calls {@link #reconcile}
 * whenever they or its own state change; it is not thread-safe on its own: the owner calls it under one
 * lock.
 */
public final class ProfileListeners {

    /** How the role listens on one profile: the device, and what it does with each accepted link. */
    @FunctionalInterface
    public interface Opener {
        Endpoint listen(CommunicationDevice device, CommunicationProfile profile) throws IOException;
    }

    private final String roleName;
    private final System.Logger log;
    private final Opener opener;
    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    private final List<ConfiguredProfile> profiles = new CopyOnWriteArrayList<>();
    /** Open endpoints, and the device and profile objects each was opened with, by profile name. */
    private final Map<String, Open> endpoints = new LinkedHashMap<>();
    /** Why a profile could not listen, by profile name. */
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final List<String> waiting = new ArrayList<>();
    private ConfiguredProfile commandLine;

    private record Open(Endpoint endpoint, CommunicationDevice device, ConfiguredProfile profile) {
    }

    /**
     * @param roleName how log lines name the role, e.g. {@code Host}
     * @param log      the role's logger
     * @param opener   how to listen on one profile
     */
    public ProfileListeners(String roleName, System.Logger log, Opener opener) {
        this.roleName = roleName;
        this.log = log;
        this.opener = opener;
    }

    public void addDevice(CommunicationDevice device) {
        devices.add(device);
    }

    public void removeDevice(CommunicationDevice device) {
        devices.remove(device);
    }

    public void addProfile(ConfiguredProfile profile) {
        profiles.add(profile);
    }

    public void removeProfile(ConfiguredProfile profile) {
        profiles.remove(profile);
    }

    /** The installed devices, in the order they came. */
    public List<CommunicationDevice> devices() {
        return List.copyOf(devices);
    }

    /** The configured profiles, enabled or not. */
    public List<ConfiguredProfile> profiles() {
        return List.copyOf(profiles);
    }

    /**
     * Listens on {@code --listen DEVICE:ADDRESS:PORT} only, instead of the configured profiles.
     *
     * @param listen the option's value, or {@code null} for the configured profiles
     */
    public void commandLine(String name, String listen) {
        commandLine = listen == null ? null : ConfiguredProfile.of(ListenPlace.parse(name, listen));
    }

    /** The installed device of the profile's type, or {@code null}. */
    public CommunicationDevice deviceFor(CommunicationProfile profile) {
        for (CommunicationDevice d : devices) {
            if (d.type().equals(profile.device())) {
                return d;
            }
        }
        return null;
    }

    /** Brings the open endpoints in line with the profiles and devices present now. */
    public void reconcile() {
        Map<String, ConfiguredProfile> wanted = new LinkedHashMap<>();
        for (ConfiguredProfile p : commandLine != null ? List.of(commandLine) : profiles) {
            if (p.enabled()) {
                wanted.putIfAbsent(p.profile().name(), p);
            }
        }
        for (Map.Entry<String, Open> e : List.copyOf(endpoints.entrySet())) {
            String name = e.getKey();
            ConfiguredProfile p = wanted.get(name);
            CommunicationDevice device = p == null ? null : deviceFor(p.profile());
            if (p != e.getValue().profile() || device != e.getValue().device()) {
                close(name, p == null ? "its profile was removed or disabled"
                        : device == null ? "the " + p.profile().device() + " device was removed"
                        : p != e.getValue().profile() ? "its profile changed" : "its device was replaced");
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
                Endpoint endpoint = opener.listen(device, profile);
                endpoints.put(name, new Open(endpoint, device, p));
                log.log(System.Logger.Level.INFO, "{0} listens on {1} (profile {2})", roleName, endpoint.address(), name);
            } catch (IOException | RuntimeException e) {
                problems.put(name, "profile '" + name + "': " + e.getMessage());
                log.log(System.Logger.Level.ERROR, "profile ''{0}'' cannot listen: {1}", name, e.getMessage());
            }
        }
    }

    /** Closes every endpoint, e.g. when the role stops. */
    public void closeAll(String why) {
        for (String name : List.copyOf(endpoints.keySet())) {
            close(name, why);
        }
    }

    private void close(String name, String why) {
        Open open = endpoints.remove(name);
        if (open != null) {
            log.log(System.Logger.Level.INFO, "{0} stops listening on {1}: {2}", roleName, open.endpoint().address(), why);
            open.endpoint().close();
        }
    }

    /**
     * The status to publish: what listens, what failed (after the role's own problems), what waits.
     *
     * @param ownProblems problems of the role's own settings, listed first
     * @param details     the role's detail lines
     */
    public RoleStatus status(List<String> ownProblems, List<String> details) {
        List<String> allProblems = new ArrayList<>(ownProblems);
        allProblems.addAll(problems.values());
        return new RoleStatus(listening(), allProblems, waiting, details,
                endpoints.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue().endpoint().address()).toList());
    }

    /** The addresses of the open endpoints. */
    public List<String> listening() {
        return endpoints.values().stream().map(o -> o.endpoint().address()).toList();
    }
}
