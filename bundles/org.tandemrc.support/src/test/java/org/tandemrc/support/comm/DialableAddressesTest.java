package org.tandemrc.support.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A Host's listening addresses as an invitation or the Name Server names them for a supporter. */
class DialableAddressesTest {

    @Test
    void aBoundAddressStaysAWebConnectHostGoesByNameAWildcardByThisComputersAddresses() {
        assertEquals(List.of("tcp:127.0.0.1:6502", "webconnect:desk-1"), DialableAddresses.of(
                List.of("tcp:127.0.0.1:6502", "webconnect:desk-1@tls:manager.example:443,tls:backup.example:443")));
        List<String> wildcard = DialableAddresses.of(List.of("tcp:0.0.0.0:7000", "tcp:[::]:7000"));
        assertFalse(wildcard.isEmpty());
        for (String a : wildcard) {
            assertTrue(a.matches("tcp:\\d+\\.\\d+\\.\\d+\\.\\d+:7000") && !a.startsWith("tcp:0.0.0.0"), a);
        }
        assertEquals(wildcard.size(), wildcard.stream().distinct().count(), "each address once: " + wildcard);
        assertEquals(List.of(), DialableAddresses.of(List.of()));
    }
}
