package org.tandemrc.comm.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DiscoveredHost;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.testing.DeviceConformance;

/** The broadcast list, and discovery and name connects on loopback through the broadcast list. */
class DiscoveryTest extends TwoUdpDevices {

    private static CommunicationProfile profile(Map<String, String> settings) {
        return new CommunicationProfile("lan", "udp", settings);
    }

    @Test
    void theBroadcastListTakesAddressesRangesAndNamesAndNamesABadEntry() throws Exception {
        List<InetAddress> list = Discovery.broadcastList(profile(Map.of("broadcast-list",
                " 10.0.0.5-10.0.0.7 , 192.168.1.9,localhost,10.0.0.6")));
        assertEquals(InetAddress.getByName("10.0.0.5"), list.get(0));
        assertEquals(InetAddress.getByName("10.0.0.7"), list.get(2));
        assertEquals(InetAddress.getByName("192.168.1.9"), list.get(3));
        assertTrue(list.size() >= 5, list.toString());
        assertEquals(list.size(), list.stream().distinct().count(), "each address once");

        for (String bad : List.of("10.0.0.300", "10.0.0.9-10.0.0.1", "10.0.0.0-10.0.16.1", "10.0.0.1-x", "no such$host")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Discovery.broadcastList(profile(Map.of("broadcast-list", "10.1.1.1," + bad))), bad);
            assertTrue(e.getMessage().contains("profile 'lan': broadcast-list entry '" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> guest.browse(profile(Map.of("broadcast-list", "1.2.3.4-1.2.3.1")), Duration.ofMillis(100)));
    }

    private Endpoint listen(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(DeviceConformance.LOOPBACK_ANY_PORT);
        settings.putAll(extra);
        return host.listen(profile(settings), l -> DeviceConformance.PLAIN_ECHO);
    }

    private static int port(Endpoint e) {
        return Integer.parseInt(e.address().substring(e.address().lastIndexOf(':') + 1));
    }

    private void echoes(Map<String, String> settings, String address) throws Exception {
        DeviceConformance.Recorder got = new DeviceConformance.Recorder();
        Link link = guest.connect(profile(settings), address, got).toCompletableFuture().get(10, TimeUnit.SECONDS);
        link.send(ByteBuffer.wrap(new byte[] {4, 5, 6}));
        assertArrayEquals(new byte[] {4, 5, 6}, got.messages.poll(10, TimeUnit.SECONDS), address);
        link.close("done");
    }

    @Test
    void aPublicHostIsBrowsedAndReachedByNameUserAndDns() throws Exception {
        Endpoint e = listen(Map.of("host.name", "Workstation-7", "host.user", "Erin"));
        Map<String, String> asking = Map.of("broadcast-list", "127.0.0.1", "port", Integer.toString(port(e)));
        List<DiscoveredHost> found = guest.browse(profile(asking), Duration.ofMillis(700)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertTrue(found.contains(new DiscoveredHost("Workstation-7", "Erin", "udp:127.0.0.1:" + port(e))), found.toString());
        echoes(asking, "H::workstation-7");
        echoes(asking, "U::erin");
        echoes(Map.of(), "DNS::localhost:" + port(e));
    }

    @Test
    void aHostWithoutAPublicNameIsNotBrowsedButAnswersItsNameAndAUnpublishedUserIsNotFound() throws Exception {
        Endpoint e = listen(Map.of("host.name", "quiet", "host.user", "fay", "public-host-name", "false",
                "publish-user", "false"));
        Map<String, String> asking = Map.of("broadcast-list", "127.0.0.1", "port", Integer.toString(port(e)),
                "name-timeout", "1");
        List<DiscoveredHost> found = guest.browse(profile(asking), Duration.ofMillis(700)).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertTrue(found.stream().noneMatch(h -> h.name().equals("quiet")), found.toString());
        echoes(asking, "H::QUIET");
        ExecutionException x = assertThrows(ExecutionException.class,
                () -> guest.connect(profile(asking), "U::fay", new DeviceConformance.Recorder()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(x.getCause().getMessage().startsWith("no Host with user 'fay' answered on udp port " + port(e)),
                x.getCause().getMessage());
    }
}
