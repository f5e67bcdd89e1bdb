package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.tandemrc.api.comm.Endpoint;

/** The http device's streaming requests ({@code mode=http}) against the conformance suite every device passes. */
class HttpStreamingConformanceTest extends HttpConformance {

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
        return RawHttp.streaming(address(connectAddress(endpoint)), Settings.DEFAULT_PATH);
    }
}
