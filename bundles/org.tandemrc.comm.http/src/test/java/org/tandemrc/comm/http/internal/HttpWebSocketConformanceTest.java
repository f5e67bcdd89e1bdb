package org.tandemrc.comm.http.internal;

import java.nio.ByteBuffer;

/** The http device in WebSocket mode against the conformance suite every device passes. */
class HttpWebSocketConformanceTest extends HttpConformance {

    HttpWebSocketConformanceTest() {
        super("websocket", RawHttp::websocket);
    }

    /** A masked binary frame header announcing {@code size} bytes (64-bit length form). */
    @Override
    protected byte[] announceMessageOf(long size) {
        return ByteBuffer.allocate(14).put((byte) 0x82).put((byte) (0x80 | 127)).putLong(size).putInt(0x11223344).array();
    }
}
