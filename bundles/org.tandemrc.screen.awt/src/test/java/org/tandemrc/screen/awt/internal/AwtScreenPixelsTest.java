package org.tandemrc.screen.awt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

import org.junit.jupiter.api.Test;

/** Converting a captured image to 0x00RRGGBB; images in memory, no display needed. */
class AwtScreenPixelsTest {

    private static final int[] ARGB = {
        0xff102030, 0x80405060, 0x00708090,
        0xffa0b0c0, 0x7fd0e0f0, 0xff000000};
    private static final int[] RGB = {
        0x102030, 0x405060, 0x708090,
        0xa0b0c0, 0xd0e0f0, 0x000000};

    private static BufferedImage image(int type) {
        BufferedImage image = new BufferedImage(3, 2, type);
        image.setRGB(0, 0, 3, 2, ARGB, 0, 3);
        return image;
    }

    @Test
    void anIntImageGivesItsOwnArrayWithoutAlpha() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
            BufferedImage image = image(type);
            int[] pixels = AwtScreen.pixels(image);
            assertSame(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), pixels, "no copy");
            assertArrayEquals(RGB, pixels);
        }
    }

    @Test
    void otherLayoutsAreConverted() {
        assertArrayEquals(RGB, AwtScreen.pixels(image(BufferedImage.TYPE_3BYTE_BGR)));
        assertArrayEquals(RGB, AwtScreen.pixels(image(BufferedImage.TYPE_INT_BGR)));
    }

    @Test
    void aPartOfALargerImageIsReadThroughItsOffsetAndStride() {
        BufferedImage large = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        large.setRGB(1, 2, 3, 2, ARGB, 0, 3);
        assertArrayEquals(RGB, AwtScreen.pixels(large.getSubimage(1, 2, 3, 2)));
    }
}
