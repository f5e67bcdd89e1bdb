package org.tandemrc.api.screen;

import java.io.IOException;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** The clipboard of the node's desktop, as text (full Unicode). */
@ConsumerType
public interface Clipboard {

    /** The clipboard's text, or empty when it holds no text. */
    Optional<String> text() throws IOException;

    /** Puts text on the clipboard, as if the person at the node had copied it. */
    void setText(String text) throws IOException;
}
