package org.tandemrc.api.screen;

/**
 * A screen a {@link ScreenSource} can capture.
 *
 * @param id     stable within the source, e.g. {@code :0} or a monitor index
 * @param x      left edge in the virtual desktop
 * @param y      top edge in the virtual desktop
 * @param width  width in pixels
 * @param height height in pixels
 */
public record Display(String id, int x, int y, int width, int height) {
}
