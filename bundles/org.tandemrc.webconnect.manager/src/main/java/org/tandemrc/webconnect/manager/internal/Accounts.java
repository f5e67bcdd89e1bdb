package org.tandemrc.webconnect.manager.internal;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.store.Store;

/** WebConnect accounts in the database: SRP verifiers (never passwords) and connection limits. */
public final class Accounts {

    /** One account. {@code maxConnections} 0 means no limit. */
    public record Account(String name, PasswordVerifier verifier, int maxConnections) {
    }

    private final Store store;

    public Accounts(Store store) {
        this.store = store;
    }

    /** Adds or replaces an account. */
    public void put(String name, char[] password, int maxConnections) throws SQLException {
        put(name, PasswordVerifier.create(name, password, new SecureRandom()), maxConnections);
    }

    /** Adds or replaces an account with a verifier made elsewhere. */
    public void put(String name, PasswordVerifier verifier, int maxConnections) throws SQLException {
        if (!Logon.validName(name)) {
            throw new IllegalArgumentException("account names are 1..64 letters, digits, '.', '-' or '_'");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("--max-connections must be 0 (no limit) or more");
        }
        store.transaction(c -> {
            Store.update(c, "delete from wc_account where name=?", name);
            Store.update(c, "insert into wc_account (name, verifier, max_connections, created) values (?,?,?,?)", name,
                    verifier.encode(), maxConnections, System.currentTimeMillis());
            return null;
        });
    }

    public Optional<Account> find(String name) throws SQLException {
        return store.run(c -> {
            try (PreparedStatement s = c.prepareStatement("select verifier, max_connections from wc_account where name=?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Account(name, PasswordVerifier.decode(r.getString(1)), r.getInt(2)))
                            : Optional.<Account>empty();
                }
            }
        });
    }

    /** Whether an account was removed. Its Hosts stay connected until they reconnect. */
    public boolean remove(String name) throws SQLException {
        return store.update("delete from wc_account where name=?", name) > 0;
    }

    /** Rows: name, max connections, Hosts registered, connections now. */
    public List<String[]> list() throws SQLException {
        return store.run(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select a.name, a.max_connections,"
                    + " (select count(*) from wc_host h where h.account = a.name),"
                    + " (select count(*) from wc_pairing p where p.account = a.name) from wc_account a order by a.name");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString(1), r.getInt(2) == 0 ? "no limit" : Integer.toString(r.getInt(2)),
                        Integer.toString(r.getInt(3)), Integer.toString(r.getInt(4))});
                }
            }
            return rows;
        });
    }
}
