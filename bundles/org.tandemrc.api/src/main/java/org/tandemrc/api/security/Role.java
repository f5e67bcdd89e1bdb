package org.tandemrc.api.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A named security role: what a Guest may do, and whether the person at the Host must confirm.
 *
 * @param name           e.g. {@code Full access}, {@code View only}
 * @param privileges     what the role allows
 * @param confirmAccess  whether the person at the Host must accept before a session starts
 */
public record Role(String name, Set<Privilege> privileges, boolean confirmAccess) {

    public Role {
        Objects.requireNonNull(name, "name");
        // In the enum's order, so every listing of a role reads the same.
        privileges = privileges.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(EnumSet.copyOf(privileges));
    }

    /** Whether the role allows every one of {@code needed}. */
    public boolean allows(Set<Privilege> needed) {
        return privileges.containsAll(needed);
    }
}
