package org.tandemrc.api.session;

/** Which end of a connection code runs on. */
public enum Side {
    /** The supporter's end, which opened the connection. */
    GUEST,
    /** The end being helped or managed. */
    HOST
}
