package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.testing.MovedClock;

/** The wrong-password count and lockouts of the Host and the Gateway, on a moved clock. */
class WrongPasswordsTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    @Test
    void failuresCountWithinTheWindowAndALockoutEnds() {
        MovedClock clock = new MovedClock();
        WrongPasswords w = new WrongPasswords(clock);
        assertEquals(1, w.failed("192.0.2.1", WINDOW));
        clock.advance(Duration.ofMinutes(6));
        assertEquals(2, w.failed("192.0.2.1", WINDOW));
        assertEquals(1, w.failed("192.0.2.2", WINDOW), "each address counts on its own");
        clock.advance(Duration.ofMinutes(5));
        assertEquals(2, w.failed("192.0.2.1", WINDOW), "the first failure left the window");
        w.forget("192.0.2.1");
        assertEquals(1, w.failed("192.0.2.1", WINDOW));

        w.lockOut("192.0.2.1", Duration.ofMinutes(5));
        assertEquals(Duration.ofMinutes(5), w.lockedOut("192.0.2.1"));
        assertEquals(Duration.ZERO, w.lockedOut("192.0.2.2"));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Duration.ZERO, w.lockedOut("192.0.2.1"));
    }

    @Test
    void memoryStaysBoundedUnderAddressesWithoutEnd() throws Exception {
        MovedClock clock = new MovedClock();
        WrongPasswords w = new WrongPasswords(clock);
        for (int i = 0; i < 3 * WrongPasswords.MAX_ADDRESSES; i++) {
            String a = "2001:db8:" + Integer.toHexString(i >>> 16) + ":" + Integer.toHexString(i & 0xffff) + "::1";
            w.failed(a, WINDOW);
            w.lockOut(a, Duration.ofMinutes(1));
        }
        for (int i = 0; i < 5_000; i++) {
            w.failed("192.0.2.9", Duration.ofDays(1));
        }
        assertEquals(1_000, w.failed("192.0.2.9", Duration.ofDays(1)), "one address keeps at most 1000 failures");
        assertTrue(size(w, "failures") <= WrongPasswords.MAX_ADDRESSES, "failures: " + size(w, "failures"));
        assertTrue(size(w, "lockedUntil") <= WrongPasswords.MAX_ADDRESSES, "lockouts: " + size(w, "lockedUntil"));
    }

    private static int size(WrongPasswords w, String field) throws ReflectiveOperationException {
        java.lang.reflect.Field f = WrongPasswords.class.getDeclaredField(field);
        f.setAccessible(true);
        return ((java.util.Map<?, ?>) f.get(w)).size();
    }
}
