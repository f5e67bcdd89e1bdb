package org.tandemrc.comm.tcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
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
        return socketPeer(new InetSocketAddress(a.getHostString(), a.getPort()));
    }

    /** A plain socket as a raw peer: closed by the device when a read ends or is reset. */
    static RawPeer socketPeer(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        return new RawPeer() {
            @Override
            public void write(byte[] bytes) throws IOException {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            }

            @Override
            public boolean closedByDevice(Duration within) throws IOException {
                socket.setSoTimeout((int) within.toMillis());
                InputStream in = socket.getInputStream();
                try {
                    while (in.read() >= 0) {
                        // drain whatever the device sent before closing
                    }
                    return true;
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (IOException e) {
                    return true; // reset
                }
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
