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

    /**
     * Connects as {@link #connect(ConnectRequest)} does, but accepts only the Host key whose fingerprint
     * the caller was given (an invitation names it), before any password is used; that key is pinned for
     * the address.
     *
     * @param fingerprint the fingerprint the Host's identity key must have
     * @throws GuestException {@link GuestException.Reason#KEY_CHANGED} when the Host offers another key
     * @since 1.3
     */
    default HostConnection connect(ConnectRequest request, String fingerprint) throws GuestException, InterruptedException {
        throw new GuestException(GuestException.Reason.NOT_INSTALLED, "this Guest cannot check a Host key given in advance");
    }

    /**
     * Lists the Hosts that answer a browse on every device that can browse (the {@code udp} device:
     * the local segments and the profile's IP broadcast list). Hosts whose name is not public do not
     * answer.
     *
     * @param profile the name of the profile whose settings apply, or empty for each device's enabled
     *                profile
     * @param timeout how long to collect answers
     * @throws GuestException when no installed device can browse, or the profile is unusable
     */
    java.util.List<org.tandemrc.api.comm.DiscoveredHost> browse(String profile, java.time.Duration timeout)
            throws GuestException, InterruptedException;
}
