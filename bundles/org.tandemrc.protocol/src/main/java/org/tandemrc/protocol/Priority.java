package org.tandemrc.protocol;

/**
 * How urgent a channel's data is. When the link is busy, waiting data of a higher priority is sent
 * first, so a large file transfer never starves screen updates or keystrokes.
 */
public enum Priority {
    /** Connection control, chat, messages. */
    CONTROL,
    /** Keyboard and mouse. */
    INPUT,
    /** Screen updates. */
    SCREEN,
    /** File data and other bulk transfers. */
    BULK
}
