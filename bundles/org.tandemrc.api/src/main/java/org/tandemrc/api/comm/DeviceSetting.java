package org.tandemrc.api.comm;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One setting a communication device reads from its profiles, as {@link CommunicationDevice#settings()}
 * publishes it: enough for a tool that does not know the device ({@code tandem admin profiles}, the
 * console) to check a profile and show it.
 *
 * @param name        the key in the profile, e.g. {@code port}
 * @param type        what values it takes
 * @param fallback    the value that applies when the profile leaves it out, as text; null when there is none
 * @param min         for {@link Type#INTEGER}: the least value; otherwise 0
 * @param max         for {@link Type#INTEGER}: the greatest value; otherwise 0
 * @param choices     for {@link Type#CHOICE}: the values it takes (compared ignoring case); otherwise empty
 * @param description one sentence for an operator
 */
public record DeviceSetting(String name, Type type, @Nullable String fallback, long min, long max,
        List<String> choices, String description) {

    /** What values a setting takes. */
    public enum Type {
        /** Any text. */
        TEXT,
        /** Text shown masked: a password or other secret. */
        SECRET,
        /** A whole number within {@link #min()}..{@link #max()}. */
        INTEGER,
        /** One of {@link #choices()}. */
        CHOICE
    }

    public DeviceSetting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
        if (type == Type.INTEGER && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        if (type == Type.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException(name + ": a choice needs choices");
        }
    }

    /** A text setting. */
    public static DeviceSetting text(String name, @Nullable String fallback, String description) {
        return new DeviceSetting(name, Type.TEXT, fallback, 0, 0, List.of(), description);
    }

    /** A secret setting, shown masked. */
    public static DeviceSetting secret(String name, String description) {
        return new DeviceSetting(name, Type.SECRET, null, 0, 0, List.of(), description);
    }

    /** A whole-number setting within {@code min..max}. */
    public static DeviceSetting integer(String name, int fallback, int min, int max, String description) {
        return new DeviceSetting(name, Type.INTEGER, Integer.toString(fallback), min, max, List.of(), description);
    }

    /** A setting that takes one of {@code choices}; the first is the default. */
    public static DeviceSetting choice(String name, List<String> choices, String description) {
        return new DeviceSetting(name, Type.CHOICE, choices.isEmpty() ? null : choices.get(0), 0, 0, choices, description);
    }

    /**
     * Why {@code value} is refused, worded to follow {@code key=value} (e.g. {@code is outside 1..65535}),
     * or null when this setting takes it. A blank value takes the default, so it is never refused.
     */
    public @Nullable String refusal(String value) {
        if (value.isBlank()) {
            return null;
        }
        switch (type) {
            case INTEGER:
                long parsed;
                try {
                    parsed = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    return "is not a whole number";
                }
                return parsed < min || parsed > max ? "is outside " + min + ".." + max : null;
            case CHOICE:
                String v = value.trim();
                return choices.stream().anyMatch(c -> c.equalsIgnoreCase(v)) ? null
                        : "is not " + String.join(", ", choices.subList(0, choices.size() - 1))
                                + (choices.size() > 1 ? " or " : "") + choices.get(choices.size() - 1);
            default:
                return null;
        }
    }
}
