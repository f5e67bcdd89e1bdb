package org.tandemrc.comm.udp.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Two started udp devices for tests of links between them: one listens (the Host), one connects (the Guest). */
abstract class TwoUdpDevices {

    protected UdpDevice host;
    protected UdpDevice guest;

    @BeforeEach
    void startDevices() {
        host = new UdpDevice();
        host.activate();
        guest = new UdpDevice();
        guest.activate();
    }

    @AfterEach
    void stopDevices() throws InterruptedException {
        guest.deactivate();
        host.deactivate();
    }
}
