package org.tandemrc.session.files.internal;

import org.tandemrc.api.files.FileException;

/** A path the peer may not use: it would leave its root, or names what only this side may name. */
final class RefusedPath extends FileException {
    private static final long serialVersionUID = 1L;

    RefusedPath(String message) {
        super(message);
    }

    /** Peer text in a message: control characters shown as escapes, never raw. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() >= 300 ? b + "..." : b.toString();
    }
}
