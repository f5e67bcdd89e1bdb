package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.support.jdbc.Database;

/**
 * The hash-chained table {@code ss_audit} (see {@link AuditRow} for the hash) and its one-row head
 * {@code ss_audit_head} (the last id and hash). Every append locks the head row ({@code select ... for
 * update}) for its transaction, so Security Servers sharing one PostgreSQL database append to one chain, one
 * after the other, and ids are the chain's order. The head also tells a deletion of the last rows from an
 * untouched end.
 */
final class AuditStore implements AuditTrail, AutoCloseable {

    /** At most this many events of one call are stored; the node resends the rest after the acknowledgement. */
    static final int MAX_BATCH = 1000;
    /** Rows read at once when walking the table. */
    static final int PAGE = 1000;
    /** The most rows one search returns. */
    static final int MAX_LIMIT = org.tandemrc.security.audit.query.AuditQuery.MAX_LIMIT;

    static final String[] SCHEMA = {
        "create table if not exists ss_audit (id bigint primary key, source varchar(" + AuditRow.SOURCE_MAX
            + ") not null, name varchar(" + AuditRow.NAME_MAX + ") not null, seq bigint not null,"
            + " time timestamp(6) with time zone not null, code varchar(" + AuditRow.CODE_MAX + ") not null,"
            + " severity varchar(16) not null, node varchar(" + AuditRow.TEXT_MAX + ") not null, peer varchar("
            + AuditRow.TEXT_MAX + ") not null, \"user\" varchar(" + AuditRow.TEXT_MAX + ") not null,"
            + " detail varchar(" + AuditRow.DETAIL_MAX + ") not null, prev_hash varchar(64) not null,"
            + " hash varchar(64) not null, constraint ss_audit_source_seq unique (source, seq))",
        "create index if not exists ss_audit_time on ss_audit (time)",
        "create index if not exists ss_audit_code on ss_audit (code)",
        "create index if not exists ss_audit_name on ss_audit (name)",
        "create index if not exists ss_audit_user on ss_audit (\"user\")",
        "create table if not exists ss_audit_head (k int primary key, last_id bigint not null, hash varchar(64) not null)",
        "insert into ss_audit_head (k, last_id, hash) select 1, 0, '" + AuditRow.GENESIS
            + "' where not exists (select 1 from ss_audit_head where k = 1)",
        "create table if not exists ss_audit_forward (receiver varchar(300) primary key, last_id bigint not null)",
    };

    private final Database db;
    private final LongConsumer appended;

    /**
     * @param db       the database, its schema including {@link #SCHEMA}
     * @param appended told the highest id after each append that stored rows (the syslog forwarder)
     */
    AuditStore(Database db, LongConsumer appended) {
        this.db = db;
        this.appended = appended;
    }

    Database database() {
        return db;
    }

    @Override
    public long append(String source, String name, long first, List<AuditEvent> events) throws IOException {
        if (first < 0) {
            throw new IllegalArgumentException("event numbers start at 0, not " + first);
        }
        List<AuditEvent> batch = events.size() > MAX_BATCH ? events.subList(0, MAX_BATCH) : events;
        // {highest number stored for the source, last id when this call stored rows, else 0}
        long[] result;
        try {
            result = db.transaction(c -> {
                long lastId;
                String lastHash;
                try (PreparedStatement p = c.prepareStatement("select last_id, hash from ss_audit_head where k = 1 for update");
                        ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        throw new SQLException("ss_audit_head has no row: the table was tampered with");
                    }
                    lastId = r.getLong(1);
                    lastHash = r.getString(2);
                }
                long next = highest(c, source) + 1;
                int stored = 0;
                try (PreparedStatement insert = c.prepareStatement("insert into ss_audit (" + AuditRow.COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < batch.size(); i++) {
                        long seq = first + i;
                        if (seq < next) {
                            continue;
                        }
                        if (seq > next) {
                            break;
                        }
                        AuditRow row = AuditRow.chained(lastId + 1, source, name, seq, batch.get(i), lastHash);
                        bind(insert, row);
                        insert.addBatch();
                        lastId = row.id();
                        lastHash = row.hash();
                        next++;
                        stored++;
                    }
                    if (stored > 0) {
                        insert.executeBatch();
                        Database.update(c, "update ss_audit_head set last_id = ?, hash = ? where k = 1", lastId, lastHash);
                    }
                }
                return new long[] {next - 1, stored > 0 ? lastId : 0};
            });
        } catch (SQLException e) {
            throw new IOException("cannot store audit events: " + e.getMessage(), e);
        }
        if (result[1] > 0) {
            appended.accept(result[1]);
        }
        return result[0];
    }

    private static long highest(Connection c, String source) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select max(seq) from ss_audit where source = ?")) {
            p.setString(1, AuditRow.cut(source, AuditRow.SOURCE_MAX));
            try (ResultSet r = p.executeQuery()) {
                r.next();
                long max = r.getLong(1);
                return r.wasNull() ? -1 : max;
            }
        }
    }

    private static void bind(PreparedStatement p, AuditRow row) throws SQLException {
        p.setLong(1, row.id());
        p.setString(2, row.source());
        p.setString(3, row.name());
        p.setLong(4, row.seq());
        p.setObject(5, row.offsetTime());
        p.setString(6, row.code());
        p.setString(7, row.severity().name());
        p.setString(8, row.node());
        p.setString(9, row.peer());
        p.setString(10, row.user());
        p.setString(11, row.detail());
        p.setString(12, row.prevHash());
        p.setString(13, row.hash());
    }

    /** What {@link #verify} found: {@code problem} is null when the chain is whole. */
    record Verdict(long rows, long lastId, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    /** The head row: the last id and its hash. */
    private record Head(long id, String hash) {
    }

    private Head head() throws SQLException {
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("select last_id, hash from ss_audit_head where k = 1");
                    ResultSet r = p.executeQuery()) {
                return r.next() ? new Head(r.getLong(1), r.getString(2)) : null;
            }
        });
    }

    private long maxId() throws SQLException {
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("select coalesce(max(id), 0) from ss_audit");
                    ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /**
     * Walks the chain from the first row to the one the head names when the walk starts (rows appended
     * meanwhile wait for the next walk): each row's hash must be that of its columns and its prev_hash,
     * its prev_hash the hash of the row before, its id one more than that row's; the head's hash must be
     * the last row's. Afterwards no row may lie beyond the head: an append moves the head in the
     * transaction that adds its rows, so the highest id read before the head is never above it. The first
     * problem is named.
     */
    Verdict verify() throws IOException {
        try {
            Head head = head();
            if (head == null) {
                return new Verdict(0, 0, "the head (ss_audit_head) was deleted");
            }
            long count = 0;
            long prevId = 0;
            String prevHash = AuditRow.GENESIS;
            while (prevId < head.id()) {
                List<AuditRow> page = page(prevId, (int) Math.min(PAGE, head.id() - prevId));
                for (AuditRow row : page) {
                    if (row.id() > head.id()) {
                        break;
                    }
                    if (!row.hash().equals(row.computeHash())) {
                        return new Verdict(count, prevId, "row " + row.id() + " was changed: its hash does not match"
                                + " its columns");
                    }
                    if (row.id() != prevId + 1 || !row.prevHash().equals(prevHash)) {
                        String missing = row.id() == prevId + 2 ? "row " + (prevId + 1)
                                : row.id() > prevId + 1 ? "rows " + (prevId + 1) + " to " + (row.id() - 1)
                                : "a row before it";
                        return new Verdict(count, prevId, "row " + row.id() + " does not follow row " + prevId
                                + " (its prev_hash does not match): " + missing + " deleted or changed");
                    }
                    count++;
                    prevId = row.id();
                    prevHash = row.hash();
                }
                if (page.isEmpty() || page.get(page.size() - 1).id() > head.id()) {
                    break;
                }
            }
            if (prevId < head.id()) {
                return new Verdict(count, prevId, "the last rows were deleted: the head names row " + head.id()
                        + ", the table ends at row " + prevId);
            }
            if (!head.hash().equals(prevHash)) {
                return new Verdict(count, prevId, "the head (ss_audit_head) was changed: its hash is not that of row "
                        + prevId);
            }
            long max = maxId();
            Head now = head();
            if (now == null) {
                return new Verdict(count, prevId, "the head (ss_audit_head) was deleted");
            }
            if (max > now.id()) {
                return new Verdict(count, prevId, "the head (ss_audit_head) was changed: it names row " + now.id()
                        + ", the table goes on to row " + max);
            }
            return new Verdict(count, prevId, null);
        } catch (SQLException e) {
            throw new IOException("cannot read the audit trail: " + e.getMessage(), e);
        }
    }

    /** Up to {@code limit} rows after id {@code after}, in order. */
    List<AuditRow> page(long after, int limit) throws SQLException {
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("select " + AuditRow.COLUMNS
                    + " from ss_audit where id > ? order by id limit ?")) {
                p.setLong(1, after);
                p.setInt(2, limit);
                return rows(p);
            }
        });
    }

    private static List<AuditRow> rows(PreparedStatement p) throws SQLException {
        List<AuditRow> list = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                list.add(AuditRow.read(r));
            }
        }
        return list;
    }

    /**
     * What to search for; null or empty fields match everything. {@code node} matches the registered name
     * or the event's node; {@code code} is a prefix.
     */
    record Query(Instant since, Instant until, String node, String user, String code, int limit) {
        Query {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("the limit is 1 to " + MAX_LIMIT + ", not " + limit);
            }
        }
    }

    /** The rows matching {@code q} after id {@code after}, in id order, at most {@code q.limit()}. */
    List<AuditRow> search(Query q, long after) throws IOException {
        StringBuilder sql = new StringBuilder("select " + AuditRow.COLUMNS + " from ss_audit where id > ?");
        List<Object> values = new ArrayList<>();
        values.add(after);
        if (q.since() != null) {
            sql.append(" and time >= ?");
            values.add(q.since().atOffset(ZoneOffset.UTC));
        }
        if (q.until() != null) {
            sql.append(" and time < ?");
            values.add(q.until().atOffset(ZoneOffset.UTC));
        }
        if (q.node() != null && !q.node().isEmpty()) {
            sql.append(" and (name = ? or node = ?)");
            values.add(q.node());
            values.add(q.node());
        }
        if (q.user() != null && !q.user().isEmpty()) {
            sql.append(" and \"user\" = ?");
            values.add(q.user());
        }
        if (q.code() != null && !q.code().isEmpty()) {
            sql.append(" and code like ? escape '\\'");
            values.add(q.code().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        sql.append(" order by id limit ?");
        values.add(q.limit());
        try {
            return db.run(c -> {
                try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                    for (int i = 0; i < values.size(); i++) {
                        p.setObject(i + 1, values.get(i));
                    }
                    return rows(p);
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot search the audit trail: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
