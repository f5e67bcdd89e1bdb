package org.tandemrc.api.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who a Guest proved to be.
 *
 * @param name   the user or Guest ID, as shown in events ({@code %U} in log name patterns)
 * @param method the access method that proved it, e.g. {@code shared-password}, {@code guest-id}
 * @param groups the groups the identity belongs to, for role assignment; may be empty
 */
public record Identity(String name, String method, Set<String> groups) {
    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        groups = Set.copyOf(groups);
    }
}
