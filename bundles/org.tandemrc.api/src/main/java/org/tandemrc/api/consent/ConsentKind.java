package org.tandemrc.api.consent;

/** What the person at the Host is asked to allow. */
public enum ConsentKind {
    /** A Guest wants to start a session (confirm access). */
    ACCESS,
    /** A Guest that views the screen wants to take control of keyboard and mouse. */
    TAKE_CONTROL,
    /** A Guest wants to copy files to this computer. */
    FILE_PUSH
}
