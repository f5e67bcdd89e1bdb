package org.tandemrc.support.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One JDBC connection to a node's database, re-opened when it breaks. The driver is chosen by the URL
 * ({@code jdbc:h2:} or {@code jdbc:postgresql:}) and instantiated directly, because {@code DriverManager}
 * does not see drivers of other bundles in OSGi (a bundle using this imports the drivers it may need,
 * optionally). Calls are serialized: each component owns one database object; PostgreSQL serves many of
 * them at once. The schema's statements run once at opening, in order, so they must be idempotent
 * ({@code create table if not exists}, {@code alter table ... add column if not exists}: both databases
 * know them).
 */
public class Database implements AutoCloseable {

    /** Work with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final String url;
    /** What the driver is given: for H2, the URL with WRITE_DELAY=0 unless it sets its own. */
    private final String connectUrl;
    private final Properties properties = new Properties();
    private Connection connection;

    /**
     * @param url      {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
     * @param user     database user, may be empty
     * @param password database password, may be empty
     * @param schema   statements that bring the database up to date, run in order at opening
     */
    public Database(String url, String user, String password, String... schema) throws SQLException {
        this.url = url;
        this.connectUrl = durable(url);
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        run(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : schema) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /**
     * H2 writes a commit to its file up to half a second later by default (WRITE_DELAY), so a process
     * killed in that time loses transactions it reported committed: a Security Server had acknowledged
     * audit events the node then forgot. With WRITE_DELAY=0 every commit is written before it returns (to
     * the operating system; a power cut is the file system's matter). PostgreSQL commits durably already.
     */
    static String durable(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
            return url;
        }
        return url + ";WRITE_DELAY=0";
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
                    connection = driver().connect(connectUrl, properties);
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
