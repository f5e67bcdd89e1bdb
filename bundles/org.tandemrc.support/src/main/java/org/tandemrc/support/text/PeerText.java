package org.tandemrc.support.text;

import org.jspecify.annotations.Nullable;
/**
 * The one escaping of text a peer chose (a Guest's or Host's name, a reason, a chat line, a path) before
 * it is written to a log, an event log, a history or a terminal.
 *
 * <p>The result is one line that cannot start another line, column or terminal command, and from which
 * the original can be read back: a backslash becomes {@code \\}; line feed, carriage return and tab
 * become {@code \n}, {@code \r}, {@code \t}; every other control character (C0, DEL, C1 such as the
 * single-byte CSI) becomes {@code \xHH}, so {@code ESC[2J} is written {@code \x1b[2J}; Unicode line and
 * paragraph separators, lone surrogates and format characters (bidirectional overrides that reorder what
 * is shown, zero-width characters, byte-order marks) become {@code \}{@code uHHHH}, except the zero-width
 * joiner and non-joiner, which only shape emoji and scripts. Everything else, letters of every script and
 * emoji included, stays as it is.
 */
public final class PeerText {

    private PeerText() {
    }

    /** The text escaped as described above; {@code null} gives the empty string. */
    public static String escape(@Nullable String s) {
        if (s == null) {
            return "";
        }
        if (clean(s)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(cp)) {
                        b.append("\\x").append(hex(cp, 2));
                    } else if (unsafe(cp)) {
                        b.append("\\u").append(hex(cp, 4));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Whether the text is written unchanged (nothing in it needs escaping). */
    public static boolean clean(String s) {
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\' || Character.isISOControl(cp) || unsafe(cp)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(int cp) {
        return switch (Character.getType(cp)) {
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            case Character.FORMAT -> cp != 0x200C && cp != 0x200D;
            default -> false;
        };
    }

    private static String hex(int cp, int digits) {
        String h = Integer.toHexString(cp);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }
}
