package org.tandemrc.api.comm;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A named configuration of one communication device: which device, and its settings (port, bind
 * address, MTU, proxy, relay account, ...). Profiles come from ConfigAdmin factory configurations;
 * this is their immutable, device-neutral form.
 */
public final class CommunicationProfile {

    private final String name;
    private final String device;
    private final Map<String, String> settings;

    /**
     * @param name     the profile name an operator sees, e.g. {@code default}
     * @param device   the {@link CommunicationDevice#type()} the profile is for
     * @param settings device settings; keys and values are copied
     */
    public CommunicationProfile(String name, String device, Map<String, String> settings) {
        this.name = requireText(name, "name");
        this.device = requireText(device, "device");
        this.settings = Map.copyOf(new TreeMap<>(Objects.requireNonNull(settings, "settings")));
    }

    /** The profile name. */
    public String name() {
        return name;
    }

    /** The device type this profile configures. */
    public String device() {
        return device;
    }

    /** All settings, unmodifiable. */
    public Map<String, String> settings() {
        return settings;
    }

    /** A text setting, or {@code fallback} when it is absent or blank (so null only for a null fallback). */
    public @Nullable String text(String key, @Nullable String fallback) {
        String value = settings.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * A whole-number setting within bounds, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException when the value is not a number or is out of bounds; the
     *                                  message names the profile, the key and the bounds
     */
    public int integer(String key, int fallback, int min, int max) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(describe(key, value) + " is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(describe(key, value) + " is outside " + min + ".." + max);
        }
        return parsed;
    }

    /**
     * The value of a {@link DeviceSetting.Type#INTEGER} setting within the bounds its descriptor gives.
     *
     * @throws IllegalArgumentException as {@link #integer(String, int, int, int)} does
     * @since 1.2
     */
    public int integer(DeviceSetting setting) {
        String fallback = setting.fallback();
        if (setting.type() != DeviceSetting.Type.INTEGER || fallback == null) {
            throw new IllegalArgumentException(setting.name() + " is no whole-number setting with a default");
        }
        return integer(setting.name(), Integer.parseInt(fallback), (int) setting.min(), (int) setting.max());
    }

    /**
     * The value of a {@link DeviceSetting.Type#CHOICE} setting, spelled as its descriptor spells it, or
     * its default when absent.
     *
     * @throws IllegalArgumentException when the value is none of the choices; the message names the
     *                                  profile, the key and the choices
     * @since 1.2
     */
    public String choice(DeviceSetting setting) {
        String value = text(setting.name(), null);
        if (value == null) {
            String fallback = setting.fallback();
            return fallback != null ? fallback : setting.choices().get(0);
        }
        String why = setting.refusal(value);
        if (why != null) {
            throw new IllegalArgumentException(describe(setting.name(), value) + " " + why);
        }
        return setting.choices().stream().filter(c -> c.equalsIgnoreCase(value)).findFirst().orElseThrow();
    }

    private String describe(String key, String value) {
        return "profile '" + name + "': " + key + "=" + value;
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a communication profile needs a " + what);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommunicationProfile p
                && name.equals(p.name) && device.equals(p.device) && settings.equals(p.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, device, settings);
    }

    @Override
    public String toString() {
        return name + " (" + device + ") " + settings;
    }
}
