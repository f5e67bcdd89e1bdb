package org.tandemrc.api.screen;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/** Injects Guest input on one platform (XTest, java.awt.Robot, Windows SendInput, ...). */
@ProviderType
public interface InputSink {

    /**
     * Injects one event on a display.
     *
     * @throws IOException when the display went away
     */
    void inject(Display display, InputEvent event) throws IOException;
}
