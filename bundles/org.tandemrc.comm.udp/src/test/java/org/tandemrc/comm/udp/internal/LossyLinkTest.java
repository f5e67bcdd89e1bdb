package org.tandemrc.comm.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.testing.DeviceConformance;

/**
 * Links through a relay that loses 10% of datagrams, duplicates 5% and reorders 10%: every message still
 * arrives whole and in order, both ways, and the sender retransmitted and cut its congestion window.
 */
class LossyLinkTest extends TwoUdpDevices {

    @Test
    void everyMessageArrivesInOrderThroughLossDuplicationAndReordering() throws Exception {
        Endpoint endpoint = host.listen(new CommunicationProfile("lossy", "udp", Map.of("bind", "127.0.0.1", "port", "0")),
                l -> new DeviceConformance.Echo());
        InetSocketAddress at = UdpAddress.parse(endpoint.address().substring(4), 0);
        try (LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", at.getPort()), 0.10, 0.05, 0.10, 42)) {
            DeviceConformance.Recorder got = new DeviceConformance.Recorder();
            Link link = guest.connect(new CommunicationProfile("c", "udp", Map.of("connect-timeout", "20", "idle-timeout", "10")),
                    relay.address(), got).toCompletableFuture().get(30, TimeUnit.SECONDS);
            Random random = new Random(7);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int size = i % 50 == 0 ? 200_000 : random.nextInt(5000);
                byte[] m = new byte[size];
                random.nextBytes(m);
                sent.add(m);
                link.send(ByteBuffer.wrap(m));
            }
            for (int i = 0; i < sent.size(); i++) {
                byte[] m = got.messages.poll(30, TimeUnit.SECONDS);
                assertNotNull(m, "echo " + i + " never came; closed: " + got.closed.getNow(null));
                assertArrayEquals(sent.get(i), m, "echo " + i);
            }
            assertTrue(relay.dropped.get() > 50, "the relay dropped only " + relay.dropped.get());
            UdpLink udp = (UdpLink) link;
            long retransmitted = udp.socket.channel().eventLoop().submit(udp::retransmissions).get();
            long window = udp.socket.channel().eventLoop().submit(udp::congestionWindow).get();
            assertTrue(retransmitted > 0, "no retransmission despite loss");
            assertTrue(window < (long) UdpLink.WINDOW * 1200, "the congestion window never reacted to loss: " + window);
            // The close is acknowledged through the same lossy relay; if its acknowledgements keep getting
            // lost, the closing link gives up waiting after its idle timeout (10 s here) and still ends
            // with the reason it was given.
            link.close("done");
            assertEquals("done", got.closed.get(30, TimeUnit.SECONDS));
            assertEquals(0, got.messages.size(), "nothing beyond what was sent");
        }
    }
}
