package org.tandemrc.comm.http.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/**
 * The listening side of the proxy test, run as its own JVM inside a network namespace: an http device
 * listening on {@code args[0]:args[1]} that echoes every message. It prints {@code LISTENING <address>}
 * once it listens and stops when its standard input ends.
 */
public final class EchoListener {

    private EchoListener() {
    }

    public static void main(String[] args) throws Exception {
        HttpDevice device = new HttpDevice();
        device.activate();
        Endpoint endpoint = device.listen(new CommunicationProfile("proxy-test-host", "http",
                Map.of("bind", args[0], "port", args[1], "max-message", Integer.toString(1 << 20))), link -> DeviceConformance.PLAIN_ECHO);
        System.out.println("LISTENING " + endpoint.address());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            // until the test closes our input
        }
        endpoint.close();
        device.deactivate();
    }
}
