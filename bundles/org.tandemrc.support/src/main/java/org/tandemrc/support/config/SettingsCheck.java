package org.tandemrc.support.config;

/**
 * Refuses configuration values in one style, naming the PID, the key and the value as the operator
 * wrote them: {@code org.tandemrc.gateway: idle.timeout=0 is outside 1..600}. An operator who reads the
 * message finds the file ({@code etc/PID.cfg}) and the line without guessing.
 */
public final class SettingsCheck {

    private final String pid;

    public SettingsCheck(String pid) {
        this.pid = pid;
    }

    public String pid() {
        return pid;
    }

    /** The value when {@code min <= value <= max}. */
    public int range(String key, long value, int min, int max) {
        if (value < min || value > max) {
            throw outside(key, value, min, max);
        }
        return (int) value;
    }

    /** The value when {@code min <= value <= max}. */
    public long range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw outside(key, value, min, max);
        }
        return value;
    }

    /** {@code PID: key=value is outside min..max}. */
    public IllegalArgumentException outside(String key, Object value, long min, long max) {
        return invalid(key, value, "is outside " + min + ".." + max);
    }

    /** {@code PID: key=value WHY}, e.g. {@code is not a whole number}. */
    public IllegalArgumentException invalid(String key, Object value, String why) {
        return new IllegalArgumentException(pid + ": " + key + "=" + value + " " + why);
    }

    /** {@code PID: key is missing (WHAT)}. */
    public IllegalArgumentException missing(String key, String what) {
        return new IllegalArgumentException(pid + ": " + key + " is missing (" + what + ")");
    }
}
