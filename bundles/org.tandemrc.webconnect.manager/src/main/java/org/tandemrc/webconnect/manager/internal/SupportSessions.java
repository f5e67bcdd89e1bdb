package org.tandemrc.webconnect.manager.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.webconnect.protocol.Support;
import org.tandemrc.webconnect.store.Store;

/**
 * Support sessions in {@code wc_support}: a supporter's Guest creates one and gets a code; a temporary
 * Host joins with the code through the logon engine (this class is the access method it runs, so the
 * logon limits, the charge per proof and the fixed answer time are the same as for a password); the
 * supporter's Guests then connect to {@code support:CODE}.
 *
 * <p>A session is {@code waiting} until a Host joins before the code expires, then {@code active} until
 * {@code ends} (the join plus the lifetime); it is bound to that Host's instance, so a second computer
 * with the same code is refused. Cancel and end delete the row; the manager's sweep deletes expired ones.
 *
 * <p>Each session also has a link token (128 random bits, base64url) for the manager's support page: the
 * session's link is {@code PAGE-URL/s/TOKEN} when the page is served. The token stays when the code is
 * extended or renewed, so the person's link keeps working and always offers the current code.
 */
final class SupportSessions {

    /** The access method of a Host joining with a code. */
    static final String METHOD = "webconnect-support-code";
    /** The one refusal of a code, whatever is wrong with it: a guesser learns nothing. */
    static final String REFUSED = "the support code is not valid (wrong, expired, cancelled or already used)";
    private static final String WAITING = "waiting";
    private static final String ACTIVE = "active";

    /**
     * The operator's limits ({@code support.*} keys).
     *
     * @param perSupporter  open sessions (waiting or active) one supporter may have
     * @param perAccount    open sessions one account may have
     * @param codeMinutes   how long a code is valid when the supporter asks for no other (and at most)
     * @param lifetimeHours how long a session lasts once joined, at most
     */
    record Limits(int perSupporter, int perAccount, int codeMinutes, int lifetimeHours) {
        static Limits defaults() {
            return new Limits(1, 5, 20, 24);
        }
    }

    /** A joined session: what the Host is told. */
    record Joined(String account, String hostName, String supporter, long ends, boolean first) {
    }

    private final Store store;
    private final SecureRandom random;
    private volatile Limits limits = Limits.defaults();
    /** The support page's base URL, or empty when there is no page (and no link). */
    private volatile String pageUrl = "";

    SupportSessions(Store store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    void limits(Limits l) {
        this.limits = l;
    }

    Limits limits() {
        return limits;
    }

    /** Links start with {@code url} (the support page's base, no trailing slash); empty: sessions have no link. */
    void pageUrl(String url) {
        this.pageUrl = url;
    }

    private String link(String token) {
        String base = pageUrl;
        return base.isEmpty() || token.isEmpty() ? "" : base + "/s/" + token;
    }

    /** A session waiting for its Host, as the support page shows it. */
    record Waiting(String code, String account, String supporter, long codeExpires) {
    }

    /**
     * The session of a link token while its code can still be used (waiting, not expired), else null:
     * a link to a session that is joined, ended, cancelled or expired offers nothing.
     */
    Waiting waiting(String token) throws SQLException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return null;
        }
        Row row = store.run(c -> {
            try (PreparedStatement s = c.prepareStatement(SELECT + " where link_token=?")) {
                s.setString(1, token);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? row(r) : null;
                }
            }
        });
        return row != null && row.state.equals(WAITING) && row.open(System.currentTimeMillis())
                ? new Waiting(row.code, row.account, row.supporter, row.codeExpires) : null;
    }

    /** What a link token looks like: 22 base64url characters (128 bits), room for longer ones. */
    static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22,64}");

    private String token() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Creates a session for {@code supporter} of {@code account}; minutes of 0 or less take the defaults. */
    Support.Session create(String account, String supporter, int codeMinutes, int lifetimeMinutes)
            throws SQLException, ManagerServer.Refused {
        String who = supporter == null ? "" : supporter.strip();
        if (who.isEmpty() || who.length() > 200 || who.chars().anyMatch(Character::isISOControl)) {
            throw new ManagerServer.Refused("a supporter's name is 1..200 printable characters");
        }
        Limits l = limits;
        int codeValid = codeMinutes(codeMinutes);
        int lifetime = lifetimeMinutes <= 0 ? l.lifetimeHours() * 60 : Math.min(lifetimeMinutes, l.lifetimeHours() * 60);
        Object result = store.transaction(c -> {
            long now = System.currentTimeMillis();
            int mine = open(c, "account=? and supporter=?", now, account, who);
            if (mine >= l.perSupporter()) {
                return "supporter '" + who + "' already has " + mine + " open support session" + (mine == 1 ? "" : "s")
                        + " (the limit is " + l.perSupporter() + ")";
            }
            int all = open(c, "account=?", now, account);
            if (all >= l.perAccount()) {
                return "account '" + account + "' already has " + all + " open support sessions (the limit is "
                        + l.perAccount() + ")";
            }
            String code = freeCode(c);
            String token = token();
            long expires = now + codeValid * 60_000L;
            Store.update(c, "insert into wc_support (code, account, supporter, created, code_expires, lifetime_minutes,"
                    + " activated, ends, host_name, host_instance, state, link_token) values (?,?,?,?,?,?,?,?,?,?,?,?)",
                    code, account, who, now, expires, lifetime, 0L, 0L, Support.hostName(code), "", WAITING, token);
            return new Support.Session(code, who, expires, lifetime, 0, WAITING, link(token));
        });
        if (result instanceof String refusal) {
            throw new ManagerServer.Refused(refusal);
        }
        return (Support.Session) result;
    }

    private Support.Session session(Row row, String code, long codeExpires, long ends, String state) {
        return new Support.Session(code, row.supporter, codeExpires, row.lifetime, ends, state, link(row.token));
    }

    private int codeMinutes(int asked) {
        int max = limits.codeMinutes();
        return asked <= 0 ? max : Math.min(asked, max);
    }

    /** Sessions of the condition still open: waiting with a valid code, or active within their lifetime. */
    private static int open(Connection c, String condition, long now, String... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from wc_support where " + condition
                + " and ((state='" + WAITING + "' and code_expires > ?) or (state='" + ACTIVE + "' and ends > ?))")) {
            int i = 1;
            for (String v : values) {
                s.setString(i++, v);
            }
            s.setLong(i++, now);
            s.setLong(i, now);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private String freeCode(Connection c) throws SQLException {
        for (int i = 0; i < 16; i++) {
            String code = String.format("%09d", random.nextInt(1_000_000_000));
            if (row(c, code) == null) {
                return code;
            }
        }
        throw new SQLException("no free support code after 16 draws");
    }

    /**
     * Extends (the code valid afresh), renews (a new code valid afresh, the old one dropped), cancels (before a Host joined) or ends a
     * session of {@code account}.
     *
     * @return the session as it stands after the change; cancelled and ended ones say so in their state
     */
    Support.Session change(String account, int action, String typed) throws SQLException, ManagerServer.Refused {
        String code = Support.normalize(typed);
        Object result = store.transaction(c -> {
            Row row = code == null ? null : row(c, code);
            long now = System.currentTimeMillis();
            if (row == null || !row.account.equals(account) || !row.open(now)) {
                return "no open support session '" + typed + "' for account '" + account + "'";
            }
            switch (action) {
                case Support.EXTEND, Support.RENEW -> {
                    if (!row.state.equals(WAITING)) {
                        return "support session " + Support.display(code) + " is already joined; its code is spent";
                    }
                    if (action == Support.EXTEND) {
                        long expires = now + codeMinutes(0) * 60_000L;
                        Store.update(c, "update wc_support set code_expires=? where code=?", expires, code);
                        return session(row, code, expires, 0, WAITING);
                    }
                    String fresh = freeCode(c);
                    long expires = now + codeMinutes(0) * 60_000L;
                    Store.update(c, "update wc_support set code=?, code_expires=?, host_name=? where code=?", fresh,
                            expires, Support.hostName(fresh), code);
                    return session(row, fresh, expires, 0, WAITING);
                }
                case Support.CANCEL -> {
                    if (!row.state.equals(WAITING)) {
                        return "support session " + Support.display(code) + " is already joined: end it instead";
                    }
                    Store.update(c, "delete from wc_support where code=?", code);
                    return session(row, code, row.codeExpires, 0, "cancelled");
                }
                case Support.STATUS -> {
                    return session(row, code, row.codeExpires, row.ends, row.state);
                }
                case Support.END -> {
                    Store.update(c, "delete from wc_support where code=?", code);
                    Store.update(c, "delete from wc_host where account=? and name=?", account, Support.hostName(code));
                    return session(row, code, row.codeExpires, now, "ended");
                }
                default -> {
                    return "unknown support action " + action;
                }
            }
        });
        if (result instanceof String refusal) {
            throw new ManagerServer.Refused(refusal);
        }
        return (Support.Session) result;
    }

    /** The open sessions of {@code account}, oldest first, at most {@link Support#MAX_LIST}. */
    List<Support.Session> list(String account) throws SQLException {
        return store.run(c -> {
            List<Support.Session> out = new ArrayList<>();
            long now = System.currentTimeMillis();
            try (PreparedStatement s = c.prepareStatement(SELECT + " where account=? order by created")) {
                s.setString(1, account);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next() && out.size() < Support.MAX_LIST) {
                        Row row = row(r);
                        if (row.open(now)) {
                            out.add(session(row, row.code, row.codeExpires, row.ends, row.state));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** The account of the open session of {@code code}, or null. */
    String account(String code) throws SQLException {
        Row row = store.run(c -> row(c, code));
        return row != null && row.open(System.currentTimeMillis()) ? row.account : null;
    }

    /** The Host a Guest of {@code account} reaches with {@code support:CODE}, or null. */
    String target(String account, String typed) throws SQLException {
        String code = Support.normalize(typed);
        if (code == null) {
            return null;
        }
        Row row = store.run(c -> row(c, code));
        return row != null && row.account.equals(account) && row.state.equals(ACTIVE)
                && row.ends > System.currentTimeMillis() ? row.hostName : null;
    }

    /** Whether the session of a joined Host still runs (not ended, within its lifetime). */
    boolean active(String code) throws SQLException {
        Row row = store.run(c -> row(c, code));
        return row != null && row.state.equals(ACTIVE) && row.ends > System.currentTimeMillis();
    }

    /**
     * Deletes sessions whose code expired unused and those past their lifetime.
     *
     * @return what it deleted, each as account, code, state (for the audit)
     */
    static List<String[]> sweep(Connection c, long now) throws SQLException {
        String where = " from wc_support where (state=? and code_expires < ?) or (state=? and ends < ?)";
        List<String[]> due = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select account, code, state" + where)) {
            s.setString(1, WAITING);
            s.setLong(2, now);
            s.setString(3, ACTIVE);
            s.setLong(4, now);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    due.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
        }
        List<String[]> gone = new ArrayList<>();
        for (String[] d : due) {
            // Another manager's sweep may have taken it meanwhile: one event per session.
            if (Store.update(c, "delete from wc_support where code=? and state=?", d[1], d[2]) == 1) {
                gone.add(d);
            }
        }
        return gone;
    }

    /** The access method the logon engine runs for a joining Host: proof {@code code} and {@code instance}. */
    Authenticator authenticator() {
        return new Authenticator() {
            @Override
            public String method() {
                return METHOD;
            }

            @Override
            public Exchange begin(String user, String sourceAddress) {
                return new Exchange() {
                    @Override
                    public Map<String, byte[]> challenge() {
                        return Map.of();
                    }

                    @Override
                    public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                        try {
                            Joined j = join(text(proof.get("code")), text(proof.get("instance")));
                            if (j == null) {
                                return AuthResult.denied(REFUSED);
                            }
                            return AuthResult.granted(new Identity(j.hostName(), METHOD, Set.of()), Map.of(
                                    "account", bytes(j.account()), "supporter", bytes(j.supporter()),
                                    "ends", bytes(Long.toString(j.ends())), "first", bytes(Boolean.toString(j.first()))));
                        } catch (SQLException e) {
                            return AuthResult.denied("the Connection Manager failed: " + e.getMessage());
                        }
                    }
                };
            }
        };
    }

    static Joined joined(AuthResult r) {
        Map<String, byte[]> a = r.answer();
        return new Joined(text(a.get("account")), r.identity().orElseThrow().name(), text(a.get("supporter")),
                Long.parseLong(text(a.get("ends"))), Boolean.parseBoolean(text(a.get("first"))));
    }

    /**
     * Activates a waiting session for {@code instance}, or lets the same instance back into its active
     * one; null for anything else. The answer time is fixed by the logon engine, so neither the lookup
     * nor the comparisons tell a guesser anything; the instance is still compared in constant time.
     */
    private Joined join(String typed, String instance) throws SQLException {
        String code = Support.normalize(typed);
        if (code == null || instance == null || instance.isEmpty() || instance.length() > 64) {
            return null;
        }
        return store.transaction(c -> {
            Row row = row(c, code);
            long now = System.currentTimeMillis();
            if (row == null || !MessageDigest.isEqual(bytes(row.code), bytes(code))) {
                return null;
            }
            if (row.state.equals(WAITING) && row.codeExpires > now) {
                long ends = now + row.lifetime * 60_000L;
                int changed = Store.update(c, "update wc_support set state=?, activated=?, ends=?, host_instance=?"
                        + " where code=? and state=?", ACTIVE, now, ends, instance, code, WAITING);
                return changed == 1 ? new Joined(row.account, row.hostName, row.supporter, ends, true) : null;
            }
            if (row.state.equals(ACTIVE) && row.ends > now && MessageDigest.isEqual(bytes(row.instance), bytes(instance))) {
                return new Joined(row.account, row.hostName, row.supporter, row.ends, false);
            }
            return null;
        });
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Row(String code, String account, String supporter, long codeExpires, int lifetime, long ends,
            String hostName, String instance, String state, String token) {
        boolean open(long now) {
            return state.equals(WAITING) ? codeExpires > now : ends > now;
        }
    }

    private static final String SELECT = "select code, account, supporter, code_expires, lifetime_minutes, ends,"
            + " host_name, host_instance, state, link_token from wc_support";

    private static Row row(Connection c, String code) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT + " where code=?")) {
            s.setString(1, code);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? row(r) : null;
            }
        }
    }

    private static Row row(ResultSet r) throws SQLException {
        return new Row(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getInt(5), r.getLong(6),
                r.getString(7), r.getString(8), r.getString(9), r.getString(10));
    }
}
