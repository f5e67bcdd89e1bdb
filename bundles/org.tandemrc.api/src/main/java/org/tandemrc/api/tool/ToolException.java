package org.tandemrc.api.tool;

/** An operation failed; the message says why in words the Guest's user can act on. */
public class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
