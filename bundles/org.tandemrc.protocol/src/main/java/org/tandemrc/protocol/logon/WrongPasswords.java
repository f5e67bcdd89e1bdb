package org.tandemrc.protocol.logon;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Wrong passwords per address and the lockouts a role decides on after them (the Host's and the
 * Gateway's {@code max.attempts}), on top of the budgets of {@link LogonLimiter}. Counted per address,
 * not per connection, so that a client cannot reset its count by reconnecting. Bounded: the limiter
 * lets at most a few hundred wrong passwords an hour through, and past {@value #MAX_ADDRESSES}
 * addresses the oldest state is forgotten rather than memory growing.
 */
public final class WrongPasswords {

    static final int MAX_ADDRESSES = 50_000;
    /** More failures than this within one window change no decision. */
    private static final int MAX_PER_ADDRESS = 1_000;

    private final Clock clock;
    private final Map<String, ArrayDeque<Long>> failures = new HashMap<>();
    private final Map<String, Long> lockedUntil = new HashMap<>();

    public WrongPasswords(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records a wrong password from {@code address}.
     *
     * @return how many it sent within the last {@code window}, this one included
     */
    public synchronized int failed(String address, Duration window) {
        long now = clock.millis();
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.clear(); // at worst counts start afresh; the limiter still holds every address
        }
        ArrayDeque<Long> times = failures.computeIfAbsent(address, k -> new ArrayDeque<>());
        while (!times.isEmpty() && (now - times.peekFirst() > window.toMillis() || times.size() >= MAX_PER_ADDRESS)) {
            times.pollFirst();
        }
        times.addLast(now);
        return times.size();
    }

    /** Forgets the address's wrong passwords (after a successful logon). */
    public synchronized void forget(String address) {
        failures.remove(address);
    }

    /** Refuses the address for {@code d}. */
    public synchronized void lockOut(String address, Duration d) {
        long now = clock.millis();
        if (lockedUntil.size() >= MAX_ADDRESSES) {
            lockedUntil.values().removeIf(until -> until <= now);
            if (lockedUntil.size() >= MAX_ADDRESSES) {
                lockedUntil.clear();
            }
        }
        lockedUntil.put(address, now + d.toMillis());
    }

    /** How long the address stays locked out; zero when it is not. */
    public synchronized Duration lockedOut(String address) {
        Long until = lockedUntil.get(address);
        if (until == null) {
            return Duration.ZERO;
        }
        long left = until - clock.millis();
        if (left <= 0) {
            lockedUntil.remove(address);
            return Duration.ZERO;
        }
        return Duration.ofMillis(left);
    }
}
