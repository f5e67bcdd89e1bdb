package org.tandemrc.security.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;

/**
 * One stored row of {@code ss_audit}, and the chain's hash of it.
 *
 * <p>The hash: {@code hash = SHA-256(prev || encoding)}, where {@code prev} is the 32 bytes of the previous
 * row's hash (32 zero bytes before the first row) and {@code encoding} is every other column in table order:
 * {@code id} and {@code seq} as 8 bytes big-endian, {@code time} as its microseconds since 1970-01-01T00:00Z
 * as 8 bytes big-endian, and {@code source}, {@code name}, {@code code}, {@code severity} (the enum's name),
 * {@code node}, {@code peer}, {@code user}, {@code detail} each as its UTF-8 byte count (4 bytes big-endian)
 * followed by those bytes. The length prefixes keep {@code "ab","c"} and {@code "a","bc"} apart; the id in
 * the hash makes a row moved to another place in the chain fail as well. Hashes are stored as lowercase hex.
 */
record AuditRow(long id, String source, String name, long seq, Instant time, String code, Severity severity,
        String node, String peer, String user, String detail, String prevHash, String hash) {

    /** The previous hash of the first row. */
    static final String GENESIS = "0".repeat(64);

    /** Length bounds of the stored text (characters; longer text a node sends is cut, never refused). */
    static final int SOURCE_MAX = 128;
    static final int NAME_MAX = 255;
    static final int CODE_MAX = 32;
    static final int TEXT_MAX = 255;
    static final int DETAIL_MAX = 4000;

    /** A new row for {@code event} after the row whose hash is {@code prevHash}, its hash computed. */
    static AuditRow chained(long id, String source, String name, long seq, AuditEvent event, String prevHash) {
        // Both databases keep microseconds: the hash must cover what is read back.
        Instant time = event.time().truncatedTo(ChronoUnit.MICROS);
        AuditRow r = new AuditRow(id, cut(source, SOURCE_MAX), cut(name, NAME_MAX), seq, time,
                cut(event.code(), CODE_MAX), event.severity(), cut(event.node(), TEXT_MAX), cut(event.peer(), TEXT_MAX),
                cut(event.user(), TEXT_MAX), cut(event.detail(), DETAIL_MAX), prevHash, "");
        return r.withHash(r.computeHash());
    }

    private AuditRow withHash(String h) {
        return new AuditRow(id, source, name, seq, time, code, severity, node, peer, user, detail, prevHash, h);
    }

    /** The columns of a select, in this order. */
    static final String COLUMNS = "id, source, name, seq, time, code, severity, node, peer, \"user\", detail, prev_hash, hash";

    static AuditRow read(ResultSet r) throws SQLException {
        Severity severity;
        try {
            severity = Severity.valueOf(r.getString(7));
        } catch (IllegalArgumentException e) {
            // An edited severity: keep the row readable; its hash cannot match, so verify names it.
            severity = null;
        }
        return new AuditRow(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4),
                r.getObject(5, OffsetDateTime.class).toInstant(), r.getString(6), severity, r.getString(8),
                r.getString(9), r.getString(10), r.getString(11), r.getString(12), r.getString(13));
    }

    /** The time as the database column takes it. */
    OffsetDateTime offsetTime() {
        return time.atOffset(ZoneOffset.UTC);
    }

    /** The hash this row's columns and its prev_hash give (what {@link #hash} must be). */
    String computeHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] prev;
            try {
                prev = HexFormat.of().parseHex(prevHash);
            } catch (IllegalArgumentException e) {
                prev = prevHash.getBytes(StandardCharsets.UTF_8); // an edited prev_hash: never matches
            }
            sha.update(prev);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(id);
            text(out, source);
            text(out, name);
            out.writeLong(seq);
            out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, time));
            text(out, code);
            text(out, severity == null ? "" : severity.name());
            text(out, node);
            text(out, peer);
            text(out, user);
            text(out, detail);
            out.flush();
            return HexFormat.of().formatHex(sha.digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** At most {@code max} characters, never half a surrogate pair. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
