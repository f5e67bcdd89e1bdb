package org.tandemrc.launcher;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One record per line in the node log: {@code DATE TIME LEVEL [LOGGER] MESSAGE}, then any stack trace.
 * Bundles escape the text a peer chose before they log it ({@code org.tandemrc.support.text.PeerText}); this
 * is the last line of defence for a place that forgot: control characters in a message or an
 * exception's message are written as {@code \n}, {@code \r}, {@code \t}, {@code \xHH}, so no record can
 * start a line that looks like another. Backslashes are left as they are, so text escaped already reads
 * the same. The launcher cannot use PeerText itself: it never loads an API class (see
 * docs/architecture.md, "Kernel").
 */
final class LineFormatter extends Formatter {

    @Override
    public String format(LogRecord r) {
        ZonedDateTime at = ZonedDateTime.ofInstant(r.getInstant(), ZoneId.systemDefault());
        StringBuilder b = new StringBuilder(128);
        b.append(String.format(Locale.ROOT, "%1$tF %1$tT.%1$tL %2$-7s [%3$s] ", at, r.getLevel().getLocalizedName(),
                r.getLoggerName()));
        b.append(oneLine(formatMessage(r))).append(System.lineSeparator());
        if (r.getThrown() != null) {
            trace(b, r.getThrown(), "", Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return b.toString();
    }

    /** A stack trace as the JDK prints it (without suppressed exceptions), each message on one line. */
    private static void trace(StringBuilder b, Throwable t, String prefix, Set<Throwable> seen) {
        if (!seen.add(t)) {
            b.append(prefix).append("[circular reference: ").append(oneLine(t.toString())).append(']')
                    .append(System.lineSeparator());
            return;
        }
        b.append(prefix).append(oneLine(t.toString())).append(System.lineSeparator());
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\tat ").append(e).append(System.lineSeparator());
        }
        if (t.getCause() != null) {
            trace(b, t.getCause(), "Caused by: ", seen);
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c >= 0x7f && c < 0xa0 || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b == null) {
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (!control) {
                        b.append(c);
                    } else if (c > 0xff) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    }
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
