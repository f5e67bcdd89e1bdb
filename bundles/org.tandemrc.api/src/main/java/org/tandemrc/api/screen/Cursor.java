package org.tandemrc.api.screen;

/**
 * The pointer of a display: where it is and what it looks like. It travels apart from the picture,
 * so a moving pointer costs a few bytes, not a repaint.
 *
 * @param x      horizontal position of the hot spot, relative to the display's left edge (may lie
 *               outside the display when the pointer is on another monitor)
 * @param y      vertical position of the hot spot, relative to the display's top edge
 * @param hotX   the hot spot within the shape
 * @param hotY   the hot spot within the shape
 * @param width  width of the shape in pixels, 0 when the pointer is hidden
 * @param height height of the shape in pixels
 * @param argb   {@code width * height} pixels as {@code 0xAARRGGBB}, not premultiplied
 * @param serial changes whenever the shape changes (and only then), so a viewer sends a shape once
 */
public record Cursor(int x, int y, int hotX, int hotY, int width, int height, int[] argb, long serial) {
    public Cursor {
        if (width < 0 || height < 0 || argb.length != width * height) {
            throw new IllegalArgumentException("cursor shape " + width + "x" + height + " with " + argb.length + " pixels");
        }
        if (hotX < 0 || hotY < 0 || (width > 0 && (hotX >= width || hotY >= height))) {
            throw new IllegalArgumentException("hot spot " + hotX + "," + hotY + " outside a " + width + "x" + height + " shape");
        }
    }
}
