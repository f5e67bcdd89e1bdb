package org.tandemrc.security.audit.internal;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

import org.tandemrc.api.event.Severity;
import org.tandemrc.support.text.PeerText;

/**
 * An audit row as an RFC 5424 syslog message, framed by octet counting for TCP (RFC 6587, RFC 5425):
 * {@code LEN SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [tandem@32473 ...] MSG}.
 *
 * <p>Facility 13 (log audit); severity 6 (informational) for {@link Severity#INFO}, 5 (notice) for
 * {@link Severity#WARNING}, 4 (warning) for {@link Severity#SECURITY}. MSGID is the event code, the
 * structured data element {@code tandem@32473} (the documentation enterprise number of RFC 5612: Tandem has
 * none of its own) holds {@code id}, {@code source}, {@code seq}, {@code code}, {@code node}, {@code peer},
 * {@code user}; MSG is the detail. Text from peers is first {@link PeerText#escape escaped} (no control
 * character reaches the receiver, a line end cannot start a message of its own), then, in parameter values,
 * {@code "}, {@code \} and {@code ]} get a backslash as RFC 5424 section 6.3.3 demands. Header fields take
 * printable ASCII only (other characters become {@code _}) within their RFC lengths.
 */
final class Syslog {

    /** The structured data element's id. */
    static final String SD_ID = "tandem@32473";
    private static final int FACILITY = 13;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Syslog() {
    }

    /** The message of {@code row} (without framing). */
    static String message(AuditRow row, String hostname, String app) {
        StringBuilder b = new StringBuilder(256);
        b.append('<').append(FACILITY * 8 + severity(row.severity())).append(">1 ")
                .append(TIME.format(row.time())).append(' ')
                .append(header(hostname, 255)).append(' ')
                .append(header(app, 48)).append(" - ")
                .append(header(row.code(), 32)).append(" [").append(SD_ID);
        param(b, "id", Long.toString(row.id()));
        param(b, "source", row.source());
        param(b, "seq", Long.toString(row.seq()));
        param(b, "code", row.code());
        param(b, "node", row.name().isEmpty() ? row.node() : row.name());
        param(b, "peer", row.peer());
        param(b, "user", row.user());
        b.append(']');
        if (!row.detail().isEmpty()) {
            b.append(' ').append(PeerText.escape(row.detail()));
        }
        return b.toString();
    }

    /** {@code message} framed for TCP: its UTF-8 length in decimal, a space, the message. */
    static byte[] framed(String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        byte[] len = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[len.length + m.length];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(m, 0, out, len.length, m.length);
        return out;
    }

    static int severity(Severity s) {
        if (s == null) {
            return 4;
        }
        return switch (s) {
            case INFO -> 6;
            case WARNING -> 5;
            case SECURITY -> 4;
        };
    }

    private static void param(StringBuilder b, String name, String value) {
        b.append(' ').append(name).append("=\"");
        String v = PeerText.escape(value);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    /** A header field: printable US-ASCII, at most {@code max} characters, {@code -} when empty. */
    static String header(String s, int max) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c >= 33 && c <= 126 ? c : '_');
        }
        return b.toString();
    }
}
