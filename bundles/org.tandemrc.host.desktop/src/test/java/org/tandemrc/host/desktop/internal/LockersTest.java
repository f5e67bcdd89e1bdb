package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class LockersTest {

    @Test
    void theNoticeNamesEveryoneHoldingALockUntilTheLastLetsGo() {
        DesktopLock.Lockers lockers = new DesktopLock.Lockers();
        lockers.change("alice", true);
        lockers.change("bob", true);
        lockers.change("alice", true); // a second session of alice
        assertEquals("alice, bob", lockers.names());
        lockers.change("alice", false);
        assertEquals("alice, bob", lockers.names(), "alice still locks from her other session");
        lockers.change("alice", false);
        lockers.change("carol", false); // an unlock without a lock changes nothing
        assertEquals("bob", lockers.names());
        lockers.change("bob", false);
        assertTrue(lockers.isEmpty());
        lockers.change("bob", false);
        assertTrue(lockers.isEmpty());
        lockers.change("bob", true);
        assertFalse(lockers.isEmpty());
    }

    @Test
    void theNoticeSaysWhoAndWhatEndsIt() {
        Texts texts = new Texts(Locale.ENGLISH);
        assertEquals("Your keyboard and mouse are locked by alice.", texts.get("lock.text", "alice"));
        assertTrue(texts.get("lock.detail", "alice").contains("alice unlocks them or disconnects"));
        assertTrue(texts.get("lock.title", "alice").contains("alice"));
    }
}
