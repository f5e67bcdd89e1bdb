package org.tandemrc.comm.webconnect.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;

/**
 * The conformance suite through a real Connection Manager and two relays on loopback, on H2. Hostile
 * peers are Guests that log on and pair through the manager and relay like any other, then send raw
 * bytes to the Host's device.
 */
class WebConnectConformanceTest extends DeviceConformance {

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
        byte[] pairing;
        String relayAddress;
        byte[] token;
        try (Control c = Control.open(rawGroup, manager.address(), 5000)) {
            c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
            ByteBuf req = Frames.start(ByteBufAllocator.DEFAULT, Frames.CONNECT);
            Fields.putString(req, host);
            c.send(Frames.finish(req));
            ByteBuf f = c.expect(Frames.PAIRED, 10_000);
            pairing = Fields.getBytes(f);
            Fields.getString(f);
            relayAddress = Fields.getString(f);
            token = Fields.getBytes(f);
        } catch (Control.Refused e) {
            throw new IOException(e.getMessage());
        }
        HostPort hp = HostPort.parse(org.tandemrc.webconnect.tunnel.Endpoints.parse(relayAddress).tcp(), 6591, "relay");
        Socket s = new Socket(hp.host(), hp.port());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(1 + 2 + token.length);
        out.writeByte(Frames.RELAY_TOKEN);
        out.writeShort(token.length);
        out.write(token);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int len = in.readInt();
        if (len != 1 || in.readByte() != Frames.RELAY_PAIRED) {
            s.close();
            throw new IOException("relay did not pair the raw peer");
        }
        // Say HELLO as a Guest would, so the bytes that follow reach the Host's link decoder.
        out.writeInt(1 + 1 + 2 + 16 + 1 + 8);
        out.writeByte(Frames.HELLO);
        out.writeByte(Frames.VERSION);
        out.writeShort(16);
        out.write(pairing);
        out.writeByte(Frames.ROLE_GUEST);
        out.writeLong(0);
        out.flush();
        return DeviceConformance.socketPeer(s);
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
