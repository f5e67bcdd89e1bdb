package org.tandemrc.protocol;

/** The peer broke the protocol: a malformed, oversized, replayed or forged message. */
public class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
