package org.tandemrc.comm.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.api.testing.DeviceConformance;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/**
 * Datagrams from anyone on the network to a listening udp socket: the cookie handshake, then data,
 * acknowledgements, pings and resets of an established link, and the reassembly of its messages. The
 * socket drops a datagram it cannot read; a runtime exception it has to catch for that is a decoder bug
 * and fails the target.
 */
class UdpFuzzTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5600);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final Logger SOCKET_LOG = Logger.getLogger(UdpSocket.class.getName());
    private static volatile Throwable swallowed;

    static {
        SOCKET_LOG.setLevel(Level.ALL);
        SOCKET_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getThrown() != null && swallowed == null) {
                    swallowed = r.getThrown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Unauthenticated datagrams, as they come: no state may be created and nothing may fail. */
    @FuzzTest(maxDuration = "5m")
    void datagrams(FuzzedDataProvider data) {
        Rig rig = new Rig();
        while (data.remainingBytes() > 0) {
            byte[] d = data.consumeBytes(data.consumeInt(0, 1400));
            ByteBuf b = Unpooled.buffer();
            if (data.consumeBoolean()) {
                b.writeShort(Packet.MAGIC).writeByte(Packet.VERSION);
            }
            b.writeBytes(d);
            if (data.consumeBoolean()) {
                Packet.pad(b, Packet.HANDSHAKE_SIZE);
            }
            rig.in(b);
        }
        rig.done();
    }

    /** A peer that completed the cookie handshake sends whatever it likes on its link. */
    @FuzzTest(maxDuration = "5m")
    void linkPackets(FuzzedDataProvider data) {
        Rig rig = new Rig();
        long linkId = rig.handshake(data.consumeLong(), data.consumeInt(0, 1 << 21));
        long seq = 0;
        while (data.remainingBytes() > 0) {
            int type = data.pickValue(new int[] {Packet.DATA, Packet.DATA, Packet.DATA, Packet.ACK, Packet.PING,
                Packet.RESET, Packet.ECHO, Packet.INIT});
            ByteBuf b = Unpooled.buffer().writeShort(Packet.MAGIC).writeByte(Packet.VERSION).writeByte(type);
            b.writeLong(data.consumeBoolean() ? linkId : data.consumeLong());
            if (type == Packet.DATA) {
                b.writeLong(data.consumeBoolean() ? seq++ : data.consumeLong(seq - 4, seq + 4));
                int flags = data.consumeInt(0, 7);
                b.writeByte(flags);
                if ((flags & Packet.FIRST) != 0 && data.consumeBoolean()) {
                    b.writeInt(data.consumeBoolean() ? data.consumeInt(0, 4000) : data.consumeInt());
                }
            }
            b.writeBytes(data.consumeBytes(data.consumeInt(0, 1300)));
            rig.in(b);
        }
        rig.done();
    }

    /** The reassembler alone, fed fragments in order as the link hands them over. */
    @FuzzTest(maxDuration = "5m")
    void reassembly(FuzzedDataProvider data) {
        Reassembler r = new Reassembler(data.consumeInt(0, 1 << 20));
        Reassembler.Sink sink = new Reassembler.Sink() {
            @Override
            public void message(ByteBuffer message) {
            }

            @Override
            public void closed(String reason) {
            }
        };
        while (data.remainingBytes() > 0) {
            int flags = data.consumeInt(0, 7);
            // the link reads the announced length as an unsigned 32-bit number
            long length = data.consumeLong(0, 0xffffffffL);
            byte[] payload = data.consumeBytes(data.consumeInt(0, 2000));
            int offset = payload.length == 0 ? 0 : data.consumeInt(0, payload.length);
            try {
                r.fragment(flags, length, payload, offset, payload.length - offset, sink);
            } catch (Reassembler.Violation refused) {
                return;
            }
        }
    }

    /** A listening socket on an embedded channel; the test plays the network. */
    private static final class Rig {
        final EmbeddedChannel ch = new EmbeddedChannel();
        final UdpSocket socket;

        Rig() {
            swallowed = null;
            UdpSocket.Listening listening = new UdpSocket.Listening(link -> DeviceConformance.DISCARD,
                    new UdpSocket.Identity("host", "user", true, true), 1 << 20, 1200, TimeUnit.SECONDS.toNanos(60));
            socket = new UdpSocket(new UdpDevice(), listening);
            ch.pipeline().addLast(socket);
            socket.attach(ch);
        }

        void in(ByteBuf b) {
            ch.writeInbound(new DatagramPacket(b, LOCAL, PEER));
            drain();
        }

        /** Completes the cookie handshake as a real client does; returns the Host's link id. */
        long handshake(long clientId, int peerMax) {
            ByteBuf init = Packet.header(Unpooled.buffer().alloc(), Packet.INIT, Packet.HANDSHAKE_SIZE).writeLong(clientId);
            Packet.pad(init, Packet.HANDSHAKE_SIZE);
            ch.writeInbound(new DatagramPacket(init, LOCAL, PEER));
            DatagramPacket cookie = ch.readOutbound();
            ByteBuf c = cookie.content().skipBytes(Packet.HEADER + 8);
            ByteBuf echo = Packet.header(Unpooled.buffer().alloc(), Packet.ECHO, Packet.HANDSHAKE_SIZE)
                    .writeLong(clientId).writeBytes(c, Packet.COOKIE_SIZE).writeInt(peerMax);
            cookie.release();
            Packet.pad(echo, Packet.HANDSHAKE_SIZE);
            ch.writeInbound(new DatagramPacket(echo, LOCAL, PEER));
            DatagramPacket accept = ch.readOutbound();
            long id = accept.content().skipBytes(Packet.HEADER + 8).readLong();
            accept.release();
            drain();
            return id;
        }

        void drain() {
            ch.runPendingTasks();
            for (Object o; (o = ch.readOutbound()) != null;) {
                ReferenceCountUtil.release(o);
            }
        }

        void done() {
            drain();
            ch.finishAndReleaseAll();
            Throwable t = swallowed;
            if (t != null) {
                throw new AssertionError("a datagram made the socket fail: " + t, t);
            }
        }
    }
}
