package org.tandemrc.host.support.internal;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The terminal as the temporary Host's face, without a desktop: the script asked for the code before
 * the Host started; a refused code ends this run (the person starts it again with the right one), and
 * Ctrl+C is End support.
 *
 * @param out  the person's terminal
 * @param quit stops the Host, after a refused code
 */
record TerminalFace(PrintStream out, Runnable quit) implements Face {

    @Override
    public void connecting() {
        out.println("tandem-support-host: connecting to your supporter's session...");
    }

    @Override
    public void refused(String why) {
        out.println("tandem-support-host: the code was not accepted: " + why);
        out.println("tandem-support-host: start it again with the code your supporter gives you.");
        quit.run();
    }

    @Override
    public void joined(String supporter, String account, Instant ends) {
        out.println("tandem-support-host: " + TemporaryHost.joinedText(supporter, account));
        out.println("tandem-support-host: the session ends " + TemporaryHost.when(ends)
                + ". Press Ctrl+C to end support now.");
    }

    @Override
    public void ended(String text) {
        out.println("tandem-support-host: " + text);
    }

    @Override
    public void close() {
    }
}
