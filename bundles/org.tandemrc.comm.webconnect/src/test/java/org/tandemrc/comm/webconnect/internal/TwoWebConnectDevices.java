package org.tandemrc.comm.webconnect.internal;

import java.util.Map;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.webconnect.manager.internal.ManagerServer;

/**
 * A deployment with a manager and the test account, a Host's device and a Guest's device, and an event
 * loop for raw peers: what the tests of the device with a real manager start from.
 */
abstract class TwoWebConnectDevices {

    protected Deployment deployment;
    protected ManagerServer manager;
    protected WebConnectDevice host;
    protected WebConnectDevice guest;
    protected NioEventLoopGroup group;

    /** Starts the deployment's manager (plaintext or TLS). */
    protected abstract ManagerServer startManager(Deployment deployment) throws Exception;

    @BeforeEach
    void startDeploymentAndDevices() throws Exception {
        deployment = new Deployment();
        manager = startManager(deployment);
        deployment.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
        host = new WebConnectDevice();
        host.activate();
        guest = new WebConnectDevice();
        guest.activate();
        group = new NioEventLoopGroup(1);
    }

    @AfterEach
    void stopDeploymentAndDevices() throws Exception {
        guest.deactivate();
        host.deactivate();
        deployment.close();
        group.shutdownGracefully();
    }

    protected static CommunicationProfile profile(Map<String, String> settings) {
        return new CommunicationProfile("wc", "webconnect", settings);
    }
}
