package org.tandemrc.security.server.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.security.server.admin.SecurityAdministration;
import org.tandemrc.security.server.internal.SecurityStore.Node;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.otp.Totp;

/**
 * The one implementation of managing the Security Server: {@code tandem admin security} ({@link SecurityCommand})
 * and the browser console both run it, so a change from either is checked and recorded the same way.
 */
record Administration(SecurityServer server) implements SecurityAdministration {

    @Override
    public List<NodeInfo> nodes() throws IOException {
        List<NodeInfo> out = new ArrayList<>();
        for (Node n : db(() -> server.store.nodes())) {
            out.add(info(n));
        }
        return out;
    }

    private static NodeInfo info(Node n) {
        return new NodeInfo(n.fingerprint(), n.name(), n.kind(), n.state().id(), List.copyOf(n.groups()),
                Instant.ofEpochMilli(n.lastSeen()));
    }

    @Override
    public NodeInfo approve(String fingerprint, String name, List<String> groups, By by) throws IOException {
        if (name != null) {
            checkName(name, "the name");
        }
        groups.forEach(g -> checkName(g, "a group"));
        if (!db(() -> server.store.approve(fingerprint, name, groups.isEmpty() ? null : new LinkedHashSet<>(groups)))) {
            throw new IllegalArgumentException("no node with the key " + fingerprint + " has connected");
        }
        NodeInfo n = info(db(() -> server.store.node(fingerprint).orElseThrow()));
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_NODE, "approved " + n.name() + " (" + fingerprint + ")"
                + (n.groups().isEmpty() ? "" : " groups " + String.join(",", n.groups())));
        return n;
    }

    @Override
    public void disableNode(String fingerprint, By by) throws IOException {
        if (!db(() -> server.store.disable(fingerprint))) {
            throw new IllegalArgumentException("no node with the key " + fingerprint);
        }
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_NODE, "disabled " + fingerprint);
    }

    @Override
    public List<GuestInfo> guests() throws IOException {
        List<GuestInfo> out = new ArrayList<>();
        for (SecurityStore.Guest g : db(() -> server.store.guests())) {
            var otp = db(() -> server.store.otp(g.id()));
            out.add(new GuestInfo(g.id(), g.disabled(), List.copyOf(g.groups()), otp.isPresent(),
                    otp.map(SecurityStore.Otp::required).orElse(false)));
        }
        return out;
    }

    @Override
    public boolean putGuest(String id, char[] password, List<String> groups, By by) throws IOException {
        try {
            checkName(id, "the Guest ID");
            boolean exists = db(() -> server.store.guest(id)).isPresent();
            if (groups == null && !exists) {
                throw new IllegalArgumentException("there is no Guest ID " + id);
            }
            if (groups != null) {
                groups.forEach(g -> checkName(g, "a group"));
            }
            if (password.length == 0) {
                throw new IllegalArgumentException("the password is empty");
            }
            String verifier = PasswordVerifier.create(id, password, server.random).encode();
            var newGroups = groups == null ? null : new LinkedHashSet<>(groups);
            db(() -> server.store.putGuest(id, verifier, newGroups, server.clock.millis()));
            changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, (exists ? "password of Guest ID " : "Guest ID added ")
                    + id + (newGroups == null || newGroups.isEmpty() ? "" : " groups " + String.join(",", newGroups)));
            return exists;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public void disableGuest(String id, boolean disabled, By by) throws IOException {
        if (!db(() -> server.store.disableGuest(id, disabled))) {
            throw new IllegalArgumentException("there is no Guest ID " + id);
        }
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "Guest ID " + id + (disabled ? " disabled" : " enabled"));
    }

    @Override
    public void deleteGuest(String id, By by) throws IOException {
        if (!db(() -> server.store.deleteGuest(id))) {
            throw new IllegalArgumentException("there is no Guest ID " + id);
        }
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "Guest ID " + id + " deleted");
    }

    @Override
    public List<RuleInfo> rules() throws IOException {
        List<Rule> rules = db(() -> server.store.rules());
        List<RuleInfo> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            out.add(new RuleInfo(i + 1, r.guest(), r.host(), r.role()));
        }
        return out;
    }

    @Override
    public int addRule(int position, String guest, String host, String role, By by) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("a rule's position is 1 or more (0: at the end)");
        }
        Rule r = Rules.check(guest, host, role);
        int at = db(() -> server.store.addRule(position, r));
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "rule " + at + " added: guest " + r.guest() + " host "
                + r.host() + " role " + r.role());
        return at;
    }

    @Override
    public void removeRule(int position, By by) throws IOException {
        if (!db(() -> server.store.removeRule(position))) {
            throw new IllegalArgumentException("there is no rule " + position);
        }
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "rule " + position + " removed");
    }

    @Override
    public Enrolment enrol(String id, By by) throws IOException {
        checkName(id, "the user");
        Totp totp = Totp.of(Totp.newSecret(server.random));
        String secret = Totp.base32(totp.secret());
        db(() -> {
            server.store.enrol(id, secret);
            return null;
        });
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "one-time code enrolled for " + id);
        String uri = totp.uri(server.settings.otpIssuer(), id);
        return new Enrolment(id, secret, uri, Qr.svg(uri));
    }

    @Override
    public void requireOtp(String id, boolean required, By by) throws IOException {
        checkName(id, "the user");
        if (!db(() -> server.store.require(id, required))) {
            throw new IllegalArgumentException(id + " has not enrolled a one-time code: enrol it first");
        }
        changed(by, EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "one-time code " + (required ? "required"
                : "no longer required") + " for " + id);
    }

    private void changed(By by, String code, String what) {
        server.audit.record(code, Severity.INFO, by.from(), by.user(), what);
    }

    static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > SecurityServerWire.MAX_NAME || name.equals("*")
                || name.contains(",") || name.startsWith("-") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " '" + (name == null ? "" : name) + "' must be 1 to "
                    + SecurityServerWire.MAX_NAME + " printable characters, without a comma, not starting with '-',"
                    + " and not *");
        }
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException;
    }

    private static <T> T db(Sql<T> work) throws IOException {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IOException("the Security Server's database: " + e.getMessage(), e);
        }
    }
}
