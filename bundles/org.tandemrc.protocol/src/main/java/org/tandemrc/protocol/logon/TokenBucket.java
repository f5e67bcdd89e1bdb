package org.tandemrc.protocol.logon;

/**
 * Holds up to {@code capacity} tokens and gains {@code capacity}-independent ones at a steady rate:
 * over any interval of length T at most {@code capacity + T / interval} tokens can be taken. Not
 * thread-safe: the limiter guards it.
 */
final class TokenBucket {

    private final int capacity;
    private final long intervalMillis;
    private double tokens;
    private long updated;

    TokenBucket(int capacity, long intervalMillis, long now) {
        this.capacity = capacity;
        this.intervalMillis = Math.max(1, intervalMillis);
        this.tokens = capacity;
        this.updated = now;
    }

    private void refill(long now) {
        if (now > updated) {
            tokens = Math.min(capacity, tokens + (double) (now - updated) / intervalMillis);
            updated = now;
        }
    }

    /** Milliseconds until a token is there; 0 when one is there now. */
    long waitMillis(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * intervalMillis);
    }

    boolean take(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    void giveBack(long now) {
        refill(now);
        tokens = Math.min(capacity, tokens + 1);
    }

    /** A full bucket carries no history and may be forgotten. */
    boolean full(long now) {
        refill(now);
        return tokens >= capacity;
    }
}
