package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code etc/org.tandemrc.webconsole.cfg} as the console reads it. */
class LoginsSettingsTest {

    @TempDir
    Path dir;

    @Test
    void valuesAndOldSpellingsAreRead() {
        Logins.Settings s = Logins.Settings.of(Map.of("session.idle.minutes", "5", "session-max-hours", "2",
                "allowed.hosts", "console.lan, tandem.example"));
        assertEquals(Duration.ofMinutes(5), s.idle());
        assertEquals(Duration.ofHours(2), s.max(), "the hyphenated spelling of session.max.hours is still read");
        assertArrayEquals(new String[] {"console.lan", "tandem.example"}, s.allowedHosts());
        Logins.Settings defaults = Logins.Settings.of(Map.of());
        assertEquals(Duration.ofMinutes(30), defaults.idle());
        assertEquals(Duration.ofHours(12), defaults.max());
    }

    @Test
    void aBadValueIsRefusedInTheOneStyle() {
        assertEquals("org.tandemrc.webconsole: session.idle.minutes=0 is outside 1..10080", assertThrows(
                IllegalArgumentException.class, () -> Logins.Settings.of(Map.of("session.idle.minutes", "0")))
                .getMessage());
        assertEquals("org.tandemrc.webconsole: session.max.hours=forever is not a whole number", assertThrows(
                IllegalArgumentException.class, () -> Logins.Settings.of(Map.of("session.max.hours", "forever")))
                .getMessage());
    }

    @Test
    void aBadValueKeepsWhatTheConsoleHad() throws Exception {
        Logins logins = new Logins(dir, Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofHours(12));
        logins.modified(Map.of("session.max.hours", "2", "allowed.hosts", "console.lan"));
        assertEquals(2 * 3600, logins.cookieSeconds());
        assertTrue(logins.allowedHost("console.lan"));
        logins.modified(Map.of("session.max.hours", "0", "allowed.hosts", "other.lan"));
        assertEquals(2 * 3600, logins.cookieSeconds());
        assertTrue(logins.allowedHost("console.lan"));
        assertFalse(logins.allowedHost("other.lan"));
    }

    @Test
    void underHttpsTheCertificatesNamesAreAnsweredToo() throws Exception {
        Logins logins = new Logins(dir, Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofHours(12));
        assertFalse(logins.allowedHost("192.0.2.7:6580"));
        logins.certificateNames("console.example,192.0.2.7,localhost,127.0.0.1");
        assertTrue(logins.allowedHost("192.0.2.7:6580"));
        assertTrue(logins.allowedHost("Console.Example:6580"));
        assertFalse(logins.allowedHost("evil.example:6580"));
        assertFalse(logins.allowedHost("192.0.2.8:6580"));
    }
}
