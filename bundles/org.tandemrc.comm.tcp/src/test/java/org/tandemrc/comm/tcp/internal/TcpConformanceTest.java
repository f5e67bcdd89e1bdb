package org.tandemrc.comm.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The TCP device against the conformance suite every device passes. */
class TcpConformanceTest extends DeviceConformance {

    TcpConformanceTest() {
        super(TcpDevice::new, TcpDevice::activate, TcpDevice::deactivate);
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return lengthField(size);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        InetSocketAddress a = TcpAddress.parse(connectAddress(endpoint), 0);
        return socketPeer(a.getHostString(), a.getPort());
    }
}
