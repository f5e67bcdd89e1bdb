package org.tandemrc.screen.x11.internal;

import java.io.IOException;

/** An {@link X11Screen} opened on an X display for one test, closed by try-with-resources before the server. */
final class OpenScreen implements AutoCloseable {

    final X11Screen screen = new X11Screen();

    OpenScreen(String display) throws IOException {
        screen.open(display);
    }

    @Override
    public void close() {
        screen.close();
    }
}
