package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The http device in WebSocket mode against the conformance suite every device passes. */
class HttpWebSocketConformanceTest extends DeviceConformance {

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
        return Map.of("mode", "websocket");
    }

    /** A masked binary frame header announcing {@code size} bytes (64-bit length form). */
    @Override
    protected byte[] announceMessageOf(long size) {
        return ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(size).putInt(0x11223344).array();
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return RawHttp.websocket(address(connectAddress(endpoint)), Settings.DEFAULT_PATH);
    }

    static InetSocketAddress address(String text) {
        HttpAddress a = HttpAddress.parse(text, 0);
        return new InetSocketAddress(a.host(), a.port());
    }
}
