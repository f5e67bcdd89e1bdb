package org.tandemrc.api.session;

/**
 * How urgent a session channel's data is. When the link is busy, waiting data of a more urgent
 * channel goes first, so a file transfer never starves screen updates and keystrokes.
 */
public enum ChannelPriority {
    /** Connection control, chat, messages. */
    CONTROL,
    /** Keyboard and mouse. */
    INPUT,
    /** Screen updates. */
    SCREEN,
    /** File data and other bulk transfers. */
    BULK
}
