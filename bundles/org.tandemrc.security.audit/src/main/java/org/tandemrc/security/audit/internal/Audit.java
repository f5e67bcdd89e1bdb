package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.tandemrc.security.audit.query.AuditQuery;
import org.tandemrc.support.text.Csv;
import org.tandemrc.support.text.PeerText;

/**
 * The one implementation of reading the trail: {@code tandem admin audit} ({@link AuditCommand}) and the
 * browser console both run it.
 *
 * @param verified told each verification's result (the TSECAUDIT event)
 */
record Audit(AuditStore store, Consumer<AuditStore.Verdict> verified) implements AuditQuery {

    @Override
    public Filter filter(String since, String until, String node, String user, String code, String limit,
            int defaultLimit) {
        int n = defaultLimit;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the limit is a number, not " + PeerText.escape(limit));
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw new IllegalArgumentException("the limit is 1 to " + MAX_LIMIT);
            }
        }
        return new Filter(time(since), time(until), blankless(node), blankless(user), blankless(code), n);
    }

    private static String blankless(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Instant time(String t) {
        if (t == null || t.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    throw new IllegalArgumentException("not a time: " + PeerText.escape(t) + " (2026-12-05T10:00:00Z,"
                            + " 2026-12-05T10:00 or 2026-12-05, UTC)");
                }
            }
        }
    }

    private static AuditStore.Query query(Filter f, int limit) {
        return new AuditStore.Query(f.since(), f.until(), f.node(), f.user(), f.code(), limit);
    }

    @Override
    public List<Row> search(Filter filter) throws IOException {
        List<Row> out = new ArrayList<>();
        for (AuditRow r : store.search(query(filter, filter.limit()), 0)) {
            out.add(new Row(r.id(), r.time(), r.source(), r.name(), r.seq(), r.code(),
                    r.severity() == null ? "" : r.severity().name(), r.node(), r.peer(), r.user(), r.detail(), r.hash()));
        }
        return out;
    }

    @Override
    public Verdict verify() throws IOException {
        AuditStore.Verdict v = store.verify();
        verified.accept(v);
        return new Verdict(v.rows(), v.problem());
    }

    @Override
    public long exportCsv(Filter filter, long max, Writer w) throws IOException {
        long n = 0;
        w.write(Csv.line("id", "time", "source", "name", "seq", "code", "severity", "node", "peer", "user", "detail",
                "hash"));
        long after = 0;
        while (n < max) {
            int page = (int) Math.min(AuditStore.PAGE, max - n);
            List<AuditRow> rows = store.search(query(filter, page), after);
            for (AuditRow r : rows) {
                w.write(Csv.line(Long.toString(r.id()), r.time().toString(), r.source(), r.name(),
                        Long.toString(r.seq()), r.code(), r.severity() == null ? "" : r.severity().name(), r.node(),
                        r.peer(), r.user(), r.detail(), r.hash()));
                after = r.id();
            }
            n += rows.size();
            if (rows.size() < page) {
                break;
            }
        }
        return n;
    }
}
