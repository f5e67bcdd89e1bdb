package org.tandemrc.api.node;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A command a bundle adds to the {@code tandem} command line, registered with
 * {@value #NAME_PROPERTY}. The kernel finds it by that property and calls {@link #run} by name with
 * JDK types only, so it never loads API classes:
 * <ul>
 * <li>{@code guest}: {@code tandem guest ...} runs in a Guest framework started for the command;</li>
 * <li>{@code admin:NAME}: {@code tandem admin NAME ...} runs inside the running node.</li>
 * </ul>
 */
@ConsumerType
public interface Command {

    /** Service property: the command's name. */
    String NAME_PROPERTY = "tandem.command";

    /**
     * Runs the command.
     *
     * @param args the arguments after the command's name
     * @param in   what the user types (may be at its end at once when there is no terminal)
     * @param out  output for the user
     * @param err  error output for the user
     * @return the exit status: 0 success, 1 failure, 2 wrong usage
     */
    int run(List<String> args, InputStream in, PrintStream out, PrintStream err);
}
