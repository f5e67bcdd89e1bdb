package org.tandemrc.api.screen.client;

/** How the Host trades picture accuracy for bandwidth (the reference's quality slider). */
public enum Quality {
    /** Every pixel exact. */
    LOSSLESS,
    /** Photo-like areas as JPEG at quality 80, text and flat areas exact; exact again once still. */
    BALANCED,
    /** Photo-like areas as JPEG at quality 50; exact again once still. */
    LOW_BANDWIDTH
}
