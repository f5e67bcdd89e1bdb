package org.tandemrc.tool.wake.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

class WakeToolTest {

    private final WakeTool tool = new WakeTool();

    @Test
    void thePacketGoesToTheBroadcastAndPortAskedForAndTheResultSaysSo() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            Result.Message m = (Result.Message) tool.invoke("send", Map.of("mac", "52-54-00-12-34-56",
                    "broadcast", "127.0.0.1", "port", Integer.toString(listener.getLocalPort())));
            DatagramPacket got = new DatagramPacket(new byte[200], 200);
            listener.receive(got);
            assertEquals(102, got.getLength());
            assertEquals((byte) 0x56, got.getData()[101]);
            assertTrue(m.text().contains("52:54:00:12:34:56") && m.text().contains("127.0.0.1:"
                    + listener.getLocalPort()), m.text());
        }
    }

    /** Every argument comes from a Guest: no lookup, no other port range, nothing but a MAC address. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "00:11:22:aa:bb:cc; reboot|127.0.0.1|9",
        "00:11:22:aa:bb:cc|attacker.example|9",
        "00:11:22:aa:bb:cc|127.0.0.1 -c x|9",
        "00:11:22:aa:bb:cc|127.0.0.1|0",
        "00:11:22:aa:bb:cc|127.0.0.1|65536",
        "00:11:22:aa:bb:cc|127.0.0.1|nine",
        "'00:11:22:aa:bb:cc\nrm'|127.0.0.1|9"})
    void hostileArgumentsAreRefusedWithASentence(String mac, String broadcast, String port) {
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("send", Map.of("mac", mac,
                "broadcast", broadcast, "port", port)));
        assertTrue(!e.getMessage().isBlank());
    }
}
