package org.tandemrc.api.guest;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/** Connects to Hosts. Registered by the Guest bundle. */
@ProviderType
public interface Guest {

    /** The communication devices installed on this Guest, by type (e.g. {@code tcp}), for addresses. */
    Set<String> devices();

    /**
     * Connects through the communication device the address names, checks the Host's identity key
     * against the pinned one (pinning it on first contact), and logs on.
     *
     * @throws GuestException       with a sentence a person can act on: unreachable, key changed,
     *                              logon refused, ...
     * @throws InterruptedException when the calling thread is interrupted
     */
    HostConnection connect(ConnectRequest request) throws GuestException, InterruptedException;
}
