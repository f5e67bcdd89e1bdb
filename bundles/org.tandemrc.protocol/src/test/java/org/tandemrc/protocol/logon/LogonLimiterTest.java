package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.testing.MovedClock;

/** The default limits over hours of simulated time: an attacker that tries as often as it can. */
class LogonLimiterTest {


    private static int maxInAnyHour(List<Long> times) {
        int best = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= 3_600_000L) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    @Test
    void oneAddressGetsAtMost30AttemptsInAnyHour() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        List<Long> allowed = new ArrayList<>();
        // Every 50 ms for 5 hours, on fresh ports (new connections): 360,000 tries.
        for (int i = 0; i < 360_000; i++) {
            if (limiter.attempt("127.0.0.2:" + (1024 + i % 60_000), "host").allowed()) {
                allowed.add(clock.millis());
            }
            clock.advance(Duration.ofMillis(50));
        }
        System.out.println("one address, 5 h simulated: " + allowed.size() + " attempts allowed, at most "
                + maxInAnyHour(allowed) + " in any hour");
        assertTrue(maxInAnyHour(allowed) <= 30, "at most 30 in any hour, was " + maxInAnyHour(allowed));
        assertTrue(allowed.size() >= 100, "the budget refills: " + allowed.size());
    }

    @Test
    void manyAddressesGetAtMost200InAnyHourAndTheTrustedUserStillLogsOn() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        assertTrue(limiter.attempt("127.0.0.1:5000", "host").allowed());
        limiter.succeeded("127.0.0.1:5000", "host");
        List<Long> allowed = new ArrayList<>();
        int userLogons = 0;
        // 250 attacking addresses (127.0.1.x and 127.0.2.x), each trying every 10 s, for 3 hours.
        for (int tick = 0; tick < 3 * 360; tick++) {
            for (int a = 0; a < 250; a++) {
                String remote = "127.0." + (1 + a / 200) + "." + (a % 200 + 2) + ":40000";
                if (limiter.attempt(remote, "host").allowed()) {
                    allowed.add(clock.millis());
                }
            }
            if (tick % 30 == 0) { // the right user logs on every 5 minutes
                LogonLimiter.Decision d = limiter.attempt("127.0.0.1:" + (6000 + tick), "host");
                assertTrue(d.allowed(), "the trusted user is let in: " + d.reason());
                limiter.succeeded("127.0.0.1:" + (6000 + tick), "host");
                userLogons++;
            }
            clock.advance(Duration.ofMillis(10_000));
        }
        System.out.println("250 addresses, 3 h simulated: " + allowed.size() + " attempts allowed, at most "
                + maxInAnyHour(allowed) + " in any hour; the right user logged on " + userLogons + " times");
        assertTrue(maxInAnyHour(allowed) <= 200, "at most 200 in any hour, was " + maxInAnyHour(allowed));
        assertEquals(36, userLogons);
    }

    @Test
    void anUntrustedAddressWaitsForTheTargetsBudgetButOtherTargetsAreUntouched() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        for (int a = 0; a < 100; a++) {
            limiter.attempt("127.3." + a + ".1:1", "account-a");
        }
        LogonLimiter.Decision d = limiter.attempt("127.0.0.9:1", "account-a");
        assertFalse(d.allowed());
        assertTrue(d.reason().contains("try again in"), d.reason());
        assertTrue(limiter.attempt("127.0.0.9:1", "account-b").allowed());
        clock.advance(d.retryAfter());
        assertTrue(limiter.attempt("127.0.0.9:1", "account-a").allowed(), "slowed, not locked");
    }

    @Test
    void aSuccessGivesItsAttemptBack() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        for (int i = 0; i < 50; i++) {
            assertTrue(limiter.attempt("127.0.0.3:1", "host").allowed(), "logon " + i);
            limiter.succeeded("127.0.0.3:1", "host");
        }
    }

    @Test
    void refusalPeeksWithoutCharging() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.empty(), limiter.refusal("127.0.0.3:1", "host"));
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.attempt("127.0.0.3:1", "host").allowed());
        }
        Optional<LogonLimiter.Decision> r = limiter.refusal("127.0.0.3:1", "host");
        assertTrue(r.isPresent());
        assertTrue(r.get().firstRefusal());
        assertFalse(limiter.attempt("127.0.0.3:1", "host").firstRefusal(), "the second refusal is not the first");
    }

    @Test
    void waitingConnectionsPerAddressAreBounded() {
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults());
        List<LogonLimiter.Slot> slots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slots.add(limiter.admit("127.0.0.4:" + i).orElseThrow());
        }
        assertTrue(limiter.admit("127.0.0.4:99").isEmpty());
        assertTrue(limiter.admit("127.0.0.5:99").isPresent());
        slots.get(0).close();
        slots.get(0).close();
        assertTrue(limiter.admit("127.0.0.4:100").isPresent());
        assertTrue(limiter.admit("127.0.0.4:101").isEmpty(), "closing twice frees one slot only");
    }

    @Test
    void challengesPerAddressAreRated() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        int n = 0;
        while (limiter.challenge("127.0.0.6:1", "host")) {
            n++;
        }
        assertEquals(LogonLimits.CHALLENGE_BURST, n);
        clock.advance(Duration.ofMillis(2_000));
        assertTrue(limiter.challenge("127.0.0.6:2", "host"));
        assertFalse(limiter.challenge("127.0.0.6:3", "host"));
        assertTrue(limiter.attempt("127.0.0.6:4", "host").allowed());
        limiter.succeeded("127.0.0.6:4", "host");
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.challenge("127.0.0.6:5", "host"), "an address trusted for the target is not held");
        }
        assertTrue(limiter.challenge("127.0.0.6:6", "other"), "the success gave its challenge back");
        assertFalse(limiter.challenge("127.0.0.6:7", "other"), "but for another target the address is held");
    }

    @Test
    void memoryStaysBoundedUnderAddressesAndAccountsWithoutEnd() {
        MovedClock clock = new MovedClock();
        LogonLimiter limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        for (int i = 0; i < 300_000; i++) {
            String remote = "[2001:db8:" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff) + "::1]:1";
            limiter.attempt(remote, "made-up-" + i);
            limiter.challenge(remote, "made-up-" + i);
            clock.advance(Duration.ofMillis(1));
        }
        System.out.println("300,000 addresses and account names: " + limiter.budgets() + " budgets held");
        assertTrue(limiter.budgets() <= 3 * (LogonLimiter.MAX_ENTRIES + 1), "bounded: " + limiter.budgets());
        assertTrue(limiter.attempt("127.0.0.1:1", "host").allowed(), "and it still answers");
    }

    @Test
    void anIpv6SubscriberCountsAsOneAddress() {
        assertEquals(LogonLimiter.source("[2001:db8:1:2::5]:80"), LogonLimiter.source("[2001:db8:1:2:ffff::9]:81"));
        assertFalse(LogonLimiter.source("[2001:db8:1:2::5]:80").equals(LogonLimiter.source("[2001:db8:1:3::5]:80")));
        assertEquals("127.0.0.1", LogonLimiter.source("127.0.0.1:5000"));
        assertEquals("127.0.0.1", LogonLimiter.source("/127.0.0.1:5000"));
        assertEquals("127.0.0.1", LogonLimiter.source("127.0.0.1"));
        assertEquals(LogonLimiter.source("[::1]:80"), LogonLimiter.source("::1"));
        assertEquals("local:E00a1", LogonLimiter.source("local:E00a1"), "no address: counted on its own");
        assertEquals("webconnect-guest:1234abcd@127.0.0.1:6591",
                LogonLimiter.source("webconnect-guest:1234abcd@127.0.0.1:6591"));
        assertEquals("evil.example:80", LogonLimiter.source("evil.example:80"), "never looked up");
    }

    @Test
    void settingsAreReadAndChecked() {
        LogonLimits l = LogonLimits.from(java.util.Map.of("logon.address.hour", "60", "logon.answer.millis", "0")::get);
        assertEquals(60, l.addressPerHour());
        assertEquals(Duration.ZERO, l.answer());
        try {
            LogonLimits.from(java.util.Map.of("logon.address.hour", "x")::get);
            throw new AssertionError("accepted x");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("logon.address.hour"));
        }
    }
}
