package org.tandemrc.support.config;

import java.util.Map;

/**
 * The name of one factory configuration when its own {@code name} key is empty: the NAME of the file
 * {@code etc/FACTORYPID-NAME.cfg} it came from, else its generated PID. Profiles, device groups and
 * custom roles are all named this way, so an operator can name any of them by its file alone.
 */
public final class FactoryName {

    private FactoryName() {
    }

    /**
     * @param factoryPid e.g. {@code org.tandemrc.profile}
     * @param configured the value of the instance's {@code name} key (may be {@code null} or blank)
     * @param config     the instance's properties (FileInstall puts its file in
     *                   {@code felix.fileinstall.filename})
     */
    public static String of(String factoryPid, String configured, Map<String, ?> config) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Object file = config.get("felix.fileinstall.filename");
        String name = file == null ? "" : fromFile(factoryPid, String.valueOf(file));
        return name.isEmpty() ? String.valueOf(config.get("service.pid")) : name;
    }

    /** {@code file:/x/etc/org.tandemrc.profile-lan.cfg} names the profile {@code lan}; other files nothing. */
    public static String fromFile(String factoryPid, String url) {
        String file = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\.(cfg|config)$", "");
        return file.startsWith(factoryPid + "-") ? file.substring(factoryPid.length() + 1) : "";
    }
}
