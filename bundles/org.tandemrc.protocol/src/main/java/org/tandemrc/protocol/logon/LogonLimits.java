package org.tandemrc.protocol.logon;

import java.time.Duration;
import java.util.function.Function;

/**
 * The numbers a {@link LogonLimiter} enforces. Each hourly figure is a ceiling over any hour: a burst
 * allowed at once, refilled evenly so that burst plus refill never exceed it.
 *
 * @param addressPerHour   password attempts from one source address in any hour
 * @param addressBurst     of those, how many may come at once
 * @param targetPerHour    attempts against one target (a Host, an account) from untrusted addresses in any hour
 * @param targetBurst      of those, how many may come at once
 * @param pendingPerAddress connections from one address that may wait to log on at the same time
 * @param challengesPerMinute challenges (expensive to compute) one address may ask for per minute, after a burst
 *                         of {@link #challengeBurst()}
 * @param answer           how long after a proof arrives its answer goes out, whatever the outcome
 * @param trust            how long an address that logged on stays trusted for its target
 */
public record LogonLimits(int addressPerHour, int addressBurst, int targetPerHour, int targetBurst,
        int pendingPerAddress, int challengesPerMinute, Duration answer, Duration trust) {

    /** The smallest burst of challenges an address may ask for at once. */
    public static final int CHALLENGE_BURST = 10;

    /** Challenges an address may ask for at once before {@link #challengesPerMinute} applies. */
    public int challengeBurst() {
        return Math.max(CHALLENGE_BURST, challengesPerMinute / 4);
    }

    public LogonLimits {
        check("addressPerHour", addressPerHour, 1, 100_000);
        check("addressBurst", addressBurst, 1, addressPerHour);
        check("targetPerHour", targetPerHour, 1, 1_000_000);
        check("targetBurst", targetBurst, 1, targetPerHour);
        check("pendingPerAddress", pendingPerAddress, 1, 10_000);
        check("challengesPerMinute", challengesPerMinute, 1, 100_000);
        if (answer.isNegative() || answer.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("answer time must be 0 to 10 s, not " + answer.toMillis() + " ms");
        }
        if (trust.isNegative()) {
            throw new IllegalArgumentException("trust must not be negative");
        }
    }

    /**
     * 30 attempts an hour from one address (5 at once; RustDesk allows 6 a minute and blocks at 30), 200
     * an hour against one target (20 at once), 8 connections waiting per address, 30 challenges a
     * minute per address, answers 0.5 s after the proof, trust for 30 days.
     */
    public static LogonLimits defaults() {
        return new LogonLimits(30, 5, 200, 20, 8, 30, Duration.ofMillis(500), Duration.ofDays(30));
    }

    /**
     * Reads {@code logon.address.hour}, {@code logon.address.burst}, {@code logon.target.hour},
     * {@code logon.target.burst}, {@code logon.pending.address}, {@code logon.challenges.minute},
     * {@code logon.answer.millis} and {@code logon.trust.days}; a missing or blank key keeps its default.
     *
     * @throws IllegalArgumentException naming the key, for a value that is not a number in range
     */
    public static LogonLimits from(Function<String, ?> settings) {
        LogonLimits d = defaults();
        return new LogonLimits(number(settings, "logon.address.hour", d.addressPerHour()),
                number(settings, "logon.address.burst", d.addressBurst()),
                number(settings, "logon.target.hour", d.targetPerHour()),
                number(settings, "logon.target.burst", d.targetBurst()),
                number(settings, "logon.pending.address", d.pendingPerAddress()),
                number(settings, "logon.challenges.minute", d.challengesPerMinute()),
                Duration.ofMillis(number(settings, "logon.answer.millis", (int) d.answer().toMillis())),
                Duration.ofDays(number(settings, "logon.trust.days", (int) d.trust().toDays())));
    }

    private static int number(Function<String, ?> settings, String key, int fallback) {
        Object v = settings.apply(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a whole number");
        }
    }

    private static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + "=" + value + " is outside " + min + ".." + max);
        }
    }

    /** One line for an operator. */
    public String describe() {
        return addressPerHour + "/h per address (" + addressBurst + " at once), " + targetPerHour
                + "/h per target from untrusted addresses (" + targetBurst + " at once), " + pendingPerAddress
                + " waiting connections per address, answers after " + answer.toMillis() + " ms";
    }
}
