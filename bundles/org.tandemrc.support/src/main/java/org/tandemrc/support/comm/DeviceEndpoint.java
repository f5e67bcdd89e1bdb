package org.tandemrc.support.comm;

import java.util.concurrent.atomic.AtomicBoolean;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;

/** An endpoint that a device closes with one action, run once however often it is closed. */
public final class DeviceEndpoint implements Endpoint {

    private final CommunicationProfile profile;
    private final String address;
    private final Runnable close;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param address where it listens, as {@link Endpoint#address()} words it
     * @param close   stops listening; links already open stay open
     */
    public DeviceEndpoint(CommunicationProfile profile, String address, Runnable close) {
        this.profile = profile;
        this.address = address;
        this.close = close;
    }

    @Override
    public CommunicationProfile profile() {
        return profile;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            close.run();
        }
    }

    @Override
    public String toString() {
        return address;
    }
}
