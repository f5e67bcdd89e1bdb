package org.tandemrc.webconnect.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Reads a manager's or relay's ConfigAdmin properties with clear errors. */
public final class Config {

    private final Map<String, Object> map;

    public Config(Map<String, Object> map) {
        this.map = map;
    }

    public String text(String key, String fallback) {
        Object v = map.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    public int integer(String key, int fallback) {
        String v = text(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i < 1) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a positive whole number");
        }
    }

    /** Bytes per second: a number, optionally with K or M (1024-based); 0 or absent = no cap. */
    public long bytes(String key) {
        String v = text(key, "0").toUpperCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("K")) {
            unit = 1024;
        } else if (v.endsWith("M")) {
            unit = 1024 * 1024;
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits.trim()) * unit;
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a bandwidth (bytes per second, K or M suffix)");
        }
    }

    /** HOST:PORT (or [IPv6]:PORT, or HOST alone) as {host, port}. */
    public static String[] hostPort(String text, int defaultPort) {
        int colon = text.lastIndexOf(':');
        if (colon < 0 || text.endsWith("]")) {
            return new String[] {text.replace("[", "").replace("]", ""), Integer.toString(defaultPort)};
        }
        return new String[] {text.substring(0, colon).replace("[", "").replace("]", ""), text.substring(colon + 1)};
    }

    /** The embedded H2 database in the node's data/ folder. */
    public static String defaultDatabase(String home) {
        Path dir = Path.of(home == null ? "." : home, "data");
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("webconnect") + ";AUTO_SERVER=TRUE";
    }
}
