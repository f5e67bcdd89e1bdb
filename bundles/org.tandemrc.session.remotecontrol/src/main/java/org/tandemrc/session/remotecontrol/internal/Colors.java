package org.tandemrc.session.remotecontrol.internal;

import org.tandemrc.api.screen.client.ColorDepth;

/** Colour limits: pixels are reduced on the Host before comparing and encoding. */
final class Colors {

    private Colors() {
    }

    /** The 16 colours of the classic VGA palette. */
    private static final int[] VGA = {0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080,
        0xc0c0c0, 0x808080, 0xff0000, 0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff, 0xffffff};

    /** For each colour at 4 bits a channel, the nearest VGA colour. */
    private static final int[] NEAREST_VGA = new int[4096];

    static {
        for (int i = 0; i < 4096; i++) {
            int r = ((i >> 8) & 15) * 17;
            int g = ((i >> 4) & 15) * 17;
            int b = (i & 15) * 17;
            int best = 0;
            long bestDistance = Long.MAX_VALUE;
            for (int c : VGA) {
                int dr = r - (c >>> 16);
                int dg = g - ((c >>> 8) & 0xff);
                int db = b - (c & 0xff);
                long d = 3L * dr * dr + 4L * dg * dg + 2L * db * db;
                if (d < bestDistance) {
                    bestDistance = d;
                    best = c;
                }
            }
            NEAREST_VGA[i] = best;
        }
    }

    /** Reduces pixels in place to the colour limit. */
    static void reduce(int[] pixels, ColorDepth depth) {
        switch (depth) {
            case TRUE_COLOR -> {
            }
            case COLORS_256 -> {
                for (int i = 0; i < pixels.length; i++) {
                    int p = pixels[i];
                    int r = (p >>> 21) & 7;
                    int g = (p >>> 13) & 7;
                    int b = (p >>> 6) & 3;
                    pixels[i] = (r * 255 / 7) << 16 | (g * 255 / 7) << 8 | b * 85;
                }
            }
            case COLORS_16 -> {
                for (int i = 0; i < pixels.length; i++) {
                    int p = pixels[i];
                    pixels[i] = NEAREST_VGA[(p >>> 12) & 0xf00 | (p >>> 8) & 0xf0 | (p >>> 4) & 0xf];
                }
            }
            case COLORS_2 -> {
                for (int i = 0; i < pixels.length; i++) {
                    int p = pixels[i];
                    int luma = 299 * ((p >>> 16) & 0xff) + 587 * ((p >>> 8) & 0xff) + 114 * (p & 0xff);
                    pixels[i] = luma >= 128_000 ? 0xffffff : 0;
                }
            }
        }
    }
}
