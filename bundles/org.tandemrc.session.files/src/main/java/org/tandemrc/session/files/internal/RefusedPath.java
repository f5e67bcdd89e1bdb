package org.tandemrc.session.files.internal;

import org.tandemrc.api.files.FileException;
import org.tandemrc.support.text.PeerText;

/** A path the peer may not use: it would leave its root, or names what only this side may name. */
final class RefusedPath extends FileException {
    private static final long serialVersionUID = 1L;

    RefusedPath(String message) {
        super(message);
    }

    /** Peer text in a message: escaped by the one escaping of peer text, and cut after 300 characters. */
    static String printable(String s) {
        String escaped = PeerText.escape(s);
        return escaped.length() > 300 ? escaped.substring(0, 300) + "..." : escaped;
    }
}
