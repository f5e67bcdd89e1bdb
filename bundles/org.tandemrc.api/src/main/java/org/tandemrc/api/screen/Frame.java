package org.tandemrc.api.screen;

/**
 * One captured image of a screen region.
 *
 * @param x        left edge of the region on the screen
 * @param y        top edge of the region on the screen
 * @param width    width in pixels
 * @param height   height in pixels
 * @param pixels   {@code width * height} pixels, row by row, as {@code 0x00RRGGBB}
 * @param nanoTime {@link System#nanoTime()} when the capture completed
 */
public record Frame(int x, int y, int width, int height, int[] pixels, long nanoTime) {
    public Frame {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(
                    "frame of " + width + "x" + height + " needs " + width * height + " pixels, got " + pixels.length);
        }
    }
}
