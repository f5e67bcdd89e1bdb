package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.support.image.DeltaPlanes;
import org.tandemrc.support.image.Jpeg;

/**
 * The console's pictures for the browser, decoded here as screen.js decodes them (one zlib stream for
 * the view, copies of what the browser has, JPEG): lossless gives the Host's pixels exactly, in far
 * fewer bytes than raw RGBA; scrolled text goes as a copy; at the lossy presets photo-like areas go as
 * JPEG and come back exact once the Host sends them exactly.
 */
class PicturesTest {

    private static final int W = 640;
    private static final int H = 480;

    /** The browser's side: its canvas and its one zlib stream. */
    private static final class Browser {
        final int[] canvas = new int[W * H];
        final Inflater inflater = new Inflater();
        final List<Integer> kinds = new ArrayList<>();

        void apply(byte[] message) throws DataFormatException {
            ByteBuffer b = ByteBuffer.wrap(message);
            assertEquals(Pictures.TYPE, b.get());
            int n = b.getShort() & 0xffff;
            List<int[]> ops = new ArrayList<>();
            List<byte[]> jpegs = new ArrayList<>();
            int need = 0;
            for (int i = 0; i < n; i++) {
                int kind = b.get();
                int[] op = { kind, b.getShort() & 0xffff, b.getShort() & 0xffff, b.getShort() & 0xffff,
                    b.getShort() & 0xffff, 0, 0 };
                if (kind == Pictures.PIXELS || kind == Pictures.DELTA) {
                    need += op[3] * op[4] * 3;
                } else if (kind == Pictures.JPEG) {
                    byte[] j = new byte[b.getInt()];
                    b.get(j);
                    jpegs.add(j);
                } else {
                    op[5] = b.getShort() & 0xffff;
                    op[6] = b.getShort() & 0xffff;
                }
                ops.add(op);
                kinds.add(kind);
            }
            byte[] z = new byte[b.getInt()];
            b.get(z);
            assertEquals(0, b.remaining());
            byte[] rgb = new byte[need];
            inflater.setInput(z);
            int got = 0;
            while (got < need) {
                int k = inflater.inflate(rgb, got, need - got);
                assertTrue(k > 0 || got == need, "the message's part of the stream holds its pixels");
                got += k;
            }
            int at = 0;
            int jpeg = 0;
            for (int[] op : ops) {
                if (op[0] == Pictures.PIXELS) {
                    for (int i = 0; i < op[3] * op[4]; i++, at += 3) {
                        canvas[(op[2] + i / op[3]) * W + op[1] + i % op[3]] =
                                (rgb[at] & 0xff) << 16 | (rgb[at + 1] & 0xff) << 8 | rgb[at + 2] & 0xff;
                    }
                } else if (op[0] == Pictures.DELTA) {
                    int[] p = new int[op[3] * op[4]];
                    DeltaPlanes.read(rgb, at, p, op[3]);
                    at += 3 * p.length;
                    for (int i = 0; i < p.length; i++) {
                        canvas[(op[2] + i / op[3]) * W + op[1] + i % op[3]] = p[i];
                    }
                } else if (op[0] == Pictures.JPEG) {
                    int[] p = Jpeg.decode(jpegs.get(jpeg++), op[3], op[4]);
                    for (int i = 0; i < p.length; i++) {
                        canvas[(op[2] + i / op[3]) * W + op[1] + i % op[3]] = p[i] & 0xffffff;
                    }
                } else {
                    int[] area = new int[op[3] * op[4]];
                    for (int r = 0; r < op[4]; r++) {
                        System.arraycopy(canvas, (op[2] + r) * W + op[1], area, r * op[3], op[3]);
                    }
                    for (int r = 0; r < op[4]; r++) {
                        System.arraycopy(area, r * op[3], canvas, (op[6] + r) * W + op[5], op[3]);
                    }
                }
            }
        }
    }

    /** Lines of "text": a few colours, glyph-like runs, each line different. */
    private static int[] text(Random random) {
        int[] screen = new int[W * H];
        java.util.Arrays.fill(screen, 0xffffff);
        for (int line = 0; line < H / 16; line++) {
            for (int g = 0; g < 60; g++) {
                int glyph = random.nextInt(40);
                for (int y = 3; y < 13; y++) {
                    for (int x = 0; x < 8; x++) {
                        if (((glyph * 31 + y * 7 + x * 3) % 5) == 0) {
                            screen[(line * 16 + y) * W + 8 + g * 10 + x] = 0x202020 + (glyph % 3) * 0x101010;
                        }
                    }
                }
            }
        }
        return screen;
    }

    private static Frame frame(int[] screen, int x, int y, int w, int h) {
        int[] p = new int[w * h];
        for (int r = 0; r < h; r++) {
            System.arraycopy(screen, (y + r) * W + x, p, r * w, w);
        }
        return new Frame(x, y, w, h, p, 0);
    }

    @Test
    void losslessPicturesDecodeExactlyInFewBytesAndScrolledTextGoesAsACopy() throws Exception {
        Pictures pictures = new Pictures();
        pictures.layout(W, H);
        Browser browser = new Browser();
        Random random = new Random(21);
        int[] screen = text(random);
        byte[] first = pictures.encode(List.of(frame(screen, 0, 0, W, H)));
        browser.apply(first);
        assertArrayEquals(screen, browser.canvas);
        assertTrue(first.length * 20 < W * H * 4, "text compresses: " + first.length + " bytes");

        // Scrolled up by two lines, a new line at the bottom: the Guest hands over the whole area.
        int[] scrolled = new int[W * H];
        System.arraycopy(screen, 32 * W, scrolled, 0, (H - 32) * W);
        int[] fresh = text(random);
        System.arraycopy(fresh, 0, scrolled, (H - 32) * W, 32 * W);
        byte[] scroll = pictures.encode(List.of(frame(scrolled, 0, 0, W, H)));
        browser.apply(scroll);
        assertArrayEquals(scrolled, browser.canvas);
        assertTrue(browser.kinds.contains(Pictures.COPY), "scrolled text goes as a copy: " + browser.kinds);
        assertTrue(scroll.length < first.length / 4, "a scroll costs little: " + scroll.length + " of " + first.length);

        // What the browser already has is not sent again.
        assertNull(pictures.encode(List.of(frame(scrolled, 64, 64, 64, 64))));
        pictures.close();
    }

    @Test
    void aWindowDraggedSidewaysAndUpGoesAsACopy() throws Exception {
        int[] text = text(new Random(7));
        int[] before = window(text, 100, 100);
        int[] after = window(text, 120, 85);
        Pictures pictures = new Pictures();
        pictures.layout(W, H);
        Browser browser = new Browser();
        browser.apply(pictures.encode(List.of(frame(before, 0, 0, W, H))));
        browser.kinds.clear();
        // As the Guest hands it over: the window where it is now, then the background it left.
        byte[] moved = pictures.encode(List.of(frame(after, 120, 85, 200, 150), frame(after, 100, 100, 20, 150),
                frame(after, 100, 235, 200, 15)));
        browser.apply(moved);
        assertArrayEquals(after, browser.canvas);
        assertEquals(Pictures.COPY, browser.kinds.get(0), browser.kinds.toString());
        assertTrue(moved.length < 400, "a moved window costs little: " + moved.length + " bytes");
        pictures.close();
    }

    /** A flat background with a 200x150 "window" of text at x, y. */
    private static int[] window(int[] text, int x, int y) {
        int[] screen = new int[W * H];
        java.util.Arrays.fill(screen, 0x3a6ea5);
        for (int r = 0; r < 150; r++) {
            System.arraycopy(text, r * W, screen, (y + r) * W + x, 200);
        }
        return screen;
    }

    @Test
    void aNoisyGradientOfAFewHundredShadesGoesAsPredictedPlanesExactlyAndSmallerThanRgb() throws Exception {
        // The benchmark's photo window: one shade a pixel from 200 (a sine plus noise), the channels
        // following it, so under 257 colours, yet RGB leaves zlib three correlated noisy bytes a pixel.
        int[] screen = new int[W * H];
        Random random = new Random(5);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int c = Math.max(0, Math.min(255, (int) (128 + 70 * Math.sin(x / 41.0) * Math.cos(y / 29.0)) + random.nextInt(20)));
                screen[y * W + x] = c << 16 | Math.min(255, c + 25) << 8 | Math.max(0, c - 35);
            }
        }
        Frame area = frame(screen, 64, 64, 256, 192);
        Pictures pictures = new Pictures();
        pictures.layout(W, H);
        Browser browser = new Browser();
        byte[] message = pictures.encode(List.of(area));
        browser.apply(message);
        assertEquals(List.of(Pictures.DELTA), browser.kinds);
        assertArrayEquals(screen, onlyArea(browser.canvas, screen, area));
        pictures.close();

        java.util.zip.Deflater rgb = new java.util.zip.Deflater(6);
        byte[] raw = new byte[area.pixels().length * 3];
        for (int i = 0; i < area.pixels().length; i++) {
            raw[3 * i] = (byte) (area.pixels()[i] >> 16);
            raw[3 * i + 1] = (byte) (area.pixels()[i] >> 8);
            raw[3 * i + 2] = (byte) area.pixels()[i];
        }
        rgb.setInput(raw);
        rgb.finish();
        int asRgb = rgb.deflate(new byte[raw.length * 2]);
        rgb.end();
        assertTrue(message.length * 3 < asRgb * 2, "predicted planes " + message.length + " bytes, RGB " + asRgb);
    }

    @Test
    void photoLikeAreasGoAsJpegAtTheLossyPresetsAndExactOnceTheHostSendsThemExactly() throws Exception {
        Pictures pictures = new Pictures();
        pictures.layout(W, H);
        pictures.jpegQuality(80);
        Browser browser = new Browser();
        int[] screen = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // A smooth gradient with a little noise: thousands of colours, as in a photo.
                screen[y * W + x] = (x * 255 / W) << 16 | (y * 255 / H) << 8 | ((x * y + (x ^ y) % 7) & 0xff);
            }
        }
        Frame photo = frame(screen, 64, 64, 256, 192);
        browser.apply(pictures.encode(List.of(photo)));
        assertEquals(List.of(Pictures.JPEG), browser.kinds);
        browser.kinds.clear();
        // The Host's exact tiles once still: close to the JPEG, so they go exact.
        browser.apply(pictures.encode(List.of(photo)));
        assertEquals(List.of(Pictures.DELTA), browser.kinds);
        assertArrayEquals(screen, browser.canvas.length == screen.length ? onlyArea(browser.canvas, screen, photo) : null);
        pictures.close();
    }

    /** The browser's canvas where the frame is, the source's pixels everywhere else. */
    private static int[] onlyArea(int[] canvas, int[] source, Frame f) {
        int[] out = source.clone();
        for (int r = 0; r < f.height(); r++) {
            System.arraycopy(canvas, (f.y() + r) * W + f.x(), out, (f.y() + r) * W + f.x(), f.width());
        }
        return out;
    }
}
