package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.comm.gateway.internal.GatewayDevice;
import org.tandemrc.comm.tcp.internal.TcpDevice;

/**
 * The gateway device against the conformance suite every device passes. The suite's connecting side is
 * the real {@link GatewayDevice}; its listening side is a Host on the tcp device behind a real Gateway
 * in this process (the gateway device itself does not listen), so every link of the suite goes
 * Guest → gateway device → tcp → Gateway (logon, route, splice) → tcp → Host. The raw peers of the
 * hostile-input tests talk to the Gateway's own endpoint.
 */
class GatewayConformanceTest extends DeviceConformance {

    private static final String PASSWORD = "conformance";

    /** One side of the suite: a gateway device to connect with, and a Gateway with a Host to listen with. */
    static final class ThroughGateway implements CommunicationDevice {
        final GatewayFixture gw;
        final TcpDevice hosts = new TcpDevice();
        final GatewayDevice device;

        ThroughGateway() throws IOException {
            gw = new GatewayFixture(MAX_MESSAGE);
            gw.user("guest", PASSWORD, "lan", "127.0.0.1:*");
            // The suite opens 40 links at once from one address, each with its own logon as the same user:
            // more than the default logon limits let one address, or one account not yet trusted from
            // it, start at once (see docs/security/logon.md). A loaded machine holds every logon in
            // flight until the first success trusts the address, so the account's budget is raised too.
            gw.gateway.settings = GatewaySettings.parse(Map.ofEntries(Map.entry("logon.pending.address", "100"),
                    Map.entry("logon.address.hour", "1000"), Map.entry("logon.address.burst", "100"),
                    Map.entry("logon.target.hour", "1000"), Map.entry("logon.target.burst", "100"),
                    Map.entry("logon.challenges.minute", "1000"), Map.entry("logon.answer.millis", "0")));
            hosts.activate();
            device = gw.guestDevice();
        }

        @Override
        public String type() {
            return "gateway";
        }

        @Override
        public java.util.List<org.tandemrc.api.comm.DeviceSetting> settings() {
            return device.settings();
        }

        @Override
        public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
            Map<String, String> s = new HashMap<>(profile.settings());
            Endpoint host = hosts.listen(new CommunicationProfile(profile.name(), "tcp", s), acceptor);
            return new Endpoint() {
                @Override
                public CommunicationProfile profile() {
                    return profile;
                }

                @Override
                public String address() {
                    return "gateway:" + host.address().substring("tcp:".length());
                }

                @Override
                public void close() {
                    host.close();
                }
            };
        }

        @Override
        public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
            return device.connect(profile, address, handler);
        }

        void stop() throws Exception {
            gw.close();
            hosts.deactivate();
        }
    }

    @Override
    protected CommunicationDevice newDevice() throws IOException {
        return new ThroughGateway();
    }

    @Override
    protected void stopDevice(CommunicationDevice device) throws Exception {
        ((ThroughGateway) device).stop();
    }

    @Override
    protected Map<String, String> connectSettings() {
        return Map.of("gateway", ((ThroughGateway) server).gw.address(), "group", "lan", "user", "guest",
                "password", PASSWORD);
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return lengthField(size);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        HostPort gateway = HostPort.parse(((ThroughGateway) server).gw.address().substring("tcp:".length()), 0, "");
        return socketPeer(gateway.host(), gateway.port());
    }
}
