package org.tandemrc.api.adhoc;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;

/**
 * The supporter's side of ad hoc support: support sessions at the WebConnect Connection Manager of a
 * Guest's webconnect profile (one with an account and password: the supporter logs on as a Guest of
 * that account). A session's code lets one temporary Host join; the supporter then connects to
 * {@link SupportSession#address()} through the same profile, any number of times, until the session ends.
 *
 * <p>Every failure is a {@link GuestException}: {@link GuestException.Reason#INVALID_REQUEST} for a profile
 * that cannot make sessions (unknown, disabled, not webconnect, without account), {@link
 * GuestException.Reason#SESSION_REFUSED} with the manager's own sentence when it refuses (limits, a code
 * that is not open, a session already joined), {@link GuestException.Reason#UNREACHABLE} when no manager
 * answered.
 */
@ProviderType
public interface SupportDesk {

    /** The enabled webconnect profiles with an account that can make support sessions, by name. */
    List<String> profiles();

    /**
     * Makes a session.
     *
     * @param supporter       the name the person at the temporary Host sees
     * @param codeMinutes     how long the code is valid, or 0 for the manager's default
     * @param lifetimeMinutes how long the session lasts once a Host joined, or 0 for the manager's default
     */
    SupportSession create(String profile, String supporter, int codeMinutes, int lifetimeMinutes) throws GuestException;

    /** The account's open sessions (waiting or active), oldest first. */
    List<SupportSession> list(String profile) throws GuestException;

    /** What {@link #change} does to a session. */
    enum Change {
        /** Nothing: the session as it stands. */
        STATUS,
        /** A waiting session's code valid afresh, the code unchanged. */
        EXTEND,
        /** A new code for a waiting session, valid afresh; the old code stops working. */
        RENEW,
        /** Cancels a session no Host joined yet. */
        CANCEL,
        /** Ends a session now; a joined temporary Host is told and stops. */
        END
    }

    /**
     * Changes (or, {@link Change#STATUS}, only reads) the open session of {@code code} (nine digits, spaces
     * and dashes allowed).
     *
     * @return the session as it stands after the change; a cancelled or ended one says so in its state
     */
    SupportSession change(String profile, String code, Change change) throws GuestException;
}
