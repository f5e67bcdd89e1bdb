package org.tandemrc.security.server.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * The Security Server's settings, from {@code etc/org.tandemrc.security.server.cfg} (see
 * {@link SecurityServerConfig}).
 */
record SecuritySettings(String name, String listen, String databaseUrl, String databaseUser, String databasePassword,
        String directory, Set<String> otpRoles, String otpIssuer, LogonLimits limits) {

    static final String PID = "org.tandemrc.security.server";
    static final int PORT = 6510;
    static final String NO_DIRECTORY = "none";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    /** The default database under the node's home. */
    static String defaultDatabase(Path home) {
        return "jdbc:h2:" + home.resolve("data/security/security").toAbsolutePath().normalize();
    }

    static SecuritySettings parse(Map<String, ?> config, Path home) {
        SecurityServerConfig c = TypedConfig.of(SecurityServerConfig.class, PID, config);
        String url = c.database_url().isBlank() ? defaultDatabase(home) : c.database_url().trim();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw CHECK.invalid("database.url", url, "is not jdbc:h2:... or jdbc:postgresql://...");
        }
        String directory = c.directory().trim();
        if (!directory.equals(NO_DIRECTORY) && !LogonMethods.validName(directory)) {
            throw CHECK.invalid("directory", directory, "is not none or an access method name (a-z, 0-9, '.', '-')");
        }
        Set<String> roles = Arrays.stream(c.otp_roles().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        LogonLimits limits;
        try {
            limits = LogonLimits.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage());
        }
        return new SecuritySettings(c.name().isBlank() ? defaultName() : c.name().trim(), c.listen().trim(), url,
                c.database_user(), c.database_password(), directory, roles, c.otp_issuer(), limits);
    }

    private static String defaultName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "security-server";
        }
    }
}
