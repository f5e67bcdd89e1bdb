package org.tandemrc.api.screen;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Captures the screen on one platform (X11 through MIT-SHM, java.awt.Robot, Windows GDI, ...). The
 * Host uses the available source with the highest service ranking.
 */
@ConsumerType
public interface ScreenSource {

    /** The displays this source can capture. */
    List<Display> displays() throws IOException;

    /**
     * Captures a region of a display.
     *
     * @throws IOException              when the display went away or capture failed
     * @throws IllegalArgumentException when the region is not inside the display
     */
    Frame capture(Display display, int x, int y, int width, int height) throws IOException;

    /**
     * Captures a region as {@link #capture(Display, int, int, int, int)} does, into {@code reuse} when
     * that has exactly {@code width * height} elements: the pixels of an earlier frame the caller no
     * longer reads, so that a Host that captures its screen many times a second does not make a new
     * picture-sized array each time (8 MB at 1920x1080, and a collection, a stall, every few of them).
     * A source that cannot write into it, or a {@code reuse} of another size or null, gets a new array.
     *
     * @since 2.2
     */
    default Frame capture(Display display, int x, int y, int width, int height, int[] reuse) throws IOException {
        return capture(display, x, y, width, height);
    }

    /**
     * The pointer's position and shape on a display, or empty when this source cannot tell (the
     * pointer is then part of the picture or not shown at all).
     *
     * @throws IOException when the display went away
     */
    default Optional<Cursor> cursor(Display display) throws IOException {
        return Optional.empty();
    }

    /** Which capture path this source uses, e.g. {@code x11-shm}, shown to the Guest and in the log. */
    default String backend() {
        return getClass().getSimpleName();
    }
}
