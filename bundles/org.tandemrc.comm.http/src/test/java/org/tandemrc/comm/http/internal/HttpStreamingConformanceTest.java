package org.tandemrc.comm.http.internal;

/** The http device's streaming requests ({@code mode=http}) against the conformance suite every device passes. */
class HttpStreamingConformanceTest extends HttpConformance {

    HttpStreamingConformanceTest() {
        super("http", RawHttp::streaming);
    }

    /** A chunk of the upload body holding a message header that announces {@code size} bytes. */
    @Override
    protected byte[] announceMessageOf(long size) {
        return RawHttp.chunk(lengthField(size));
    }
}
