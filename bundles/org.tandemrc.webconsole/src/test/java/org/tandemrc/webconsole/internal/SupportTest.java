package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.adhoc.SupportSession;
import org.tandemrc.api.guest.ConnectRequest;

/** The Support tab's node side: what Connect asks the Guest for, and a session as the page reads it. */
class SupportTest {

    @Test
    void connectGoesToTheSessionsTemporaryHostThroughItsProfileAndNeverTakesAChangedKey() throws Exception {
        ConnectRequest r = Support.connectRequest("office-wc", "123 456-789");
        assertEquals("webconnect:support:123456789", r.address());
        assertEquals("office-wc", r.profile());
        assertFalse(r.acceptChangedKey(), "the first connection's key is the temporary Host's for the session's life");
        assertNull(r.guestId());
        assertArrayEquals("123456789".toCharArray(), r.password());
        Api.Problem typo = assertThrows(Api.Problem.class, () -> Support.connectRequest("office-wc", "12345678"));
        assertEquals(400, typo.status);
        assertTrue(typo.getMessage().contains("9 digits"), typo.getMessage());
        assertThrows(Api.Problem.class, () -> Support.connectRequest(" ", "123456789"));
    }

    @Test
    void aSessionIsWrittenWithItsCodeInGroupsAndItsTimesInMilliseconds() {
        Instant expires = Instant.parse("2026-12-05T10:20:00Z");
        Map<String, Object> waiting = Support.json(new SupportSession("123456789", "Sam", expires, Duration.ofHours(24),
                null, SupportSession.WAITING, "", "wc"));
        assertEquals("123 456 789", waiting.get("displayCode"));
        assertEquals(expires.toEpochMilli(), waiting.get("codeExpires"));
        assertEquals(1440L, waiting.get("lifetimeMinutes"));
        assertNull(waiting.get("ends"));
        assertEquals("support:123456789", waiting.get("address"));
        Instant ends = expires.plus(Duration.ofHours(24));
        Map<String, Object> active = Support.json(new SupportSession("123456789", "Sam", expires, Duration.ofHours(24),
                ends, SupportSession.ACTIVE, "https://wc.example/s/abc", "wc"));
        assertEquals(ends.toEpochMilli(), active.get("ends"));
        assertEquals("https://wc.example/s/abc", active.get("link"));
    }
}
