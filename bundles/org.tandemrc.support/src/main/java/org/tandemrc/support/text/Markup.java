package org.tandemrc.support.text;

import org.jspecify.annotations.Nullable;

/**
 * The one escaping of text written into HTML or XML, as element content or a quoted attribute value:
 * a name a supporter typed on a web page, a field of a phonebook file.
 */
public final class Markup {

    private Markup() {
    }

    /**
     * The text with {@code & < > " '} written as references, and carriage return as {@code &#13;} (an XML
     * parser would otherwise turn it into a line feed); {@code null} gives the empty string.
     */
    public static String escape(@Nullable String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
