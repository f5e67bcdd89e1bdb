package org.tandemrc.comm.udp.internal;

/**
 * The retransmission timeout of RFC 6298: smoothed round-trip time and its variation from samples taken
 * only from segments sent once (Karn), doubled on every timeout and reset by the next acknowledgement.
 * The floor is 200 ms (as Linux uses for TCP) rather than the RFC's conservative 1 s, the ceiling 60 s.
 */
final class RttEstimator {

    static final long INITIAL_NANOS = 1_000_000_000L;
    static final long MIN_NANOS = 200_000_000L;
    static final long MAX_NANOS = 60_000_000_000L;

    private long srtt = -1;
    private long rttvar;
    private long rto = INITIAL_NANOS;
    private int backoff;
    private long minRtt = Long.MAX_VALUE;

    /** One measured round trip, in nanoseconds. */
    void sample(long rtt) {
        rtt = Math.max(rtt, 1);
        minRtt = Math.min(minRtt, rtt);
        if (srtt < 0) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        rto = Math.min(MAX_NANOS, Math.max(MIN_NANOS, srtt + Math.max(1_000_000L, 4 * rttvar)));
        backoff = 0;
    }

    /** A new acknowledgement arrived: forget the exponential backoff. */
    void acknowledged() {
        backoff = 0;
    }

    /** The retransmission timer expired: double the timeout. */
    void timedOut() {
        backoff = Math.min(backoff + 1, 16);
    }

    /** The current timeout, with backoff, in nanoseconds. */
    long rto() {
        long r = rto;
        for (int i = 0; i < backoff && r < MAX_NANOS; i++) {
            r *= 2;
        }
        return Math.min(r, MAX_NANOS);
    }

    long srtt() {
        return srtt;
    }

    /** The smallest round trip seen, or 0 before any sample. */
    long minRtt() {
        return minRtt == Long.MAX_VALUE ? 0 : minRtt;
    }
}
