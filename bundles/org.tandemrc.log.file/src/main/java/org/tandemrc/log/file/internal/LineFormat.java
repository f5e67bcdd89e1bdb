package org.tandemrc.log.file.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.support.text.PeerText;

/**
 * Turns an event into one log line: time, code, severity, node, peer, user, detail, separated by tabs,
 * without the line end. Every field is {@link PeerText#escape escaped} (a tab is written {@code \t}, a
 * line end {@code \n}), so no field can start a new column or line, and the original stays readable. The node
 * and peer columns are the names the {@link FileEventSink name patterns} expand to.
 */
final class LineFormat {

    /** Which side of a connection the recording node is. */
    enum Role {
        HOST, GUEST;

        static Role of(String property) {
            return "guest".equalsIgnoreCase(property == null ? "" : property.trim()) ? GUEST : HOST;
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+(?:%[\\w.-]+)?)\\](?::\\d{1,5})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%[\\w.-]+)?");
    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}");

    private final Role role;
    private final String hostPattern;
    private final String guestPattern;
    private final String logonUser;

    LineFormat(Role role, String hostPattern, String guestPattern, String logonUser) {
        this.role = role;
        this.hostPattern = hostPattern == null || hostPattern.isEmpty() ? "%C" : hostPattern;
        this.guestPattern = guestPattern == null || guestPattern.isEmpty() ? "%C" : guestPattern;
        this.logonUser = logonUser == null ? "" : logonUser;
    }

    String format(AuditEvent event) {
        boolean host = role == Role.HOST;
        String node = expand(host ? hostPattern : guestPattern, !host, true, event);
        String peer = expand(host ? guestPattern : hostPattern, host, false, event);
        return String.join("\t", event.time().toString(), PeerText.escape(event.code()),
                event.severity().name(), PeerText.escape(node), PeerText.escape(peer), PeerText.escape(event.user()),
                PeerText.escape(event.detail()));
    }

    /**
     * Expands one name pattern. {@code guest}: the pattern names the Guest (only then is {@code %U} a
     * placeholder); {@code local}: it names the recording node rather than its peer.
     */
    private String expand(String pattern, boolean guest, boolean local, AuditEvent event) {
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                continue;
            }
            char p = pattern.charAt(i + 1);
            String value = switch (p) {
                case 'C', 'I' -> local ? event.node() : event.peer();
                case 'L' -> local ? logonUser : "";
                case 'A' -> local ? "" : address(event.peer());
                case 'U' -> guest ? event.user() : null;
                case '%' -> "%";
                default -> null;
            };
            if (value == null) {
                out.append(c); // not a placeholder here: keep it as typed
            } else {
                out.append(value);
                i++;
            }
        }
        return out.toString();
    }

    /** The IP or MAC address a peer string names, without port or brackets; empty when it is a name. */
    static String address(String peer) {
        String s = peer.strip();
        Matcher m;
        if ((m = BRACKETED.matcher(s)).matches() || (m = IPV4_PORT.matcher(s)).matches()) {
            return m.group(1);
        }
        if (IPV4.matcher(s).matches() || MAC.matcher(s).matches() || IPV6.matcher(s).matches()) {
            return s;
        }
        return "";
    }
}
