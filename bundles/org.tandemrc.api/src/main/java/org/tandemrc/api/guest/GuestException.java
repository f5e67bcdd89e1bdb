package org.tandemrc.api.guest;

/** A connection or session could not be made; the message says why, for a person to read. */
public class GuestException extends Exception {
    private static final long serialVersionUID = 1L;

    public GuestException(String message) {
        super(message);
    }
}
