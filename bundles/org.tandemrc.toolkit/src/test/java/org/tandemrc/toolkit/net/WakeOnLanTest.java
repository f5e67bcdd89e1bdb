package org.tandemrc.toolkit.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WakeOnLanTest {

    private static final byte[] MAC = {0x00, 0x11, 0x22, (byte) 0xaa, (byte) 0xbb, (byte) 0xcc};

    @ParameterizedTest
    @ValueSource(strings = {"00:11:22:aa:bb:cc", "00-11-22-AA-BB-CC", "001122aabbcc", " 00:11:22:aa:bb:cc "})
    void macAddressesAreReadInTheirUsualSpellings(String text) {
        assertArrayEquals(MAC, WakeOnLan.mac(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00:11:22:aa:bb", "00:11:22:aa:bb:cc:dd", "00:11-22:aa:bb:cc", "0g:11:22:aa:bb:cc",
        "00:11:22:aa:bb:cc\nx", "00::11:22:aa:bb:cc", "x"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> WakeOnLan.mac(text));
    }

    @Test
    void theMagicPacketIsSixFfAndTheAddressSixteenTimes() {
        byte[] p = WakeOnLan.magicPacket(MAC);
        assertEquals(102, p.length);
        for (int i = 0; i < 6; i++) {
            assertEquals((byte) 0xFF, p[i]);
        }
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(MAC[j], p[6 + i * 6 + j]);
            }
        }
        assertEquals("00:11:22:aa:bb:cc", WakeOnLan.format(MAC));
    }

    @Test
    void namesAreNotLookedUpAndFallBackToTheLimitedBroadcast() throws Exception {
        assertEquals(InetAddress.getByName("255.255.255.255"), WakeOnLan.broadcastFor("printer.example"));
        assertThrows(IllegalArgumentException.class, () -> WakeOnLan.ipv4("printer.example"));
        assertThrows(IllegalArgumentException.class, () -> WakeOnLan.ipv4("10.0.0.256"));
    }

    @Test
    void subnetsCompareTheirPrefixOnly() {
        byte[] a = {10, 0, 5, 1};
        assertTrue(WakeOnLan.sameSubnet(a, new byte[] {10, 0, 5, (byte) 200}, 24));
        assertFalse(WakeOnLan.sameSubnet(a, new byte[] {10, 0, 6, 1}, 24));
        assertTrue(WakeOnLan.sameSubnet(a, new byte[] {10, 0, 6, 1}, 16));
        assertFalse(WakeOnLan.sameSubnet(a, new byte[] {10, 0, 5, 9}, 32));
    }

    @Test
    void theBroadcastAddressComesFromTheAddressAndPrefix() throws Exception {
        assertEquals(InetAddress.getByName("10.207.1.255"), WakeOnLan.broadcast(new byte[] {10, (byte) 207, 1, 1}, 24));
        assertEquals(InetAddress.getByName("172.16.15.255"), WakeOnLan.broadcast(new byte[] {(byte) 172, 16, 9, 7}, 20));
    }

    @Test
    void thePacketArrivesAtTheAddressItWasSentTo() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            String said = WakeOnLan.send(MAC, InetAddress.getLoopbackAddress(), listener.getLocalPort());
            DatagramPacket got = new DatagramPacket(new byte[200], 200);
            listener.receive(got);
            assertEquals(102, got.getLength());
            assertArrayEquals(WakeOnLan.magicPacket(MAC), java.util.Arrays.copyOf(got.getData(), got.getLength()));
            assertTrue(said.contains("00:11:22:aa:bb:cc"), said);
        }
    }
}
