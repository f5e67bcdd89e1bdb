package org.tandemrc.api.files;

import java.io.IOException;

/** A file operation failed; the message says which file and why, for a person to read. */
public class FileException extends IOException {
    private static final long serialVersionUID = 1L;

    public FileException(String message) {
        super(message);
    }

    public FileException(String message, Throwable cause) {
        super(message, cause);
    }
}
