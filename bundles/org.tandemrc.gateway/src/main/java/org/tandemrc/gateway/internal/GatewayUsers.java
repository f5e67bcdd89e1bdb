package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    private final Path file;

    GatewayUsers(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
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

    synchronized Optional<User> find(String name) throws IOException {
        return Optional.ofNullable(read().get(name));
    }

    synchronized Map<String, User> read() throws IOException {
        Map<String, User> users = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return users;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IOException(file + " line " + n + ": expected name, groups, targets and verifier separated by tabs");
            }
            try {
                users.put(f[0], new User(f[0], parseGroups(f[1]), parseTargets(f[2]), PasswordVerifier.decode(f[3])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage());
            }
        }
        return users;
    }

    /** Adds or replaces a user; answers whether the user existed before. */
    synchronized boolean put(User user) throws IOException {
        Map<String, User> users = read();
        boolean existed = users.put(user.name(), user) != null;
        write(users);
        return existed;
    }

    synchronized boolean remove(String name) throws IOException {
        Map<String, User> users = read();
        boolean removed = users.remove(name) != null;
        if (removed) {
            write(users);
        }
        return removed;
    }

    private void write(Map<String, User> users) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Tandem Gateway users as SRP verifiers (no password is stored): name, device groups, target patterns,");
        lines.add("# verifier. Managed by 'tandem admin gateway user ...'.");
        for (User u : users.values()) {
            lines.add(u.name() + "\t" + String.join(",", u.groups()) + "\t"
                    + String.join(",", u.targets().stream().map(Glob::toString).toList()) + "\t" + u.verifier().encode());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

}
