package org.tandemrc.support.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A group→role map as an operator writes it ({@code role.map = tandem-admins=Full access, helpdesk=View only}),
 * and the groups an access method hands the Host for a proven user.
 *
 * <p>The Host gives an identity the role its first group names. A set has no order, so with a map the
 * identity carries exactly one group, the role of the first entry (in the order written) whose group the
 * user is in; a user in none of the mapped groups gets no identity at all. Without a map (a Security
 * Server decides roles by its own rules) the identity carries every group, each with the prefix.
 */
public final class GroupRoles {

    /** What a method's settings say of its {@code role.map} key. */
    public static final String MAP_DESCRIPTION = "GROUP=ROLE, ...: the first entry whose group the user is in gives"
            + " the Host role; a user in none is refused. Empty: the identity carries every group.";
    /** What a method's settings say of its {@code group.prefix} key. */
    public static final String PREFIX_DESCRIPTION = "Put before each group's name in the identity (without a role map).";

    /** The longest map accepted, in entries: it is read from configuration, not from a peer. */
    private static final int MAX_ENTRIES = 1000;

    private final Map<String, String> roles;

    private GroupRoles(Map<String, String> roles) {
        this.roles = roles;
    }

    /**
     * @param text {@code GROUP=ROLE} entries separated by commas; blank for no map
     * @throws IllegalArgumentException when an entry lacks its group or role, or a group appears twice
     */
    public static GroupRoles parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String entry : text.split(",")) {
                int eq = entry.indexOf('=');
                String group = eq < 0 ? "" : entry.substring(0, eq).trim();
                String role = eq < 0 ? "" : entry.substring(eq + 1).trim();
                if (group.isEmpty() || role.isEmpty()) {
                    throw new IllegalArgumentException("'" + entry.trim() + "' is not GROUP=ROLE");
                }
                if (m.put(group, role) != null) {
                    throw new IllegalArgumentException("the group " + group + " is mapped twice");
                }
                if (m.size() > MAX_ENTRIES) {
                    throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
                }
            }
        }
        return new GroupRoles(m);
    }

    /** Whether no group is mapped. */
    public boolean isEmpty() {
        return roles.isEmpty();
    }

    /**
     * The groups of the identity of a user in {@code groups}.
     *
     * @param groups the groups as the authority names them
     * @param prefix put before each group when there is no map (e.g. {@code ldap:})
     * @return the one mapped role, or every prefixed group without a map; empty when the map gives no role
     */
    public Optional<Set<String>> identityGroups(Collection<String> groups, String prefix) {
        if (roles.isEmpty()) {
            Set<String> all = new LinkedHashSet<>();
            groups.forEach(g -> all.add(prefix + g));
            return Optional.of(all);
        }
        return roles.entrySet().stream().filter(e -> groups.contains(e.getKey())).findFirst()
                .map(e -> Set.of(e.getValue()));
    }
}
