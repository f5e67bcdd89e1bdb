package org.tandemrc.comm.http.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The http device's part of the conformance suite, common to its two modes. */
abstract class HttpConformance extends DeviceConformance {

    /** How a raw peer of one mode opens its requests. */
    interface RawOpener {
        RawPeer open(InetSocketAddress address, String path) throws IOException;
    }

    private final String mode;
    private final RawOpener raw;

    HttpConformance(String mode, RawOpener raw) {
        super(HttpDevice::new, HttpDevice::activate, HttpDevice::deactivate);
        this.mode = mode;
        this.raw = raw;
    }

    @Override
    protected Map<String, String> connectSettings() {
        return Map.of("mode", mode);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return raw.open(address(connectAddress(endpoint)), Settings.DEFAULT_PATH);
    }

    static InetSocketAddress address(String text) {
        HttpAddress a = HttpAddress.parse(text, 0);
        return new InetSocketAddress(a.host(), a.port());
    }
}
