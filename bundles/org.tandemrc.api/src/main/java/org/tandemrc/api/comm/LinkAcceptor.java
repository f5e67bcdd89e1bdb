package org.tandemrc.api.comm;

import org.osgi.annotation.versioning.ConsumerType;

/** Decides what to do with each link a peer opens to an {@link Endpoint}. */
@ConsumerType
public interface LinkAcceptor {

    /**
     * A peer opened a link.
     *
     * @return the handler of the link's events; it sees {@link LinkHandler#opened(Link)} next
     */
    LinkHandler accepted(Link link);
}
