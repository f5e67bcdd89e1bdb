package org.tandemrc.api.screen;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/** Injects Guest input on one platform (XTest, java.awt.Robot, Windows SendInput, ...). */
@ConsumerType
public interface InputSink {

    /**
     * Injects one event on a display.
     *
     * @throws IOException when the display went away
     */
    void inject(Display display, InputEvent event) throws IOException;

    /**
     * Types one character so that the focused application receives exactly it, whatever the keyboard
     * layout. The default presses and releases the character's keysym (Latin-1 code points are their
     * own keysyms, others {@code 0x01000000 | codePoint}, a line break is Return); platforms override
     * it to add Shift where the character needs it, or to map keys that no key produces.
     */
    default void typeCharacter(Display display, int codePoint) throws IOException {
        int keysym = Keysyms.ofCharacter(codePoint);
        inject(display, new InputEvent.Key(keysym, true));
        inject(display, new InputEvent.Key(keysym, false));
    }
}
