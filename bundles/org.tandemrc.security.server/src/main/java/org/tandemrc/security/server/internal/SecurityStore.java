package org.tandemrc.security.server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.support.jdbc.Database;

/**
 * The Security Server's database ({@link Database}: H2 by default, PostgreSQL when several Security
 * Servers share one deployment). Every change that two servers could race on is one statement or one
 * transaction, so that both see one outcome (a one-time code's step is spent by a conditional update).
 *
 * <pre>
 * ss_node(fingerprint PK, name, kind, state, node_groups, first_seen, last_seen)  state: pending, approved, disabled
 * ss_guest(id PK, verifier, disabled, created)
 * ss_group(guest_id, grp, PK(guest_id, grp))
 * ss_rule(pos, guest_pattern, host_pattern, role_name)                       ordered by pos, 1..n
 * ss_otp(id PK, secret, otp_required, last_step)
 * ss_name(name PK, fingerprint, addresses, updated)
 * </pre>
 */
final class SecurityStore extends Database {

    private static final String[] SCHEMA = {
        "create table if not exists ss_node (fingerprint varchar(100) primary key, name varchar(128) not null,"
            + " kind varchar(16) not null, state varchar(16) not null, node_groups varchar(2000) not null,"
            + " first_seen bigint not null, last_seen bigint not null)",
        "create table if not exists ss_guest (id varchar(128) primary key, verifier varchar(4000) not null,"
            + " disabled int not null, created bigint not null)",
        "create table if not exists ss_group (guest_id varchar(128) not null, grp varchar(128) not null,"
            + " primary key (guest_id, grp))",
        "create table if not exists ss_rule (pos int not null, guest_pattern varchar(200) not null,"
            + " host_pattern varchar(200) not null, role_name varchar(128) not null)",
        "create table if not exists ss_otp (id varchar(128) primary key, secret varchar(200) not null,"
            + " otp_required int not null, last_step bigint not null)",
        "create table if not exists ss_name (name varchar(128) primary key, fingerprint varchar(100) not null,"
            + " addresses varchar(8000) not null, updated bigint not null)",
    };

    enum NodeState {
        PENDING, APPROVED, DISABLED;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static NodeState of(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    record Node(String fingerprint, String name, String kind, NodeState state, Set<String> groups, long lastSeen) {
    }

    record Guest(String id, String verifier, boolean disabled, Set<String> groups) {
    }

    record Rule(String guest, String host, String role) {
    }

    record Otp(String secret, boolean required, long lastStep) {
    }

    SecurityStore(String url, String user, String password) throws SQLException {
        super(url, user, password, SCHEMA);
    }

    // ---- nodes ----------------------------------------------------------------------------------

    Optional<Node> node(String fingerprint) throws SQLException {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("select fingerprint, name, kind, state, node_groups, last_seen"
                    + " from ss_node where fingerprint=?")) {
                p.setString(1, fingerprint);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(node(r)) : Optional.empty();
                }
            }
        });
    }

    List<Node> nodes() throws SQLException {
        return run(c -> {
            List<Node> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select fingerprint, name, kind, state, node_groups, last_seen"
                    + " from ss_node order by name, fingerprint"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(node(r));
                }
            }
            return out;
        });
    }

    private static Node node(ResultSet r) throws SQLException {
        return new Node(r.getString(1), r.getString(2), r.getString(3), NodeState.of(r.getString(4)),
                split(r.getString(5)), r.getLong(6));
    }

    /** Pending keys kept at most: anyone can make keys, so a flood of them must not fill the database. */
    int maxPending = 1000;

    /**
     * The node as known, after recording that it said hello now: an unknown key becomes a pending node
     * under the name it gave (another server may have inserted it meanwhile: then that row counts). Past
     * {@link #maxPending} pending keys, an unknown key is answered as pending without being recorded.
     */
    Node seen(String fingerprint, String name, String kind, long now) throws SQLException {
        Optional<Node> known = node(fingerprint);
        if (known.isEmpty() && pending() >= maxPending) {
            return new Node(fingerprint, name, kind, NodeState.PENDING, Set.of(), now);
        }
        if (known.isEmpty()) {
            try {
                update("insert into ss_node (fingerprint, name, kind, state, node_groups, first_seen, last_seen)"
                        + " values (?, ?, ?, ?, '', ?, ?)", fingerprint, name, kind, NodeState.PENDING.id(), now, now);
            } catch (SQLException e) {
                if (node(fingerprint).isEmpty()) {
                    throw e;
                }
            }
        } else {
            update("update ss_node set last_seen=?, kind=? where fingerprint=?", now, kind, fingerprint);
        }
        return node(fingerprint).orElseThrow(() -> new SQLException("node " + fingerprint + " vanished"));
    }

    private int pending() throws SQLException {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("select count(*) from ss_node where state=?")) {
                p.setString(1, NodeState.PENDING.id());
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    /** Approves a node, with a new name and groups when given; false when the key is unknown. */
    boolean approve(String fingerprint, String name, Set<String> groups) throws SQLException {
        return transaction(c -> {
            if (update(c, "update ss_node set state=? where fingerprint=?", NodeState.APPROVED.id(), fingerprint) == 0) {
                return false;
            }
            if (name != null) {
                update(c, "update ss_node set name=? where fingerprint=?", name, fingerprint);
            }
            if (groups != null) {
                update(c, "update ss_node set node_groups=? where fingerprint=?", String.join(",", groups), fingerprint);
            }
            return true;
        });
    }

    boolean disable(String fingerprint) throws SQLException {
        return update("update ss_node set state=? where fingerprint=?", NodeState.DISABLED.id(), fingerprint) == 1;
    }

    // ---- Guest IDs ------------------------------------------------------------------------------

    Optional<Guest> guest(String id) throws SQLException {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("select id, verifier, disabled from ss_guest where id=?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Guest(r.getString(1), r.getString(2), r.getInt(3) != 0, groups(c, id)));
                }
            }
        });
    }

    List<Guest> guests() throws SQLException {
        return run(c -> {
            List<Guest> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select id, verifier, disabled from ss_guest order by id");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Guest(r.getString(1), r.getString(2), r.getInt(3) != 0, Set.of()));
                }
            }
            List<Guest> withGroups = new ArrayList<>();
            for (Guest g : out) {
                withGroups.add(new Guest(g.id(), g.verifier(), g.disabled(), groups(c, g.id())));
            }
            return withGroups;
        });
    }

    private static Set<String> groups(Connection c, String id) throws SQLException {
        Set<String> groups = new LinkedHashSet<>();
        try (PreparedStatement p = c.prepareStatement("select grp from ss_group where guest_id=? order by grp")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    groups.add(r.getString(1));
                }
            }
        }
        return groups;
    }

    /** Adds a Guest ID, or gives an existing one a new verifier; groups replace its groups when not null. */
    boolean putGuest(String id, String verifier, Set<String> groups, long now) throws SQLException {
        return transaction(c -> {
            boolean existed = update(c, "update ss_guest set verifier=? where id=?", verifier, id) == 1;
            if (!existed) {
                update(c, "insert into ss_guest (id, verifier, disabled, created) values (?, ?, 0, ?)", id, verifier, now);
            }
            if (groups != null) {
                update(c, "delete from ss_group where guest_id=?", id);
                for (String g : groups) {
                    update(c, "insert into ss_group (guest_id, grp) values (?, ?)", id, g);
                }
            }
            return existed;
        });
    }

    boolean disableGuest(String id, boolean disabled) throws SQLException {
        return update("update ss_guest set disabled=? where id=?", disabled ? 1 : 0, id) == 1;
    }

    boolean deleteGuest(String id) throws SQLException {
        return transaction(c -> {
            update(c, "delete from ss_group where guest_id=?", id);
            update(c, "delete from ss_otp where id=?", id);
            return update(c, "delete from ss_guest where id=?", id) == 1;
        });
    }

    // ---- rules ----------------------------------------------------------------------------------

    List<Rule> rules() throws SQLException {
        return run(c -> {
            List<Rule> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select guest_pattern, host_pattern, role_name from ss_rule"
                    + " order by pos"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Rule(r.getString(1), r.getString(2), r.getString(3)));
                }
            }
            return out;
        });
    }

    /** Inserts a rule at {@code position} (1 first; beyond the end: last); answers where it went. */
    int addRule(int position, Rule rule) throws SQLException {
        return transaction(c -> {
            int count = count(c);
            int at = position < 1 || position > count ? count + 1 : position;
            update(c, "update ss_rule set pos=pos+1 where pos>=?", at);
            update(c, "insert into ss_rule (pos, guest_pattern, host_pattern, role_name) values (?, ?, ?, ?)", at,
                    rule.guest(), rule.host(), rule.role());
            return at;
        });
    }

    boolean removeRule(int position) throws SQLException {
        return transaction(c -> {
            if (update(c, "delete from ss_rule where pos=?", position) == 0) {
                return false;
            }
            update(c, "update ss_rule set pos=pos-1 where pos>?", position);
            return true;
        });
    }

    private static int count(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select count(*) from ss_rule"); ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    // ---- one-time codes -------------------------------------------------------------------------

    Optional<Otp> otp(String id) throws SQLException {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("select secret, otp_required, last_step from ss_otp where id=?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(new Otp(r.getString(1), r.getInt(2) != 0, r.getLong(3)))
                            : Optional.empty();
                }
            }
        });
    }

    /** A new secret for the ID (a new authenticator app); whether a code is required stays as it was. */
    void enrol(String id, String secret) throws SQLException {
        transaction(c -> {
            if (update(c, "update ss_otp set secret=?, last_step=-1 where id=?", secret, id) == 0) {
                update(c, "insert into ss_otp (id, secret, otp_required, last_step) values (?, ?, 0, -1)", id, secret);
            }
            return null;
        });
    }

    boolean require(String id, boolean required) throws SQLException {
        return update("update ss_otp set otp_required=? where id=?", required ? 1 : 0, id) == 1;
    }

    /**
     * Spends a code's step: true only for the first caller, on this server or another one on the same
     * database, so that a code is good once.
     */
    boolean spend(String id, long step) throws SQLException {
        return update("update ss_otp set last_step=? where id=? and last_step<?", step, id, step) == 1;
    }

    // ---- names ----------------------------------------------------------------------------------

    void register(String name, String fingerprint, List<String> addresses, long now) throws SQLException {
        transaction(c -> {
            String joined = String.join("\n", addresses);
            if (update(c, "update ss_name set fingerprint=?, addresses=?, updated=? where name=?", fingerprint, joined,
                    now, name) == 0) {
                update(c, "insert into ss_name (name, fingerprint, addresses, updated) values (?, ?, ?, ?)", name,
                        fingerprint, joined, now);
            }
            return null;
        });
    }

    List<String> resolve(String name) throws SQLException {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("select n.addresses from ss_name n join ss_node d on"
                    + " d.fingerprint=n.fingerprint where n.name=? and d.state=?")) {
                p.setString(1, name);
                p.setString(2, NodeState.APPROVED.id());
                try (ResultSet r = p.executeQuery()) {
                    return r.next() && !r.getString(1).isEmpty() ? List.of(r.getString(1).split("\n")) : List.<String>of();
                }
            }
        });
    }

    private static Set<String> split(String s) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        return out;
    }
}
