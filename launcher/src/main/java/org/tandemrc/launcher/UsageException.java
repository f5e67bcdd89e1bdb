package org.tandemrc.launcher;

/** The command line was wrong; the message says how, and the command exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
