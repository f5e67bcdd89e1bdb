package org.tandemrc.api.phonebook;

import java.io.IOException;

/** A phonebook action failed; the message says what and why, for a person to read. */
public class PhonebookException extends IOException {
    private static final long serialVersionUID = 1L;

    public PhonebookException(String message) {
        super(message);
    }

    public PhonebookException(String message, Throwable cause) {
        super(message, cause);
    }
}
