package org.tandemrc.security.server.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.protocol.security.SecurityServerWire.Purpose;
import org.tandemrc.security.server.internal.SecurityStore.Rule;

/**
 * The role rules: an ordered list; each pairs a guest pattern ({@code user:NAME}, {@code group:NAME},
 * {@code *}) with a host pattern (a glob on the asking node's name, {@code *} any characters and
 * {@code ?} one, case ignored; or {@code group:NAME} of the node's groups) and gives a role. The first
 * rule that matches wins. The host pattern {@value #CONSOLE} is reserved for console logons (a supporter
 * logging on to a console): they match only such rules, and Host logons never do.
 */
final class Rules {

    static final String CONSOLE = "console";
    private static final String USER = "user:";
    private static final String GROUP = "group:";

    private Rules() {
    }

    /** Who is asking: the node's registered name and groups, and what the logon is for. */
    record Target(String node, Set<String> nodeGroups, Purpose purpose) {
    }

    /** The role of the first rule that matches, or empty: no rule gives one. */
    static Optional<String> role(List<Rule> rules, String user, Set<String> groups, Target target) {
        for (Rule r : rules) {
            if (host(r.host(), target) && guest(r.guest(), user, groups)) {
                return Optional.of(r.role());
            }
        }
        return Optional.empty();
    }

    /**
     * The roles a user whose groups are not known yet (a directory's user, before the bind) could get:
     * the roles of the rules for this target naming the user, every one, or any group.
     */
    static Set<String> possibleRoles(List<Rule> rules, String user, Target target) {
        Set<String> roles = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (host(r.host(), target) && (r.guest().startsWith(GROUP) || guest(r.guest(), user, Set.of()))) {
                roles.add(r.role());
            }
        }
        return roles;
    }

    static boolean guest(String pattern, String user, Set<String> groups) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith(USER)) {
            return pattern.substring(USER.length()).equals(user);
        }
        return pattern.startsWith(GROUP) && groups.contains(pattern.substring(GROUP.length()));
    }

    static boolean host(String pattern, Target t) {
        if (t.purpose() == Purpose.CONSOLE || pattern.equals(CONSOLE)) {
            return t.purpose() == Purpose.CONSOLE && pattern.equals(CONSOLE);
        }
        if (pattern.startsWith(GROUP)) {
            return t.nodeGroups().contains(pattern.substring(GROUP.length()));
        }
        return glob(pattern.toLowerCase(Locale.ROOT), t.node().toLowerCase(Locale.ROOT));
    }

    /**
     * Whether {@code name} matches {@code pattern}: greedy with one point to return to (the last
     * {@code *}), so the time grows with the lengths' product, never exponentially with the stars.
     */
    private static boolean glob(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /**
     * Checks a rule an administrator gives.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Rule check(String guest, String host, String role) {
        if (!(guest.equals("*") || named(guest, USER) || named(guest, GROUP))) {
            throw new IllegalArgumentException("--guest is user:NAME, group:NAME or *, not '" + guest + "'");
        }
        if (host.isEmpty() || host.length() > 200 || host.chars().anyMatch(c -> c < 0x21 || c == 0x7f)
                || host.startsWith(GROUP) && !named(host, GROUP)) {
            throw new IllegalArgumentException("--host is a name pattern (* and ?), group:NAME or "
                    + CONSOLE + ", not '" + host + "'");
        }
        if (role.isBlank() || role.length() > 128 || role.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("--role is a role name such as 'Full access' or 'View only'");
        }
        return new Rule(guest, host, role);
    }

    private static boolean named(String pattern, String prefix) {
        String rest = pattern.startsWith(prefix) ? pattern.substring(prefix.length()) : "";
        return !rest.isEmpty() && rest.length() <= 128 && rest.chars().noneMatch(c -> c < 0x21 || c == 0x7f);
    }
}
