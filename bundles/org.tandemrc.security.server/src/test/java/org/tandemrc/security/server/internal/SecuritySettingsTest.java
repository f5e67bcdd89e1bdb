package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.support.comm.ListenPlace;

class SecuritySettingsTest {

    private static final Path HOME = Path.of("/srv/tandem");

    @Test
    void theDefaultsListenOnPort6510WithAnEmbeddedDatabaseAndNoDirectory() {
        SecuritySettings s = SecuritySettings.parse(Map.of(), HOME);
        assertEquals("tcp:0.0.0.0:6510", s.listen());
        ListenPlace.parse("security-server", s.listen());
        assertEquals("jdbc:h2:/srv/tandem/data/security/security", s.databaseUrl());
        assertEquals(SecuritySettings.NO_DIRECTORY, s.directory());
        assertEquals(Set.of(), s.otpRoles());
    }

    @Test
    void theKeysAreRead() {
        SecuritySettings s = SecuritySettings.parse(Map.of("database.url", "jdbc:postgresql://db:5432/tandem",
                "database.user", "ss", "directory", "ldap", "otp.roles", "Full access, Administrator",
                "logon.address.hour", "10", "logon.address.burst", "2"), HOME);
        assertEquals("jdbc:postgresql://db:5432/tandem", s.databaseUrl());
        assertEquals("ss", s.databaseUser());
        assertEquals("ldap", s.directory());
        assertEquals(Set.of("Full access", "Administrator"), s.otpRoles());
        assertEquals(10, s.limits().addressPerHour());
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecuritySettings.parse(
                Map.of("database.url", "jdbc:mysql://db/x"), HOME)).getMessage().contains("database.url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecuritySettings.parse(
                Map.of("directory", "LDAP server"), HOME)).getMessage().contains("directory"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecuritySettings.parse(
                Map.of("logon.address.hour", "many"), HOME)).getMessage().contains("logon.address.hour"));
    }
}
