package org.tandemrc.webconnect.protocol;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How a Host waits between attempts to reach a Connection Manager: exponential backoff with full jitter
 * (each wait uniform in 0..ceiling, the ceiling doubling from {@code initial} up to {@code max} after each
 * failed attempt), so that thousands of Hosts that lost their manager at the same moment do not come back
 * at the same moments; and never sooner than a manager's RETRY asked. Not thread-safe: one per Host.
 */
public final class Backoff {

    private final long initial;
    private final long max;
    private long ceiling;

    /**
     * @param initialMillis the first ceiling, at least 1
     * @param maxMillis     the largest ceiling, at least {@code initialMillis}
     */
    public Backoff(long initialMillis, long maxMillis) {
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff " + initialMillis + ".." + maxMillis + " ms");
        }
        this.initial = initialMillis;
        this.max = maxMillis;
        this.ceiling = initialMillis;
    }

    /**
     * The wait before the next attempt, in milliseconds: {@code retryAfter} (what the manager asked, 0 for
     * nothing, at most {@link Resumption#MAX_RETRY_MILLIS}) plus a uniform draw in 0..ceiling; then the
     * ceiling doubles.
     */
    public long next(long retryAfterMillis) {
        long wait = Math.min(Math.max(0, retryAfterMillis), Resumption.MAX_RETRY_MILLIS)
                + ThreadLocalRandom.current().nextLong(ceiling + 1);
        ceiling = Math.min(max, ceiling * 2);
        return wait;
    }

    /** After a success: the next wait starts from the first ceiling again. */
    public void reset() {
        ceiling = initial;
    }

    /** The ceiling the next wait is drawn under. */
    public long ceiling() {
        return ceiling;
    }
}
