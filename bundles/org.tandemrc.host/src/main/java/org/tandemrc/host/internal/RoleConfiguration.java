package org.tandemrc.host.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.tandemrc.api.security.Role;

/**
 * A custom security role from {@code etc/org.tandemrc.host.role-NAME.cfg}: {@code name},
 * {@code privileges}, {@code confirm.access}. A role with a built-in role's name replaces it.
 */
@Component(service = RoleConfiguration.class, configurationPid = "org.tandemrc.host.role",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class RoleConfiguration {

    private Role role;
    private String problem;

    @Activate
    void activate(Map<String, Object> config) {
        String file = String.valueOf(config.getOrDefault("felix.fileinstall.filename", ""));
        String fallback = file.replaceFirst(".*/org\\.tandemrc\\.host\\.role-", "").replaceFirst("\\.(cfg|config)$", "");
        try {
            role = Roles.parse(config, fallback.isEmpty() ? String.valueOf(config.get("service.pid")) : fallback);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
    }

    /** The role, or null when its configuration is wrong (see {@link #problem()}). */
    Role role() {
        return role;
    }

    String problem() {
        return problem;
    }
}
