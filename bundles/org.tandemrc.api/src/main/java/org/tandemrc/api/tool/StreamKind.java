package org.tandemrc.api.tool;

/**
 * How a streaming operation's output is shown by a front end that has never seen the tool, and which
 * input it takes from the Guest.
 */
public enum StreamKind {
    /**
     * A terminal: the output is the byte stream of a pseudo-terminal (escape sequences and all) for a
     * terminal emulator; the input is the keys typed, and the Guest may {@link StreamInput#resize resize}.
     */
    TERMINAL,
    /** Lines of UTF-8 text appended as they come (a followed log, a command's output); no input. */
    TEXT,
    /** A {@link Result} that replaces the one shown before each time it comes (a live table); no input. */
    TABLE,
    /** Opaque bytes both ways for a program on the Guest's side (a tunnel); nothing to show. */
    BYTES
}
