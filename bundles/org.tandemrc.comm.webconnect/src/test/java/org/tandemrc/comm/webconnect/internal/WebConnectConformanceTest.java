package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Hello;
import org.tandemrc.webconnect.protocol.Pairing;

/**
 * The conformance suite through a real Connection Manager and two relays on loopback, on H2. Hostile
 * peers are Guests that log on and pair through the manager and relay like any other, then send raw
 * bytes to the Host's device.
 */
class WebConnectConformanceTest extends DeviceConformance {

    private static final long WAIT = 20;

    private static Deployment deployment;
    private static ManagerServer manager;
    private static NioEventLoopGroup rawGroup;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = new Deployment();
        manager = deployment.manager();
        deployment.relay();
        deployment.relay();
        deployment.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
        rawGroup = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void undeploy() {
        deployment.close();
        rawGroup.shutdownGracefully();
    }

    WebConnectConformanceTest() {
        super(WebConnectDevice::new, WebConnectDevice::activate, WebConnectDevice::deactivate);
    }

    @Override
    protected Map<String, String> listenSettings() {
        return Deployment.settings(manager, Deployment.hostName());
    }

    @Override
    protected Map<String, String> connectSettings() {
        return Deployment.settings(manager, null);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return rawPeer(rawGroup, manager, endpoint);
    }

    /**
     * A hostile Guest: logs on to {@code manager} over TCP, pairs with the Host of {@code endpoint}, dials the
     * relay's TCP address and says HELLO; the bytes it then sends reach the Host's link decoder.
     */
    static RawPeer rawPeer(NioEventLoopGroup rawGroup, ManagerServer manager, Endpoint endpoint) throws IOException {
        String host = endpoint.address().substring("webconnect:".length(), endpoint.address().indexOf('@'));
        Pairing.Paired paired;
        try (Control c = Control.open(rawGroup, manager.address(), 5000)) {
            c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
            c.send(Frames.frame(Frames.CONNECT, Fields.string(new WireWriter(), host)));
            paired = Pairing.Paired.read(Fields.reader(c.expect(Frames.PAIRED, 10_000)));
        } catch (Control.Refused | ProtocolException e) {
            throw new IOException(e.getMessage());
        }
        HostPort hp = HostPort.parse(org.tandemrc.webconnect.tunnel.Endpoints.parse(paired.relayAddress()).tcp(), 6591,
                "relay");
        Socket s = new Socket(hp.host(), hp.port());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.write(ByteBufUtil.getBytes(
                Frames.frame(Frames.RELAY_TOKEN, Fields.bytes(new WireWriter(), paired.token()))));
        DataInputStream in = new DataInputStream(s.getInputStream());
        int len = in.readInt();
        if (len != 1 || in.readByte() != Frames.RELAY_PAIRED) {
            s.close();
            throw new IOException("relay did not pair the raw peer");
        }
        // Say HELLO as a Guest would, so the bytes that follow reach the Host's link decoder.
        out.write(ByteBufUtil.getBytes(new Hello(Frames.VERSION, paired.pairingId(), Frames.ROLE_GUEST, 0)
                .frame()));
        out.flush();
        return DeviceConformance.socketPeer(s);
    }

    /** A field the link reads from its peer (CLOSE's reason) that is over-long or not UTF-8 ends the link. */
    @Test
    void aHostileFieldFromThePeerClosesTheLinkWithTheReason() throws Exception {
        Map<String, byte[]> hostile = Map.of(
                "exceeds the limit of " + Fields.MAX_STRING, new WireWriter().u16(Fields.MAX_STRING + 1)
                        .bytes(new byte[Fields.MAX_STRING + 1]).toByteArray(),
                "not valid UTF-8", new WireWriter().u16(2).u8(0xc3).u8(0x28).toByteArray());
        for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
            BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
            Endpoint endpoint = listen(() -> {
                Recorder r = new Recorder();
                accepted.add(r);
                return r;
            });
            try (RawPeer raw = rawPeer(endpoint)) {
                Recorder host = accepted.poll(WAIT, TimeUnit.SECONDS);
                assertNotNull(host, "the Host never opened the link");
                ByteBuf close = Frames.frame(Frames.CLOSE, new WireWriter().bytes(e.getValue()));
                raw.write(ByteBufUtil.getBytes(close));
                String reason = host.closed.get(WAIT, TimeUnit.SECONDS);
                assertTrue(reason.contains("protocol error from the peer") && reason.contains(e.getKey()), reason);
                assertTrue(raw.closedByDevice(Duration.ofSeconds(WAIT)), "the link's relay connection stayed open");
            }
        }
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return announce(size);
    }

    static byte[] announce(long size) {
        ByteBuffer b = ByteBuffer.allocate(13);
        b.putInt((int) (1 + 8 + size)).put(Frames.DATA).putLong(1);
        return b.array();
    }
}
