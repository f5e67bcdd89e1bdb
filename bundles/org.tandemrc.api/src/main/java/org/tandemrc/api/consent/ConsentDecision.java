package org.tandemrc.api.consent;

/** How a consent request ended. */
public enum ConsentDecision {
    /** The person allowed it. */
    GRANTED,
    /** The person refused. */
    DENIED,
    /** Nobody answered in time; treated as a refusal. */
    TIMED_OUT
}
