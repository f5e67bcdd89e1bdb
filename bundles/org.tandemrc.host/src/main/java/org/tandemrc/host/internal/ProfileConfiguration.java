package org.tandemrc.host.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.tandemrc.api.comm.CommunicationProfile;

/**
 * One communication profile, from one ConfigAdmin factory configuration of {@value #FACTORY_PID}
 * (a file {@code etc/org.tandemrc.profile-NAME.cfg}). Keys: {@code name} (default: the file's NAME),
 * {@code device} (required, e.g. {@code tcp}), {@code enabled} (default true), and the device's own
 * settings. A changed file replaces the component, so the Host re-listens with the new settings.
 */
@Component(service = ProfileConfiguration.class, configurationPid = ProfileConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class ProfileConfiguration {

    static final String FACTORY_PID = "org.tandemrc.profile";

    private CommunicationProfile profile;
    private boolean enabled;
    private String problem;

    @Activate
    void activate(Map<String, Object> config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("service.") && !key.startsWith("component.") && !key.startsWith("felix.")
                    && !key.equals("name") && !key.equals("device") && !key.equals("enabled")) {
                settings.put(key, String.valueOf(e.getValue()));
            }
        }
        String name = text(config.get("name"));
        if (name.isEmpty()) {
            name = nameFromFile(text(config.get("felix.fileinstall.filename")));
        }
        if (name.isEmpty()) {
            name = text(config.get("service.pid"));
        }
        String device = text(config.get("device"));
        enabled = !"false".equalsIgnoreCase(text(config.get("enabled")));
        if (device.isEmpty()) {
            problem = "profile '" + name + "' names no device (add device=tcp to its configuration)";
            device = "none";
        }
        profile = new CommunicationProfile(name, device, settings);
    }

    /**
     * A profile from {@code --listen DEVICE:ADDRESS:PORT} (e.g. {@code tcp:127.0.0.1:6502} or
     * {@code tcp:[::1]:6502}).
     */
    static ProfileConfiguration fromCommandLine(String listen) {
        ProfileConfiguration p = new ProfileConfiguration();
        int colon = listen.indexOf(':');
        String device = listen.substring(0, colon);
        String rest = listen.substring(colon + 1);
        int portAt = rest.lastIndexOf(':');
        Map<String, String> settings = new LinkedHashMap<>();
        if (portAt > 0 && !rest.endsWith("]")) {
            String bind = rest.substring(0, portAt);
            settings.put("bind", bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind);
            settings.put("port", rest.substring(portAt + 1));
        } else {
            settings.put("bind", rest.startsWith("[") ? rest.substring(1, rest.length() - 1) : rest);
        }
        p.profile = new CommunicationProfile("command-line", device, settings);
        p.enabled = true;
        return p;
    }

    /** The configured profile. */
    CommunicationProfile profile() {
        return profile;
    }

    /** Whether the Host should listen with it. */
    boolean enabled() {
        return enabled;
    }

    /** Why the profile cannot be used as configured, or null. */
    String problem() {
        return problem;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }

    /** {@code file:/x/etc/org.tandemrc.profile-lan.cfg} names the profile {@code lan}. */
    static String nameFromFile(String url) {
        String file = url.substring(url.lastIndexOf('/') + 1).replaceFirst("\\.(cfg|config)$", "");
        return file.startsWith(FACTORY_PID + "-") ? file.substring(FACTORY_PID.length() + 1) : "";
    }
}
