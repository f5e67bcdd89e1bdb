package org.tandemrc.support.comm;

import org.tandemrc.api.comm.Link;

/**
 * A link's fixed facts, its message limit and the addresses of its two ends, held once for the links
 * that know them when they are made (a socket named after a session, a relay pairing), so that the
 * links write only what they do differently. Links whose addresses come from a transport that learns
 * them later (a Netty channel before it connects) keep their own.
 */
public abstract class DescribedLink implements Link {

    private final int maxMessageSize;
    private final String local;
    private final String remote;

    protected DescribedLink(int maxMessageSize, String local, String remote) {
        this.maxMessageSize = maxMessageSize;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public final int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public final String localAddress() {
        return local;
    }

    @Override
    public final String remoteAddress() {
        return remote;
    }
}
