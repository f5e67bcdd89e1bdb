package org.tandemrc.webconnect.store;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One JDBC connection to the WebConnect database, re-opened when it breaks. The driver is chosen by the
 * URL ({@code jdbc:h2:} or {@code jdbc:postgresql:}) and instantiated directly, because
 * {@code DriverManager} does not see drivers of other bundles in OSGi. Calls are serialized: each
 * component (manager, relay) owns one store; PostgreSQL serves many of them at once.
 *
 * <p>Schema (created when missing, same SQL on both databases):
 * <pre>
 * wc_account(name PK, verifier, max_connections, created)
 * wc_manager(id PK, public_key, address, heartbeat)
 * wc_relay(id PK, address, sessions, heartbeat, info)
 * wc_host(account, name, manager_id, instance, registered, PK(account, name))
 * wc_pairing(id PK, account, host_name, relay_id, created)
 * wc_offer(id PK, manager_id, account, host_name, pairing_id, resume, relay_id, relay_address, token, created)
 * wc_ticket(code PK, account, host_name, expires)
 * wc_support(code PK, account, supporter, created, code_expires, lifetime_minutes, activated, ends,
 *            host_name, host_instance, state, link_token)   state: waiting, active (activated and ends set), ended
 * </pre>
 * A column added to a table that already exists is added by an {@code alter table ... add column if not
 * exists} after the tables (both databases know it), so a database made by an older node is brought up
 * to date in place.
 */
public final class Store implements AutoCloseable {

    /** Work with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final String[] SCHEMA = {
        "create table if not exists wc_account (name varchar(64) primary key, verifier varchar(4000) not null,"
            + " max_connections int not null, created bigint not null)",
        "create table if not exists wc_manager (id varchar(64) primary key, public_key varchar(200) not null,"
            + " address varchar(200) not null, heartbeat bigint not null)",
        "create table if not exists wc_relay (id varchar(64) primary key, address varchar(200) not null,"
            + " sessions int not null, heartbeat bigint not null, info varchar(400) not null)",
        "create table if not exists wc_host (account varchar(64) not null, name varchar(64) not null,"
            + " manager_id varchar(64) not null, instance varchar(64) not null, registered bigint not null,"
            + " primary key (account, name))",
        "create table if not exists wc_pairing (id varchar(32) primary key, account varchar(64) not null,"
            + " host_name varchar(64) not null, relay_id varchar(64) not null, created bigint not null)",
        "create table if not exists wc_offer (id varchar(32) primary key, manager_id varchar(64) not null,"
            + " account varchar(64) not null, host_name varchar(64) not null, pairing_id varchar(32) not null,"
            + " resume int not null, relay_id varchar(64) not null, relay_address varchar(200) not null,"
            + " token varchar(2000) not null, created bigint not null)",
        "create table if not exists wc_ticket (code varchar(32) primary key, account varchar(64) not null,"
            + " host_name varchar(64) not null, expires bigint not null)",
        "create table if not exists wc_support (code varchar(16) primary key, account varchar(64) not null,"
            + " supporter varchar(200) not null, created bigint not null, code_expires bigint not null,"
            + " lifetime_minutes int not null, activated bigint not null, ends bigint not null,"
            + " host_name varchar(64) not null, host_instance varchar(64) not null, state varchar(16) not null,"
            + " link_token varchar(64) not null default '')",
        // wc_support tables made before the support page had no link token.
        "alter table wc_support add column if not exists link_token varchar(64) not null default ''",
        "create index if not exists wc_support_link on wc_support (link_token)",
        "create index if not exists wc_offer_manager on wc_offer (manager_id)",
        "create index if not exists wc_pairing_account on wc_pairing (account)",
    };

    private final String url;
    private final Properties properties = new Properties();
    private Connection connection;

    /**
     * @param url      {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
     * @param user     database user, may be empty
     * @param password database password, may be empty
     */
    public Store(String url, String user, String password) throws SQLException {
        this.url = url;
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        run(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /** The URL without credentials, for status output. */
    public String url() {
        return url;
    }

    /** Whether this is PostgreSQL. */
    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    private Driver driver() throws SQLException {
        if (url.startsWith("jdbc:h2:")) {
            return new org.h2.Driver();
        }
        if (postgres()) {
            return new org.postgresql.Driver();
        }
        throw new SQLException("unsupported database URL '" + url + "': use jdbc:h2:... or jdbc:postgresql://...");
    }

    /** Runs work on the connection (auto-commit), opening it again once if it broke. */
    public synchronized <T> T run(Work<T> work) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = driver().connect(url, properties);
                    if (connection == null) {
                        throw new SQLException("no driver accepts " + url);
                    }
                    connection.setAutoCommit(true);
                }
                return work.run(connection);
            } catch (SQLException e) {
                boolean broken = connection == null || !valid(connection);
                if (!broken || attempt > 0) {
                    throw e;
                }
                closeQuietly();
            }
        }
    }

    /**
     * Runs each {@code delete ... where COLUMN=?} with {@code key} (auto-commit, in order): how a server
     * removes what it registered under its id.
     */
    public void delete(String key, String... statements) throws SQLException {
        run(c -> {
            for (String sql : statements) {
                update(c, sql, key);
            }
            return null;
        });
    }

    /** One insert, update or delete on its own (auto-commit), as {@link #update(Connection, String, Object...)}. */
    public int update(String sql, Object... values) throws SQLException {
        return run(c -> update(c, sql, values));
    }

    /**
     * Runs one insert, update or delete on {@code c} (inside {@link #run} or {@link #transaction}) with
     * {@code values} bound to its parameters in order.
     *
     * @return the number of rows it changed
     */
    public static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                p.setObject(i + 1, values[i]);
            }
            return p.executeUpdate();
        }
    }

    /** Runs work in one transaction. */
    public synchronized <T> T transaction(Work<T> work) throws SQLException {
        return run(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // already broken
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
