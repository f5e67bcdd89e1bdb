package org.tandemrc.api.comm;

import org.osgi.annotation.versioning.ConsumerType;

/** A device listening as a profile describes, until closed. */
@ConsumerType
public interface Endpoint extends AutoCloseable {

    /** The profile this endpoint listens with. */
    CommunicationProfile profile();

    /**
     * Where peers reach it, in the form {@code device:address}, e.g. {@code tcp:0.0.0.0:6502} or
     * {@code tcp:[::]:6502}; the port is the one actually bound.
     */
    String address();

    /** Stops listening. Links already accepted stay open. Closing twice does nothing. */
    @Override
    void close();
}
