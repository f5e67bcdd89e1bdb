package org.tandemrc.host.support.internal;

import java.time.Instant;

/** How the temporary Host talks to the person: a window on a desktop, else the terminal. */
interface Face {

    /** Shows that the code is being checked. */
    void connecting();

    /** The manager refused the code (or could not be reached): its words; the person may try again. */
    void refused(String why);

    /** Joined: who helps, for which account, until when. */
    void joined(String supporter, String account, Instant ends);

    /** The session is over: {@code text} for the person to read before the Host removes itself. */
    void ended(String text);

    /** Closes the window, if any. */
    void close();
}
