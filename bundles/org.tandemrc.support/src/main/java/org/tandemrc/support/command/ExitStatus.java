package org.tandemrc.support.command;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The exit statuses of a node's {@code Command} services, and the one way a failure becomes one: a
 * refused argument ({@link IllegalArgumentException}) is wrong usage, a file or store that cannot be
 * read or written ({@link IOException}) a failure, each told on standard error as
 * {@code tandem: MESSAGE}.
 */
public final class ExitStatus {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    /** A command's body, answering its exit status. */
    @FunctionalInterface
    public interface Body {
        int run() throws IOException;
    }

    private ExitStatus() {
    }

    /** Runs {@code body}; a failure is told on {@code err} and answered with its status. */
    public static int of(PrintStream err, Body body) {
        try {
            return body.run();
        } catch (IllegalArgumentException e) {
            err.println("tandem: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("tandem: " + e.getMessage());
            return FAILURE;
        }
    }
}
