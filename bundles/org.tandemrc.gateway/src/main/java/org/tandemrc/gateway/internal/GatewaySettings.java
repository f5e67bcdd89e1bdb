package org.tandemrc.gateway.internal;

import java.util.Map;

import org.tandemrc.protocol.logon.LogonLimits;

/**
 * The Gateway's own settings, from {@code etc/org.tandemrc.gateway.cfg}: {@code name} (how events name
 * this node), {@code max-password-attempts} (wrong passwords from one address within
 * {@code lockout-minutes} before that address is locked out for as long; 0 = no limit; default 5),
 * {@code lockout-minutes} (default 10), {@code logon-timeout} (seconds from the link's opening until
 * the route must be open; default 30), {@code idle-timeout} (seconds without a message either way
 * after which a route closes; 0 = never, the default), {@code max-queue} (bytes a direction may
 * queue when its sending link cannot pause; default 16 MiB), and the logon limits every role shares
 * ({@code logon.*}, see {@link LogonLimits#from}), which count attempts per address and per user.
 */
record GatewaySettings(String name, int maxPasswordAttempts, int lockoutMinutes, int logonTimeoutSeconds,
        int idleTimeoutSeconds, long maxQueue, LogonLimits limits) {

    GatewaySettings(String name, int maxPasswordAttempts, int lockoutMinutes, int logonTimeoutSeconds,
            int idleTimeoutSeconds, long maxQueue) {
        this(name, maxPasswordAttempts, lockoutMinutes, logonTimeoutSeconds, idleTimeoutSeconds, maxQueue,
                LogonLimits.defaults());
    }

    static GatewaySettings defaults() {
        return new GatewaySettings(defaultName(), 5, 10, 30, 0, 16L << 20);
    }

    static GatewaySettings parse(Map<String, ?> config) {
        GatewaySettings d = defaults();
        Object n = config.get("name");
        String name = n == null || String.valueOf(n).isBlank() ? d.name() : String.valueOf(n).trim();
        return new GatewaySettings(name,
                integer(config, "max-password-attempts", d.maxPasswordAttempts(), 0, 1000),
                integer(config, "lockout-minutes", d.lockoutMinutes(), 1, 24 * 60),
                integer(config, "logon-timeout", d.logonTimeoutSeconds(), 1, 600),
                integer(config, "idle-timeout", d.idleTimeoutSeconds(), 0, 7 * 24 * 3600),
                integer(config, "max-queue", (int) d.maxQueue(), 2 << 20, 1 << 30), limits(config));
    }

    private static LogonLimits limits(Map<String, ?> config) {
        try {
            return LogonLimits.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("org.tandemrc.gateway: " + e.getMessage());
        }
    }

    private static int integer(Map<String, ?> config, String key, int fallback, int min, int max) {
        Object v = config.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("org.tandemrc.gateway: " + key + "=" + v + " is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("org.tandemrc.gateway: " + key + "=" + v + " is outside " + min + ".." + max);
        }
        return parsed;
    }

    private static String defaultName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "gateway";
        }
    }
}
