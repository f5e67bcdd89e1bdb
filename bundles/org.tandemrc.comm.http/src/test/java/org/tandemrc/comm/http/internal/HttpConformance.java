package org.tandemrc.comm.http.internal;

import java.net.InetSocketAddress;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.testing.DeviceConformance;

/** The http device's part of the conformance suite, common to its two modes. */
abstract class HttpConformance extends DeviceConformance {

    @Override
    protected CommunicationDevice newDevice() {
        HttpDevice device = new HttpDevice();
        device.activate();
        return device;
    }

    @Override
    protected void stopDevice(CommunicationDevice device) throws InterruptedException {
        ((HttpDevice) device).deactivate();
    }

    @Override
    protected Map<String, String> listenSettings() {
        return Map.of("bind", "127.0.0.1", "port", "0");
    }

    static InetSocketAddress address(String text) {
        HttpAddress a = HttpAddress.parse(text, 0);
        return new InetSocketAddress(a.host(), a.port());
    }
}
