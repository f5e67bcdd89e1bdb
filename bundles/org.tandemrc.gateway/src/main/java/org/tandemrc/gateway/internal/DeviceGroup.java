package org.tandemrc.gateway.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * An outgoing device group of the Gateway, from {@code etc/org.tandemrc.gateway.group-NAME.cfg}:
 * {@code name} (default: the file's NAME) and {@code profiles} (comma-separated communication profile
 * names, tried in order). Guests name the group in their route request.
 */
@Component(service = DeviceGroup.class, configurationPid = "org.tandemrc.gateway.group",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class DeviceGroup {

    private String name;
    private List<String> profiles = List.of();
    private String problem;

    public DeviceGroup() {
    }

    DeviceGroup(String name, List<String> profiles) {
        this.name = name;
        this.profiles = List.copyOf(profiles);
    }

    @Activate
    void activate(Map<String, Object> config) {
        String file = String.valueOf(config.getOrDefault("felix.fileinstall.filename", ""));
        String fallback = file.replaceFirst(".*/org\\.tandemrc\\.gateway\\.group-", "").replaceFirst("\\.(cfg|config)$", "");
        Object n = config.get("name");
        name = n != null && !String.valueOf(n).isBlank() ? String.valueOf(n).trim()
                : !fallback.isEmpty() && !fallback.equals(file) ? fallback : String.valueOf(config.get("service.pid"));
        List<String> list = new ArrayList<>();
        for (String p : String.valueOf(config.getOrDefault("profiles", "")).split(",")) {
            if (!p.isBlank()) {
                list.add(p.trim());
            }
        }
        profiles = List.copyOf(list);
        if (profiles.isEmpty()) {
            problem = "device group '" + name + "' names no profiles (add profiles = NAME, ... to its file)";
        }
    }

    String name() {
        return name;
    }

    List<String> profiles() {
        return profiles;
    }

    /** Why the group cannot be used, or null. */
    String problem() {
        return problem;
    }
}
