package org.tandemrc.host.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.security.Role;
import org.tandemrc.support.config.FactoryName;

/**
 * A custom security role from {@code etc/org.tandemrc.host.role-NAME.cfg}: {@code name},
 * {@code privileges}, {@code confirm.access}. A role with a built-in role's name replaces it.
 */
@Component(service = RoleConfiguration.class, configurationPid = RoleConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RoleConfig.class, factory = true)
public class RoleConfiguration {

    static final String PID = "org.tandemrc.host.role";

    private Role role;
    private String problem;

    @Activate
    void activate(Map<String, Object> config) {
        try {
            role = Roles.parse(config, FactoryName.of(PID, null, config));
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
