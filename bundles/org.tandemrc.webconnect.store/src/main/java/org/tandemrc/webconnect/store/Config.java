package org.tandemrc.webconnect.store;

import java.nio.file.Path;

/**
 * Addresses the manager and the relay share. Their settings are typed ({@link ServerConfig} and each
 * role's own) and read by {@code org.tandemrc.support.config.TypedConfig}.
 */
public final class Config {

    private Config() {
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
