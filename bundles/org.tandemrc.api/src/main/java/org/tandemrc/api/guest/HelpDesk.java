package org.tandemrc.api.guest;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The help services of a Guest: it listens where Hosts send help requests, keeps each request's
 * secured connection open while it is pending, and lets a supporter take one. Registered by the Guest
 * bundle while help services are configured ({@code etc/org.tandemrc.guest.helpdesk.cfg}).
 */
@ProviderType
public interface HelpDesk {

    /** The help service names this Guest answers to. */
    List<String> services();

    /** Where it listens for help requests, as the devices report it. */
    List<String> listening();

    /** Why a configured place could not listen, if any. */
    List<String> problems();

    /** The pending requests, oldest first. */
    List<HelpRequest> pending();

    /**
     * Takes a pending request: tells the Host a supporter is there and logs on over the Host's own
     * connection, exactly as {@link Guest#connect} logs on (SRP; the Host's Guest Access Security
     * decides, the Host may ask its user to confirm). The request leaves the list whatever the outcome.
     *
     * @throws GuestException when the request is gone (canceled, taken by another supporter) or the
     *                        logon fails
     */
    HostConnection take(String id, String guestId, char[] password) throws GuestException, InterruptedException;

    /** Turns a pending request down; the Host is told why. */
    void decline(String id, String reason) throws GuestException;

    /** Calls {@code changed} whenever the pending list changes; the returned action stops that. */
    Runnable watch(Runnable changed);
}
