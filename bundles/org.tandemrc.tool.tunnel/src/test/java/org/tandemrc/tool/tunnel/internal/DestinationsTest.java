package org.tandemrc.tool.tunnel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationsTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static Destinations parse(String text) {
        List<String> problems = new ArrayList<>();
        Destinations d = Destinations.parse(text, problems);
        assertEquals(List.of(), problems);
        return d;
    }

    @Test
    void namesAddressesNetworksAndPortRangesAreAllowedAsWritten() throws Exception {
        Destinations d = parse("localhost:80, 127.0.0.1:5432 10.0.0.0/8:22,[::1]:8000-8099, Db.Example:*");
        assertEquals(ip("127.0.0.1"), d.allowed("LOCALHOST", 80, List.of(ip("127.0.0.1"))));
        assertNull(d.allowed("localhost", 81, List.of(ip("127.0.0.1"))));
        assertEquals(ip("127.0.0.1"), d.allowed("anything", 5432, List.of(ip("127.0.0.1"))), "the address is checked");
        assertNull(d.allowed("127.0.0.2", 5432, List.of(ip("127.0.0.2"))));
        assertEquals(ip("10.200.3.4"), d.allowed("10.200.3.4", 22, List.of(ip("10.200.3.4"))));
        assertNull(d.allowed("11.0.0.1", 22, List.of(ip("11.0.0.1"))));
        assertEquals(ip("::1"), d.allowed("::1", 8099, List.of(ip("::1"))));
        assertNull(d.allowed("::1", 8100, List.of(ip("::1"))));
        assertEquals(ip("192.0.2.7"), d.allowed("db.example", 65535, List.of(ip("192.0.2.7"))));
        // Of several addresses, the first one allowed is the one connected to.
        assertEquals(ip("10.0.0.9"), d.allowed("multi", 22, List.of(ip("192.0.2.1"), ip("10.0.0.9"))));
    }

    @Test
    void anIpv4NetworkDoesNotCoverIpv6AndANameRuleDoesNotCoverItsAddress() throws Exception {
        Destinations d = parse("0.0.0.0/0:443 localhost:8080");
        assertNull(d.allowed("::1", 443, List.of(ip("::1"))));
        assertNull(d.allowed("127.0.0.1", 8080, List.of(ip("127.0.0.1"))), "only the name 'localhost' was allowed");
        assertEquals(ip("::1"), parse("*:443").allowed("::1", 443, List.of(ip("::1"))));
    }

    @Test
    void rulesThatAreNotUnderstoodAreLeftOutWithTheReason() {
        List<String> problems = new ArrayList<>();
        Destinations d = Destinations.parse("localhost, web:0, web:9-3, 300.1.1.1:80, 10.0.0.0/33:1, a_b:80, "
                + "[fe80::1:80, web:80", problems);
        assertEquals(7, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("'localhost' is left out: not HOST:PORT"), problems.get(0));
        assertTrue(!d.isEmpty(), "the good rule stays");
    }

    @Test
    void aListIsBounded() {
        List<String> problems = new ArrayList<>();
        Destinations.parse("h:1 ".repeat(Destinations.MAX_RULES + 5), problems);
        assertEquals(List.of("more than " + Destinations.MAX_RULES + " destinations; the rest are left out"), problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://web/", "-oProxyCommand=x", "web server", "../etc", "web;rm", "999.1.1.1",
        "a_b", "web:80", "[::1", "%00", "web\n"})
    void aGuestsHostThatIsNoNameOrAddressIsRefusedBeforeAnyLookup(String host) {
        assertThrows(IllegalArgumentException.class, () -> Destinations.checked(host));
    }

    @Test
    void namesAndLiteralsPass() {
        assertEquals("db.example", Destinations.checked("db.example"));
        assertEquals("::1", Destinations.checked("[::1]"));
        assertEquals("10.1.2.3", Destinations.checked("10.1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> Destinations.checked("a".repeat(254)));
    }
}
