package org.tandemrc.support.text;

import org.jspecify.annotations.Nullable;

/**
 * Rows of an export as RFC 4180 CSV: fields separated by commas, lines ending in CRLF, a field in double
 * quotes (a quote inside doubled) when it holds a comma, a quote, a line end or spaces at either end. A
 * field that starts with {@code =}, {@code +}, {@code -} or {@code @} (or a tab or carriage return before
 * one) gets a leading {@code '}: a spreadsheet would otherwise run it as a formula, and the text came from
 * a peer. The audit export and the Guest's inventory export write it.
 */
public final class Csv {

    private Csv() {
    }

    /** One line of fields, ending in CRLF. */
    public static String line(@Nullable String... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = fields[i] == null ? "" : fields[i];
            if (!f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0) {
                f = "'" + f;
            }
            if (f.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r') || !f.equals(f.strip())) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        return b.append("\r\n").toString();
    }
}
