package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The http device's streaming requests ({@code mode=http}) against the conformance suite every device passes. */
class HttpStreamingConformanceTest extends DeviceConformance {

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

    @Override
    protected Map<String, String> connectSettings() {
        return Map.of("mode", "http");
    }

    /** A chunk of the upload body holding a message header that announces {@code size} bytes. */
    @Override
    protected byte[] announceMessageOf(long size) {
        return RawHttp.chunk(ByteBuffer.allocate(4).putInt((int) Math.min(size, Integer.MAX_VALUE)).array());
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return RawHttp.streaming(HttpWebSocketConformanceTest.address(connectAddress(endpoint)), Settings.DEFAULT_PATH);
    }
}
