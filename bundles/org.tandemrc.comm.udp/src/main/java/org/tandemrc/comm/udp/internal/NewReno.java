package org.tandemrc.comm.udp.internal;

/**
 * NewReno-like congestion window, in bytes: slow start up to {@code ssthresh}, then additive increase of
 * about one segment per round trip; on loss (at most once per window of data, see {@link #inRecovery})
 * multiplicative decrease to half; on a retransmission timeout back to one segment.
 */
final class NewReno {

    static final int INITIAL_SEGMENTS = 10;

    private final int mss;
    private final long max;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryPoint = -1;
    private long accumulated;

    /**
     * @param mss the largest datagram, in bytes
     * @param max the largest window, in bytes (the peer's receive window bounds it anyway)
     */
    NewReno(int mss, long max) {
        this.mss = mss;
        this.max = max;
        this.cwnd = (long) INITIAL_SEGMENTS * mss;
    }

    long window() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }

    /** Bytes newly acknowledged; {@code sndUna} is the first sequence not yet acknowledged. */
    void acked(long bytes, long sndUna) {
        if (inRecovery(sndUna) || bytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd = Math.min(max, cwnd + bytes);
        } else {
            accumulated += bytes;
            if (accumulated >= cwnd) {
                accumulated -= cwnd;
                cwnd = Math.min(max, cwnd + mss);
            }
        }
    }

    /** Whether loss recovery is under way: the window was already cut for losses before {@code sndUna}. */
    boolean inRecovery(long sndUna) {
        return recoveryPoint >= 0 && sndUna < recoveryPoint;
    }

    /**
     * A loss was detected by acknowledgements.
     *
     * @param sndUna  first unacknowledged sequence
     * @param nextSeq the next sequence to be sent: recovery lasts until it is acknowledged
     * @return whether the window was cut (false while already recovering)
     */
    boolean lost(long sndUna, long nextSeq) {
        if (inRecovery(sndUna)) {
            return false;
        }
        ssthresh = Math.max(cwnd / 2, 2L * mss);
        cwnd = ssthresh;
        accumulated = 0;
        recoveryPoint = nextSeq;
        return true;
    }

    /** The retransmission timer expired: slow start again from one segment. */
    void timedOut(long nextSeq) {
        ssthresh = Math.max(cwnd / 2, 2L * mss);
        cwnd = mss;
        accumulated = 0;
        recoveryPoint = -1; // grow again by slow start while the lost data is sent anew
    }
}
