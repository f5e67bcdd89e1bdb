package org.tandemrc.comm.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The TCP device against the conformance suite every device passes. */
class TcpConformanceTest extends DeviceConformance {

    @Override
    protected CommunicationDevice newDevice() {
        TcpDevice device = new TcpDevice();
        device.activate();
        return device;
    }

    @Override
    protected void stopDevice(CommunicationDevice device) throws InterruptedException {
        ((TcpDevice) device).deactivate();
    }

    @Override
    protected Map<String, String> listenSettings() {
        return Map.of("bind", "127.0.0.1", "port", "0");
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return ByteBuffer.allocate(4).putInt((int) Math.min(size, Integer.MAX_VALUE)).array();
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        InetSocketAddress a = TcpAddress.parse(connectAddress(endpoint), 0);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(a.getHostString(), a.getPort()), 5000);
        return socketPeer(socket);
    }
}
