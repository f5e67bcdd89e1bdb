package org.tandemrc.webconnect.relay.internal;

/**
 * A bandwidth cap: {@code rate} bytes per second with a small burst (1/20 s of the rate, at least
 * 64 KiB). Bytes are charged after they passed; the answer is how long the reader must pause so the
 * average never exceeds the rate. The rate is the configured one for the whole life of the bucket.
 */
final class TokenBucket {

    private final long rate;
    private final long burst;
    private double tokens;
    private long last = System.nanoTime();

    /** @param rate bytes per second, more than 0 */
    TokenBucket(long rate) {
        this.rate = rate;
        this.burst = Math.max(64 * 1024, rate / 20);
        this.tokens = burst;
    }

    long rate() {
        return rate;
    }

    /** Charges {@code bytes}; returns the pause in nanoseconds the reader owes (0 for none). */
    synchronized long charge(long bytes) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * (double) rate / 1e9);
        last = now;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / rate);
    }
}
