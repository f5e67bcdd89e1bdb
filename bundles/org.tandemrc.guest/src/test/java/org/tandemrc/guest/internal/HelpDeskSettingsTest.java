package org.tandemrc.guest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HelpDeskSettingsTest {

    @Test
    void servicesAreTrimmedAndDeduplicatedAndListenDefaultsToTcp6503() {
        HelpDeskComponent.Settings s = HelpDeskComponent.Settings.from(Map.of("services", " Support, billing ,SUPPORT"));
        assertEquals(java.util.List.of("Support", "billing"), s.services());
        assertEquals(1, s.places().size());
        assertEquals("tcp", s.places().get(0).device());
        assertEquals(Map.of("bind", "0.0.0.0", "port", "6503"), s.places().get(0).settings());
        assertEquals(50, s.maxPending());
    }

    @Test
    void severalPlacesAndIpv6AndTheOldSpellingOfMaxPending() {
        HelpDeskComponent.Settings s = HelpDeskComponent.Settings.from(Map.of("services", "Support",
                "listen", "tcp:[::1]:7000, http:127.0.0.1:8080", "max-pending", "3"));
        assertEquals(Map.of("bind", "::1", "port", "7000"), s.places().get(0).settings());
        assertEquals("http", s.places().get(1).device());
        assertEquals(3, s.maxPending());
    }

    @Test
    void badSettingsSayWhatToWrite() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> HelpDeskComponent.Settings.from(Map.of("listen", "tcp:0.0.0.0:6503")));
        assertTrue(none.getMessage().contains("services = Support"), none.getMessage());
        IllegalArgumentException place = assertThrows(IllegalArgumentException.class,
                () -> HelpDeskComponent.Settings.from(Map.of("services", "Support", "listen", "6503")));
        assertTrue(place.getMessage().contains("write DEVICE:ADDRESS[:PORT]"), place.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> HelpDeskComponent.Settings.from(Map.of("services", "Support", "max.pending", "lots")));
        assertEquals("org.tandemrc.guest.helpdesk: max.pending=lots is not a whole number", word.getMessage());
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> HelpDeskComponent.Settings.from(Map.of("services", "Support", "max.pending", "0")));
        assertEquals("org.tandemrc.guest.helpdesk: max.pending=0 is outside 1..10000", max.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> HelpDeskComponent.Settings.from(Map.of("services", "x".repeat(65))));
        assertTrue(name.getMessage().contains("at most 64"), name.getMessage());
    }
}
