package org.tandemrc.host.internal;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.security.Role;
import org.tandemrc.support.config.TypedConfig;

/** The built-in security roles of the reference, and parsing of custom ones. */
final class Roles {

    /** The built-in role of attended support: all privileges, confirm access and confirm control. */
    static final String ATTENDED = "Attended support";

    private Roles() {
    }

    static Map<String, Role> builtIn() {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("Full access", new Role("Full access", EnumSet.allOf(Privilege.class), false));
        // Tandem's role for attended support (the reference has none): everything, once the person at the
        // Host allows access and, separately, keyboard and mouse.
        roles.put(ATTENDED, new Role(ATTENDED, EnumSet.allOf(Privilege.class), true, true));
        roles.put("View only", new Role("View only", EnumSet.of(Privilege.VIEW_SCREEN), false));
        roles.put("Inventory only", new Role("Inventory only", EnumSet.of(Privilege.INVENTORY), false));
        roles.put("Remote management only",
                new Role("Remote management only", EnumSet.of(Privilege.REMOTE_MANAGEMENT), false));
        return roles;
    }

    /**
     * A role from its configuration: {@code name}, {@code privileges} (comma-separated privilege
     * names, e.g. {@code chat, send_message}, or {@code all}), {@code confirm.access} and {@code confirm.control}
     * (true/false).
     */
    static Role parse(Map<String, ?> config, String fallbackName) {
        RoleConfig c = TypedConfig.of(RoleConfig.class, RoleConfiguration.PID, config);
        String name = c.name().isEmpty() ? fallbackName : c.name();
        Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
        for (String part : c.privileges()) {
            String t = part.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("ALL")) {
                privileges.addAll(EnumSet.allOf(Privilege.class));
                continue;
            }
            try {
                privileges.add(Privilege.valueOf(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("role '" + name + "': unknown privilege '" + part.trim()
                        + "'; known: " + EnumSet.allOf(Privilege.class).toString().toLowerCase(Locale.ROOT));
            }
        }
        return new Role(name, privileges, c.confirm_access(), c.confirm_control());
    }

    static Optional<Role> find(Map<String, Role> roles, String name) {
        return Optional.ofNullable(roles.get(name));
    }
}
