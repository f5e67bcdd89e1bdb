package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.comm.http.internal.HttpDevice;
import org.tandemrc.webconnect.manager.internal.ManagerServer;

/**
 * The conformance suite with Host and Guest on the HTTP tunnel only ({@code transport=http}): a real
 * manager and two relays on loopback that also listen with a real {@code http} device; the devices reach
 * them through their own {@code http} device (WebSocket). Each test checks the links really took the tunnel.
 * Hostile peers pair through the manager like any Guest and send raw bytes over the relay's TCP address.
 */
class WebConnectHttpConformanceTest extends DeviceConformance {

    private static Deployment deployment;
    private static ManagerServer manager;
    private static NioEventLoopGroup rawGroup;
    private static HttpDevice clientHttp;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = new Deployment();
        manager = deployment.httpManager(null);
        deployment.httpRelay(null);
        deployment.httpRelay(null);
        deployment.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
        rawGroup = new NioEventLoopGroup(1);
        clientHttp = new HttpDevice();
        clientHttp.activate();
    }

    @AfterAll
    static void undeploy() throws Exception {
        deployment.close();
        rawGroup.shutdownGracefully();
        clientHttp.deactivate();
    }

    WebConnectHttpConformanceTest() {
        super(WebConnectDevice::new, d -> {
            d.activate();
            d.http(clientHttp);
        }, WebConnectDevice::deactivate);
    }

    private static Map<String, String> tunnelOnly(Map<String, String> s) {
        s.put("transport", "http");
        s.put("fallback", "http:" + Deployment.tunnel(manager));
        return s;
    }

    @Override
    protected Map<String, String> listenSettings() {
        return tunnelOnly(Deployment.settings(manager, Deployment.hostName()));
    }

    @Override
    protected Map<String, String> connectSettings() {
        return tunnelOnly(Deployment.settings(manager, null));
    }

    /** Every Guest link the suite opens must have reached its relay through the tunnel. */
    @Override
    protected Link connect(Endpoint endpoint, LinkHandler handler) throws Exception {
        Link l = super.connect(endpoint, handler);
        String via = ((WebConnectLink) l).via();
        assertTrue(via != null && via.startsWith("http:127.0.0.1:"), "the Guest's relay connection took " + via);
        return l;
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        return WebConnectConformanceTest.rawPeer(rawGroup, manager, endpoint);
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return WebConnectConformanceTest.announce(size);
    }
}
