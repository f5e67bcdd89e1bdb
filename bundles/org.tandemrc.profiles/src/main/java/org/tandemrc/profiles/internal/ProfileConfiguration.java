package org.tandemrc.profiles.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.support.config.FactoryName;

/**
 * One communication profile, from one ConfigAdmin factory configuration of {@value #FACTORY_PID}
 * (a file {@code etc/org.tandemrc.profile-NAME.cfg}). Keys: {@code name} (default: the file's NAME),
 * {@code device} (required, e.g. {@code tcp}), {@code enabled} (default true), and the device's own
 * settings. A changed file replaces the service, so a Host re-listens with the new settings.
 */
@Component(service = ConfiguredProfile.class, configurationPid = ProfileConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class ProfileConfiguration implements ConfiguredProfile {

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
                    && !key.startsWith("osgi.")
                    && !key.equals("name") && !key.equals("device") && !key.equals("enabled")) {
                settings.put(key, String.valueOf(e.getValue()));
            }
        }
        String name = FactoryName.of(FACTORY_PID, text(config.get("name")), config);
        String device = text(config.get("device"));
        enabled = !"false".equalsIgnoreCase(text(config.get("enabled")));
        if (device.isEmpty()) {
            problem = "profile '" + name + "' names no device (add device=tcp to its configuration)";
            device = "none";
        }
        profile = new CommunicationProfile(name, device, settings);
    }

    @Override
    public CommunicationProfile profile() {
        return profile;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public String toString() {
        return profile.toString();
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value).trim();
    }
}
