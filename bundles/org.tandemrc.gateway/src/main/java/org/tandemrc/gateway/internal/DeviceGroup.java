package org.tandemrc.gateway.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.support.config.FactoryName;
import org.tandemrc.support.config.TypedConfig;

/**
 * An outgoing device group of the Gateway, from {@code etc/org.tandemrc.gateway.group-NAME.cfg}:
 * {@code name} (default: the file's NAME) and {@code profiles} (comma-separated communication profile
 * names, tried in order). Guests name the group in their route request.
 */
@Component(service = DeviceGroup.class, configurationPid = DeviceGroup.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = GroupConfig.class, factory = true)
public class DeviceGroup {

    static final String PID = "org.tandemrc.gateway.group";

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
        GroupConfig c = TypedConfig.of(GroupConfig.class, PID, config);
        name = FactoryName.of(PID, c.name(), config);
        profiles = List.of(c.profiles());
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
