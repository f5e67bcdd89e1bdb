package org.tandemrc.webconnect.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.support.config.TypedConfig;

class BandwidthTest {

    @Test
    void bytesPerSecondWithAnOptionalBinarySuffix() {
        assertEquals(0, RelayComponent.bandwidth("session.bandwidth", "0"));
        assertEquals(1500, RelayComponent.bandwidth("session.bandwidth", "1500"));
        assertEquals(8L << 20, RelayComponent.bandwidth("session.bandwidth", "8M"));
        assertEquals(64L << 10, RelayComponent.bandwidth("session.bandwidth", "64k"));
    }

    @Test
    void anythingElseIsRefusedNamingPidKeyAndValue() {
        assertEquals("org.tandemrc.webconnect.relay: total.bandwidth=fast is not a bandwidth (bytes per second, K or M suffix)",
                assertThrows(IllegalArgumentException.class, () -> RelayComponent.bandwidth("total.bandwidth", "fast"))
                        .getMessage());
        assertEquals("org.tandemrc.webconnect.relay: total.bandwidth=-1 is outside 0.." + Long.MAX_VALUE,
                assertThrows(IllegalArgumentException.class, () -> RelayComponent.bandwidth("total.bandwidth", "-1"))
                        .getMessage());
    }

    @Test
    void theOldSpellingOfTheRelaySettingsIsStillRead() {
        RelayConfig c = TypedConfig.of(RelayConfig.class, RelayComponent.PID, Map.of("session-bandwidth", "8M",
                "pairing-timeout", "5"));
        assertEquals("8M", c.session_bandwidth());
        assertEquals(5, c.pairing_timeout());
        assertEquals(300, c.idle_timeout());
    }
}
