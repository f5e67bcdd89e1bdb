package org.tandemrc.security.audit.query;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The central audit trail, read: {@code tandem admin audit} runs on it too. Bad input is refused with an
 * {@link IllegalArgumentException} whose message a person can act on; a database failure is an
 * {@link IOException}.
 */
@ProviderType
public interface AuditQuery {

    /** Rows a search returns when no limit is given. */
    int DEFAULT_LIMIT = 100;

    /** The largest limit. */
    int MAX_LIMIT = 100_000;

    /**
     * What to select: {@code since} inclusive, {@code until} exclusive, {@code node} the node's registered
     * name or the event's node, {@code user} the Guest, {@code code} a prefix; null: any.
     */
    record Filter(Instant since, Instant until, String node, String user, String code, int limit) {
    }

    /** A stored row; {@code severity} is {@code INFO}, {@code WARNING}, {@code SECURITY} or empty. */
    record Row(long id, Instant time, String source, String name, long seq, String code, String severity,
            String node, String peer, String user, String detail, String hash) {
    }

    /** A verification: {@code problem} null when the chain and its head match. */
    record Verdict(long rows, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * A filter from text as the command line takes it: times {@code 2026-12-05T10:00:00Z},
     * {@code 2026-12-05T10:00} or {@code 2026-12-05} (UTC), blank for none; {@code limit} blank for
     * {@code defaultLimit}, else 1 to {@link #MAX_LIMIT}.
     */
    Filter filter(String since, String until, String node, String user, String code, String limit, int defaultLimit);

    /** The first {@code filter.limit()} matching rows, in id order. */
    List<Row> search(Filter filter) throws IOException;

    /** Walks the chain; the result is also recorded ({@code TSECAUDIT}). */
    Verdict verify() throws IOException;

    /**
     * Writes at most {@code max} rows matching {@code filter} (its limit ignored) as RFC 4180 CSV, a page at
     * a time; returns how many.
     */
    long exportCsv(Filter filter, long max, Writer out) throws IOException;
}
