package org.tandemrc.gateway.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A target pattern of a Gateway user: {@code *} matches any characters except a dot (so that
 * {@code 10.0.0.*} is not satisfied by a name such as {@code 10.0.0.1.evil.example}), {@code **} any
 * characters at all, {@code ?} one character. Case is ignored (host names are case-insensitive).
 */
final class Glob {

    private final String text;
    private final Pattern pattern;

    Glob(String text) {
        if (text == null || text.isBlank() || text.length() > 512) {
            throw new IllegalArgumentException("a target pattern is 1 to 512 characters, e.g. 10.0.0.* or terminal-server:*");
        }
        if (text.contains(",") || text.contains("\t") || text.contains(" ")) {
            throw new IllegalArgumentException("target pattern '" + text + "' contains a comma, tab or space");
        }
        this.text = text;
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^.]*");
                }
            } else if (c == '?') {
                re.append("[^.]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.pattern = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    boolean matches(String target) {
        return pattern.matcher(target.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
