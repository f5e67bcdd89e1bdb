package org.tandemrc.protocol.srp;

/**
 * The password proof failed: wrong password, unknown identity, hostile or malformed values from the
 * peer, or a key-exchange binding that differs between the two sides. The message never contains
 * secret material and may be shown to a user or logged.
 */
public final class AuthenticationFailed extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a description that contains no secret
     */
    public AuthenticationFailed(String message) {
        super(message);
    }
}
