package org.tandemrc.protocol;

/** The peer refused to open a session channel; the message is its reason, fit to show. */
public class SessionDenied extends Exception {

    private static final long serialVersionUID = 1L;

    public SessionDenied(String reason) {
        super(reason);
    }
}
