package org.tandemrc.comm.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The congestion window (NewReno-like) and the retransmission timeout (RFC 6298). */
class CongestionTest {

    private static final int MSS = 1200;

    @Test
    void slowStartThenHalvingOncePerWindowThenAdditiveIncrease() {
        NewReno cc = new NewReno(MSS, 2048L * MSS);
        assertEquals(10L * MSS, cc.window());
        cc.acked(10L * MSS, 10);
        assertEquals(20L * MSS, cc.window(), "slow start doubles per round trip");
        assertTrue(cc.lost(10, 30));
        assertEquals(10L * MSS, cc.window(), "loss halves the window");
        assertFalse(cc.lost(15, 30), "a second loss of the same window does not cut again");
        assertEquals(10L * MSS, cc.window());
        cc.acked(5L * MSS, 20);
        assertEquals(10L * MSS, cc.window(), "no growth while recovering");
        cc.acked(10L * MSS, 30); // recovery over: congestion avoidance, one segment per window
        assertEquals(11L * MSS, cc.window());
        cc.acked(5L * MSS, 35);
        assertEquals(11L * MSS, cc.window());
        assertTrue(cc.lost(35, 50));
        assertEquals(5L * MSS + MSS / 2, cc.window());
        cc.timedOut(50);
        assertEquals(MSS, cc.window(), "a timeout goes back to one segment");
        cc.acked(MSS, 36);
        assertEquals(2L * MSS, cc.window(), "and slow-starts again");
    }

    @Test
    void theWindowNeverExceedsItsCeiling() {
        NewReno cc = new NewReno(MSS, 16L * MSS);
        for (int i = 0; i < 10; i++) {
            cc.acked(100L * MSS, i);
        }
        assertEquals(16L * MSS, cc.window());
    }

    @Test
    void retransmissionTimeoutFollowsRfc6298WithBackoff() {
        RttEstimator rtt = new RttEstimator();
        assertEquals(1_000_000_000L, rtt.rto(), "1 s before any sample");
        rtt.sample(100_000_000L);
        // SRTT 100 ms, RTTVAR 50 ms: RTO = 100 + 4 * 50 = 300 ms
        assertEquals(300_000_000L, rtt.rto());
        rtt.sample(100_000_000L);
        // RTTVAR = 3/4 * 50 = 37.5 ms: RTO = 100 + 150 = 250 ms
        assertEquals(250_000_000L, rtt.rto());
        rtt.timedOut();
        assertEquals(500_000_000L, rtt.rto(), "doubled");
        rtt.timedOut();
        assertEquals(1_000_000_000L, rtt.rto());
        rtt.acknowledged();
        assertEquals(250_000_000L, rtt.rto(), "backoff forgotten");
        for (int i = 0; i < 50; i++) {
            rtt.sample(1_000);
        }
        assertEquals(RttEstimator.MIN_NANOS, rtt.rto(), "floor");
        for (int i = 0; i < 30; i++) {
            rtt.timedOut();
        }
        assertEquals(RttEstimator.MAX_NANOS, rtt.rto(), "ceiling");
    }
}
