package org.tandemrc.comm.udp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/**
 * The udp device against the conformance suite every device passes. A vanishing listener goes silent
 * (no close, no ICMP): the connecting side must notice by its idle timeout, set to 3 s here.
 */
class UdpConformanceTest extends DeviceConformance {

    private final List<UdpDevice> silenced = new ArrayList<>();

    UdpConformanceTest() {
        super(UdpDevice::new, UdpDevice::activate, UdpDevice::deactivate);
    }

    @Override
    protected Map<String, String> connectSettings() {
        return Map.of("idle-timeout", "3");
    }

    @Override
    protected void vanish(CommunicationDevice listeningSide) {
        UdpDevice d = (UdpDevice) listeningSide;
        d.silence();
        silenced.add(d);
    }

    @Override
    protected Duration vanishNoticedWithin() {
        return Duration.ofSeconds(5);
    }

    @AfterEach
    void stopSilenced() throws InterruptedException {
        for (UdpDevice d : silenced) {
            d.deactivate();
        }
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return RawUdpPeer.announce(size);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        InetSocketAddress a = UdpAddress.parse(connectAddress(endpoint), 0);
        return new RawUdpPeer(new InetSocketAddress(a.getHostString(), a.getPort()));
    }

    /**
     * A peer that completes the handshake with plain datagrams and then sends whatever it is given: a
     * DATA datagram gets its destination connection id filled in, anything else goes as it is, cut into
     * datagrams. The device closed it when a RESET for its connection arrives.
     */
    static final class RawUdpPeer implements RawPeer {
        private final DatagramSocket socket;
        private final long clientId = new Random().nextLong() | 1;
        private long serverId;

        RawUdpPeer(InetSocketAddress to) throws IOException {
            socket = new DatagramSocket();
            socket.connect(to);
            socket.setSoTimeout(5000);
            ByteBuffer init = ByteBuffer.allocate(Packet.HANDSHAKE_SIZE);
            init.putShort((short) Packet.MAGIC).put((byte) Packet.VERSION).put((byte) Packet.INIT).putLong(clientId)
                    .putInt(1 << 20).putShort((short) 0);
            send(init.array());
            ByteBuffer cookie = receive(Packet.COOKIE);
            cookie.getLong();
            byte[] c = new byte[Packet.COOKIE_SIZE];
            cookie.get(c);
            ByteBuffer echo = ByteBuffer.allocate(Packet.HANDSHAKE_SIZE);
            echo.putShort((short) Packet.MAGIC).put((byte) Packet.VERSION).put((byte) Packet.ECHO).putLong(clientId)
                    .put(c).putInt(1 << 20).putShort((short) 0);
            send(echo.array());
            ByteBuffer accept = receive(Packet.ACCEPT);
            if (accept.getLong() != clientId) {
                throw new IOException("ACCEPT for another connection");
            }
            serverId = accept.getLong();
        }

        static byte[] announce(long size) {
            ByteBuffer b = ByteBuffer.allocate(Packet.DATA_HEADER + Packet.LENGTH_FIELD + 100);
            b.putShort((short) Packet.MAGIC).put((byte) Packet.VERSION).put((byte) Packet.DATA).putLong(0).putLong(0)
                    .put((byte) Packet.FIRST).putInt((int) Math.min(size, 0xFFFF_FFFFL));
            return b.array();
        }

        private void send(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length));
        }

        private ByteBuffer receive(int type) throws IOException {
            byte[] buf = new byte[Packet.RECEIVE_BUFFER];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
                if (p.getLength() >= Packet.HEADER && b.getShort() == Packet.MAGIC && b.get() == Packet.VERSION
                        && b.get() == type) {
                    return b;
                }
            }
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            byte[] copy = bytes.clone();
            if (copy.length >= Packet.HEADER + 8 && (copy[0] & 0xFF) == (Packet.MAGIC >> 8)
                    && (copy[1] & 0xFF) == (Packet.MAGIC & 0xFF) && copy[3] == Packet.DATA) {
                ByteBuffer.wrap(copy).putLong(Packet.HEADER, serverId);
            }
            for (int at = 0; at < copy.length; at += 60_000) {
                socket.send(new DatagramPacket(copy, at, Math.min(60_000, copy.length - at)));
            }
        }

        @Override
        public boolean closedByDevice(Duration within) throws IOException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                ByteBuffer reset;
                try {
                    reset = receive(Packet.RESET);
                } catch (SocketTimeoutException e) {
                    return false;
                }
                if (reset.getLong() == clientId) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
