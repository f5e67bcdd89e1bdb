package org.tandemrc.api.event;

/** How much an event matters to an operator. */
public enum Severity {
    /** Normal operation: a session started or stopped. */
    INFO,
    /** Something an operator may want to look at. */
    WARNING,
    /** A security-relevant failure: a wrong password, a refused Guest. */
    SECURITY
}
