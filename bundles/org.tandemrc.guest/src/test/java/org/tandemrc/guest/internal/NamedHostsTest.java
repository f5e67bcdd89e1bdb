package org.tandemrc.guest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.NameResolver;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.support.command.ExitStatus;

/** {@code NS::NAME}: the first registered address whose device this Guest has; an unknown name is not found (8). */
class NamedHostsTest {

    private static final Set<String> DEVICES = Set.of("tcp", "udp");
    private static final NameResolver SERVER = name -> Map.of("desk-17", List.of("webconnect:desk-17", "tcp:10.1.2.3:6502"))
            .getOrDefault(name, List.of());

    @Test
    void aNameIsTheFirstRegisteredAddressThisGuestCanDial() throws Exception {
        assertEquals("tcp:10.1.2.3:6502", NamedHosts.resolve("NS::desk-17", List.of(SERVER), DEVICES));
        assertEquals("tcp:10.1.2.3:6502", NamedHosts.resolve(" ns::desk-17 ", List.of(SERVER), DEVICES));
        assertEquals("udp:H::desk-17", NamedHosts.resolve("udp:H::desk-17", List.of(), DEVICES), "other addresses stay");
    }

    @Test
    void anUnknownNameIsNotFoundAndAnUnreachableServiceUnreachable() {
        GuestException unknown = assertThrows(GuestException.class,
                () -> NamedHosts.resolve("NS::nobody", List.of(SERVER), DEVICES));
        assertEquals(Reason.NOT_FOUND, unknown.reason());
        assertEquals(8, ExitStatus.of(unknown.reason()));
        assertEquals("the name service knows no Host named nobody", unknown.getMessage());
        NameResolver down = name -> {
            throw new IOException("the Security Server at tcp:192.0.2.9:6510 is unreachable");
        };
        assertEquals(Reason.UNREACHABLE, assertThrows(GuestException.class,
                () -> NamedHosts.resolve("NS::desk-17", List.of(down), DEVICES)).reason());
        GuestException none = assertThrows(GuestException.class, () -> NamedHosts.resolve("NS::desk-17", List.of(), DEVICES));
        assertTrue(none.getMessage().contains("etc/org.tandemrc.security.client.cfg"), none.getMessage());
        assertEquals(Reason.NOT_INSTALLED, assertThrows(GuestException.class,
                () -> NamedHosts.resolve("NS::desk-17", List.of(SERVER), Set.of("udp"))).reason());
    }
}
