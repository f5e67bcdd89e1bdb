package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tandemrc.protocol.logon.VerifierFile;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * The Gateway's users, as SRP verifiers only, in {@code etc/gateway-users} (owner-only): one line per
 * user, {@code NAME<TAB>GROUPS<TAB>TARGETS<TAB>VERIFIER}, where GROUPS is a comma-separated list of
 * device group names or {@code *} for all, and TARGETS a comma-separated list of {@link Glob} patterns.
 * Read afresh for every logon, so a change applies at once.
 */
final class GatewayUsers {

    /** One user. */
    record User(String name, List<String> groups, List<Glob> targets, PasswordVerifier verifier) {
        User {
            groups = List.copyOf(groups);
            targets = List.copyOf(targets);
        }

        boolean mayUse(String group) {
            return groups.contains("*") || groups.contains(group);
        }

        boolean mayReach(String target) {
            for (Glob g : targets) {
                if (g.matches(target)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final VerifierFile.Format<User> FORMAT = new VerifierFile.Format<>(4,
            "name, groups, targets and verifier",
            List.of("# Tandem Gateway users as SRP verifiers (no password is stored): name, device groups, target patterns,",
                    "# verifier. Managed by 'tandem admin gateway user ...'."),
            f -> new User(f[0], parseGroups(f[1]), parseTargets(f[2]), PasswordVerifier.decode(f[3])),
            u -> List.of(u.name(), String.join(",", u.groups()),
                    String.join(",", u.targets().stream().map(Glob::toString).toList()), u.verifier().encode()));

    private final VerifierFile<User> file;

    GatewayUsers(Path file) {
        this.file = new VerifierFile<>(file, FORMAT);
    }

    Path file() {
        return file.file();
    }

    static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 64 || name.contains("\t") || name.contains("\n")
                || !name.strip().equals(name)) {
            throw new IllegalArgumentException("a Gateway user name is 1 to 64 characters, without tabs or"
                    + " surrounding blanks");
        }
    }

    static List<String> parseGroups(String text) {
        List<String> groups = new ArrayList<>();
        for (String g : text.split(",")) {
            String t = g.trim();
            if (!t.isEmpty()) {
                if (t.length() > 64 || t.contains("\t")) {
                    throw new IllegalArgumentException("group name '" + t + "' is longer than 64 characters or has a tab");
                }
                groups.add(t);
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("give at least one device group (or * for all)");
        }
        return groups;
    }

    static List<Glob> parseTargets(String text) {
        List<Glob> targets = new ArrayList<>();
        for (String p : text.split(",")) {
            if (!p.trim().isEmpty()) {
                targets.add(new Glob(p.trim()));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("give at least one target pattern, e.g. 10.0.0.* or terminal-server:*");
        }
        return targets;
    }

    Optional<User> find(String name) throws IOException {
        return file.find(name);
    }

    Map<String, User> read() throws IOException {
        return file.read();
    }

    /** Adds or replaces a user; answers whether the user existed before. */
    boolean put(User user) throws IOException {
        return file.put(user);
    }

    boolean remove(String name) throws IOException {
        return file.remove(name);
    }
}
