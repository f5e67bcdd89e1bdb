package org.tandemrc.api.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves, for code that takes a {@link Clock}: hours of limits and expiries in no time. */
public final class MovedClock extends Clock {

    private volatile long millis;

    /** Starts at {@code start}. */
    public MovedClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    /** Starts at an arbitrary fixed instant. */
    public MovedClock() {
        this(Instant.ofEpochMilli(1_000_000_000L));
    }

    /** Sets the time. */
    public void set(Instant now) {
        millis = now.toEpochMilli();
    }

    /** Moves the time on by {@code d}. */
    public void advance(Duration d) {
        millis += d.toMillis();
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
