package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.tandemrc.api.comm.Endpoint;

/** The http device in WebSocket mode against the conformance suite every device passes. */
class HttpWebSocketConformanceTest extends HttpConformance {

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
}
