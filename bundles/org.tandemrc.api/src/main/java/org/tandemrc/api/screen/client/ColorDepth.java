package org.tandemrc.api.screen.client;

/** The most colours the Guest wants to see (the reference's "Limit number of colors"). */
public enum ColorDepth {
    /** The actual colours. */
    TRUE_COLOR,
    /** At most 256 colours: 3 bits of red, 3 of green, 2 of blue. */
    COLORS_256,
    /** At most 16 colours: the classic VGA palette. */
    COLORS_16,
    /** Black and white. */
    COLORS_2
}
