package org.tandemrc.gateway.internal;

import java.util.Map;

import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * The Gateway's own settings, from {@code etc/org.tandemrc.gateway.cfg}, described by
 * {@link GatewayConfig} (keys {@code name}, {@code max.password.attempts}, {@code lockout.minutes},
 * {@code logon.timeout}, {@code idle.timeout}, {@code max.queue}; the old hyphenated spellings are still
 * read, with a warning), and the logon limits every role shares ({@code logon.*}, see
 * {@link LogonLimits#from}), which count attempts per address and per user.
 */
record GatewaySettings(String name, int maxPasswordAttempts, int lockoutMinutes, int logonTimeoutSeconds,
        int idleTimeoutSeconds, long maxQueue, LogonLimits limits, String method) {

    static final String PID = "org.tandemrc.gateway";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    GatewaySettings(String name, int maxPasswordAttempts, int lockoutMinutes, int logonTimeoutSeconds,
            int idleTimeoutSeconds, long maxQueue) {
        this(name, maxPasswordAttempts, lockoutMinutes, logonTimeoutSeconds, idleTimeoutSeconds, maxQueue,
                LogonLimits.defaults(), Gateway.METHOD);
    }

    static GatewaySettings defaults() {
        return new GatewaySettings(defaultName(), 5, 10, 30, 0, 16L << 20);
    }

    static GatewaySettings parse(Map<String, ?> config) {
        GatewayConfig c = TypedConfig.of(GatewayConfig.class, PID, config);
        return new GatewaySettings(c.name().isEmpty() ? defaultName() : c.name(),
                CHECK.range("max.password.attempts", c.max_password_attempts(), 0, 1000),
                CHECK.range("lockout.minutes", c.lockout_minutes(), 1, 24 * 60),
                CHECK.range("logon.timeout", c.logon_timeout(), 1, 600),
                CHECK.range("idle.timeout", c.idle_timeout(), 0, 7 * 24 * 3600),
                CHECK.range("max.queue", c.max_queue(), 2 << 20, 1 << 30), limits(config), method(c.method()));
    }

    private static String method(String method) {
        if (!LogonMethods.validName(method)) {
            throw CHECK.invalid("method", method, "is not an access method name (a-z, 0-9, '.', '-')");
        }
        return method;
    }

    private static LogonLimits limits(Map<String, ?> config) {
        try {
            return LogonLimits.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage());
        }
    }

    private static String defaultName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "gateway";
        }
    }
}
