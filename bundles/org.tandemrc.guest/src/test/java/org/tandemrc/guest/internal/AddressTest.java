package org.tandemrc.guest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class AddressTest {

    private static final Set<String> DEVICES = Set.of("tcp", "udp", "http", "terminal-server");

    @Test
    void addressesAsPeopleWriteThem() {
        assertEquals("tcp:127.0.0.1:6502", Address.parse("127.0.0.1", DEVICES).toString());
        assertEquals("tcp:[::1]:6502", Address.parse("::1", DEVICES).toString());
        assertEquals("tcp:[::1]:7000", Address.parse("tcp:[::1]:7000", DEVICES).toString());
        assertEquals("udp:10.0.0.5:6502", Address.parse("udp:10.0.0.5:6502", DEVICES).toString());
        assertEquals("http:proxy.example:80", Address.parse("http:proxy.example:80", DEVICES).toString());
    }

    @Test
    void aChosenProfileSuppliesTheDeviceWhenTheAddressNamesNone() {
        assertEquals("http:10.0.0.5:8080", Address.parse("10.0.0.5:8080", DEVICES, "http").toString());
        assertEquals("udp:H::pc-17", Address.parse("H::pc-17", DEVICES, "udp").toString());
        assertEquals("tcp:10.0.0.5:6502", Address.parse("tcp:10.0.0.5", DEVICES, "http").toString());
    }

    @Test
    void hostNameQualifiers() {
        assertEquals("udp:H::pc-17", Address.parse("udp:H::pc-17", DEVICES).toString());
        assertEquals("udp:U::alice", Address.parse("udp:u::alice", DEVICES).toString());
        // DNS:: resolves by DNS: it is an ordinary host name to the device.
        assertEquals("tcp:host.example:6502", Address.parse("DNS::host.example", DEVICES).toString());
        assertEquals("tcp:host.example:7000", Address.parse("tcp:DNS::host.example:7000", DEVICES).toString());
        IllegalArgumentException byName = assertThrows(IllegalArgumentException.class,
                () -> Address.parse("H::pc-17", DEVICES));
        assertTrue(byName.getMessage().contains("use udp:H::pc-17"), byName.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Address.parse("udp:U::", DEVICES));
        assertThrows(IllegalArgumentException.class, () -> Address.parse("  ", DEVICES));
    }
}
