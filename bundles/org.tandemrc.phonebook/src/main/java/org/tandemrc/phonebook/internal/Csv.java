package org.tandemrc.phonebook.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated lines as the reference's phonebook files use them: one record a line, a field in
 * double quotes when it holds a comma, a quote or a line break (a quote inside doubled, RFC 4180).
 * Spaces around an unquoted field are dropped, as the reference's own examples put a space after
 * some commas.
 */
final class Csv {

    private Csv() {
    }

    /** One line of fields, ending in CRLF. */
    static String line(String[] fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = fields[i];
            if (f.isEmpty() || f.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                    && f.equals(f.strip())) {
                b.append(f);
            } else {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            }
        }
        return b.append("\r\n").toString();
    }

    /** A line that could not be read, with its number. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(int line, String why) {
            super("line " + line + ": " + why);
        }
    }

    /** A record and the line it starts on. */
    record Row(int line, String[] fields) {
    }

    /** The records of a text; blank lines are skipped. */
    static List<Row> parse(String text) throws Malformed {
        List<Row> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = 0;
        boolean quotedField = false;
        boolean any = false;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            i = 1; // a byte-order mark, as spreadsheet programs write
        }
        while (i <= n) {
            char c = i < n ? text.charAt(i) : '\n';
            if (c == '"' && field.toString().isBlank() && !quotedField) {
                field.setLength(0);
                quotedField = true;
                any = true;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new Malformed(recordLine, "a quoted field does not end");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                // only spaces may follow the closing quote before the comma or the line's end
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                    throw new Malformed(line, "text after a quoted field's closing quote");
                }
                continue;
            }
            if (c == ',') {
                fields.add(quotedField ? field.toString() : field.toString().strip());
                field.setLength(0);
                quotedField = false;
                any = true;
                i++;
            } else if (c == '\r' || c == '\n') {
                if (any || !field.toString().isBlank()) {
                    fields.add(quotedField ? field.toString() : field.toString().strip());
                    records.add(new Row(recordLine, fields.toArray(String[]::new)));
                }
                fields.clear();
                field.setLength(0);
                quotedField = false;
                any = false;
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                i++;
                line++;
                recordLine = line;
            } else {
                if (quotedField) {
                    throw new Malformed(line, "text after a quoted field's closing quote");
                }
                field.append(c);
                i++;
            }
        }
        return records;
    }
}
