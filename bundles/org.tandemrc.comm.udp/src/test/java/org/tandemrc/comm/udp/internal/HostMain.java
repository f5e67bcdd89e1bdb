package org.tandemrc.comm.udp.internal;

import java.util.HashMap;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/**
 * A Host for tests in network namespaces: activates a {@link UdpDevice}, listens with the settings given
 * as {@code key=value} arguments, echoes every message, prints {@code LISTENING <address>} and runs until
 * its standard input closes.
 */
public final class HostMain {

    private HostMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        UdpDevice device = new UdpDevice();
        device.activate();
        Endpoint endpoint = device.listen(new CommunicationProfile("test-host", "udp", settings), l -> DeviceConformance.PLAIN_ECHO);
        System.out.println("LISTENING " + endpoint.address());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our standard input or kills us
        }
        endpoint.close();
        device.deactivate();
    }
}
