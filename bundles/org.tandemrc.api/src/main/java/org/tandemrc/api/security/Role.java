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
 * @param confirmControl whether the person at the Host must give keyboard and mouse separately: a Guest
 *                       of this role views once access is granted, and controls only once the person
 *                       agrees (as in attended support)
 */
public record Role(String name, Set<Privilege> privileges, boolean confirmAccess, boolean confirmControl) {

    public Role {
        Objects.requireNonNull(name, "name");
        // In the enum's order, so every listing of a role reads the same.
        privileges = privileges.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(EnumSet.copyOf(privileges));
    }

    /** A role whose control needs no consent of its own. */
    public Role(String name, Set<Privilege> privileges, boolean confirmAccess) {
        this(name, privileges, confirmAccess, false);
    }

    /** Whether the role allows every one of {@code needed}. */
    public boolean allows(Set<Privilege> needed) {
        return privileges.containsAll(needed);
    }
}
