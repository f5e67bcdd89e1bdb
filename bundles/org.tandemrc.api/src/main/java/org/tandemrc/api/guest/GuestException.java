package org.tandemrc.api.guest;

import java.util.Objects;

/**
 * A connection or session could not be made. The message says why, for a person to read; the
 * {@link #reason()} says it for a program (an HTTP status, an exit code), so that no front end
 * decides by matching the message.
 */
public class GuestException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a Guest operation failed, as a front end acts on it. */
    public enum Reason {
        /** The request itself is unusable: a malformed address, an unknown or disabled profile. */
        INVALID_REQUEST,
        /** What the request needs is not installed or not offered on this Guest (a device, a session type). */
        NOT_INSTALLED,
        /** What the request names does not exist (any more): a connection, a help request. */
        NOT_FOUND,
        /** The Host could not be reached, or the secured connection could not be set up. */
        UNREACHABLE,
        /** The Host offered an identity key other than the pinned one; it was not accepted. */
        KEY_CHANGED,
        /** The Host checked the password and refused it; another attempt may succeed. */
        WRONG_PASSWORD,
        /** The Host refused the logon without checking a password (logon method, a refusal before the challenge). */
        LOGON_REFUSED,
        /** The Host ended the logon for good: this address locked out, too many attempts, the Host disabled or busy. */
        LOCKED_OUT,
        /** The Host refused a session (role, consent, nobody there). */
        SESSION_REFUSED,
        /** The Host did not answer in time. */
        NO_ANSWER,
        /** The connection or session closed before the operation completed. */
        CLOSED,
        /** The Host broke the protocol or could not prove it knows the password. */
        PROTOCOL_ERROR,
        /** The session ran, but its work was not done (a message not delivered); the message says why. */
        NOT_DONE,
        /** Something on this Guest failed (a file it keeps); the message says what. */
        LOCAL_FAILURE,
        /** Any other failure. */
        FAILED
    }

    private final Reason reason;

    /** A failure of no particular kind ({@link Reason#FAILED}). */
    public GuestException(String message) {
        this(Reason.FAILED, message);
    }

    /** @since 0.4 */
    public GuestException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the operation failed. @since 0.4 */
    public Reason reason() {
        return reason;
    }
}
