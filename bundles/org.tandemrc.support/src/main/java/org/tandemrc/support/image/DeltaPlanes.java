package org.tandemrc.support.image;

/**
 * Pixels with many colours (photos, gradients) as three planes: green, red minus green and blue minus
 * green, each value as its difference from the average of the pixels left and above. The planes keep
 * a compressor's matches long (channels move together in photos), the prediction keeps the differences
 * small. The Host's DELTA tiles and the console's pictures for the browser (whose screen.js decodes the
 * same planes).
 */
public final class DeltaPlanes {

    private DeltaPlanes() {
    }

    /**
     * Writes {@code w * h} pixels ({@code 0x00RRGGBB}, from {@code pixels[from]}, row by row) as
     * {@code 3 * w * h} bytes at {@code out[pos]}.
     */
    public static void write(int[] pixels, int from, int w, int h, byte[] out, int pos) {
        int n = w * h;
        Predictor predicted = new Predictor(w);
        for (int i = 0; i < n; i++) {
            int p = pixels[from + i];
            int g = (p >>> 8) & 0xff;
            int r = ((p >>> 16) - g) & 0xff;
            int b = (p - g) & 0xff;
            out[pos + i] = (byte) (g - predicted.green());
            out[pos + n + i] = (byte) (r - predicted.red());
            out[pos + 2 * n + i] = (byte) (b - predicted.blue());
            predicted.next(g, r, b);
        }
    }

    /** Reads what {@link #write} wrote at {@code in[pos]} into the {@code w} columns of {@code pixels}. */
    public static void read(byte[] in, int pos, int[] pixels, int w) {
        int n = pixels.length;
        Predictor predicted = new Predictor(w);
        for (int i = 0; i < n; i++) {
            int g = (predicted.green() + in[pos + i]) & 0xff;
            int r = (predicted.red() + in[pos + n + i]) & 0xff;
            int b = (predicted.blue() + in[pos + 2 * n + i]) & 0xff;
            pixels[i] = ((r + g) & 0xff) << 16 | g << 8 | (b + g) & 0xff;
            predicted.next(g, r, b);
        }
    }

    /**
     * The prediction of each plane value, one instance walking the pixels in order on each side, so
     * encoder and decoder cannot predict differently: the value to the left in the first row, the one
     * above in the first column, else the average of both.
     */
    private static final class Predictor {
        private final int w;
        /** The green, red-minus-green and blue-minus-green values of the row above, by column. */
        private final int[] up;
        private int row;
        private int col;
        private int leftG;
        private int leftR;
        private int leftB;

        Predictor(int w) {
            this.w = w;
            this.up = new int[3 * w];
        }

        int green() {
            return predict(leftG, up[3 * col]);
        }

        int red() {
            return predict(leftR, up[3 * col + 1]);
        }

        int blue() {
            return predict(leftB, up[3 * col + 2]);
        }

        private int predict(int left, int above) {
            return row == 0 ? left : col == 0 ? above : (left + above) >>> 1;
        }

        /** The current pixel's plane values; moves on to the next pixel. */
        void next(int g, int r, int b) {
            int u = 3 * col;
            up[u] = g;
            up[u + 1] = r;
            up[u + 2] = b;
            if (++col == w) {
                col = 0;
                row++;
                leftG = 0;
                leftR = 0;
                leftB = 0;
            } else {
                leftG = g;
                leftR = r;
                leftB = b;
            }
        }
    }
}
