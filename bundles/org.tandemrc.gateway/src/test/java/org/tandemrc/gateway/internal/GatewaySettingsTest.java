package org.tandemrc.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    @Test
    void dottedKeysAndTheOldHyphenatedOnesBothConfigureTheGateway() {
        GatewaySettings dotted = GatewaySettings.parse(Map.of("name", "gw", "max.password.attempts", "3",
                "lockout.minutes", "7", "logon.timeout", "20", "idle.timeout", "60", "max.queue", "4194304"));
        GatewaySettings hyphenated = GatewaySettings.parse(Map.of("name", "gw", "max-password-attempts", "3",
                "lockout-minutes", "7", "logon-timeout", "20", "idle-timeout", "60", "max-queue", "4194304"));
        assertEquals(new GatewaySettings("gw", 3, 7, 20, 60, 4L << 20), dotted);
        assertEquals(dotted, hyphenated);
    }

    @Test
    void anUnsetKeyKeepsItsDefault() {
        GatewaySettings s = GatewaySettings.parse(Map.of("name", "gw"));
        assertEquals(new GatewaySettings("gw", 5, 10, 30, 0, 16L << 20), s);
        assertEquals("gateway-user", s.method());
        assertEquals("directory", GatewaySettings.parse(Map.of("method", "directory")).method());
    }

    @Test
    void aValueOutOfRangeIsRefusedInTheOneStyle() {
        assertEquals("org.tandemrc.gateway: logon.timeout=601 is outside 1..600", assertThrows(
                IllegalArgumentException.class, () -> GatewaySettings.parse(Map.of("logon-timeout", "601"))).getMessage());
        assertEquals("org.tandemrc.gateway: method=Directory! is not an access method name (a-z, 0-9, '.', '-')",
                assertThrows(IllegalArgumentException.class,
                        () -> GatewaySettings.parse(Map.of("method", "Directory!"))).getMessage());
        assertEquals("org.tandemrc.gateway: lockout.minutes=soon is not a whole number", assertThrows(
                IllegalArgumentException.class, () -> GatewaySettings.parse(Map.of("lockout.minutes", "soon"))).getMessage());
    }
}
