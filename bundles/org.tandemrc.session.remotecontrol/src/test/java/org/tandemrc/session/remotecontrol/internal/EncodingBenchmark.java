package org.tandemrc.session.remotecontrol.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.tandemrc.api.screen.Frame;

/**
 * Encodes full 1920x1080 changes on one thread and prints the median time and the size: a desktop
 * of text and flat panels, and the same desktop with a photo-like region. Run by
 * scripts/benchmark-encoding.sh; not a test.
 */
public final class EncodingBenchmark {

    private EncodingBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        System.setProperty("java.awt.headless", "true");
        int[] desktop = desktop(false);
        int[] photo = desktop(true);
        report("desktop (text, panels)", desktop, runs);
        report("desktop with a 800x500 photo-like region", photo, runs);
    }

    private static void report(String what, int[] pixels, int runs) {
        long[] times = new long[runs];
        int size = 0;
        for (int i = -5; i < runs; i++) {
            FrameStream.Writer stream = new FrameStream.Writer(); // a new session: no earlier frame to learn from
            long t0 = System.nanoTime();
            List<Wire.Tile> tiles = HostScreen.changedTiles(null, new Frame(0, 0, 1920, 1080, pixels, 0));
            byte[] frame = Wire.frame(i, tiles, stream);
            long t = System.nanoTime() - t0;
            if (i >= 0) {
                times[i] = t;
            }
            size = frame.length;
            stream.close();
        }
        // Where the time goes: the same work again, stage by stage.
        long[] diff = new long[runs];
        long[] encode = new long[runs];
        long[] zstd = new long[runs];
        int rawSize = 0;
        byte[] scratch = new byte[Wire.TILE * Wire.TILE * 3 + 1024];
        for (int i = -5; i < runs; i++) {
            long t0 = System.nanoTime();
            List<Wire.Tile> tiles = HostScreen.changedTiles(null, new Frame(0, 0, 1920, 1080, pixels, 0));
            long t1 = System.nanoTime();
            java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
            Wire.ColourSet colours = new Wire.ColourSet();
            for (Wire.Tile t : tiles) {
                raw.write(scratch, 0, Wire.encodeTile(t.pixels(), t.width(), t.height(), scratch, 0, colours));
            }
            long t2 = System.nanoTime();
            rawSize = raw.size();
            try (FrameStream.Writer stream = new FrameStream.Writer()) {
                stream.compress(raw.toByteArray(), raw.size());
            }
            long t3 = System.nanoTime();
            if (i >= 0) {
                diff[i] = t1 - t0;
                encode[i] = t2 - t1;
                zstd[i] = t3 - t2;
            }
        }
        Arrays.sort(times);
        Arrays.sort(diff);
        Arrays.sort(encode);
        Arrays.sort(zstd);
        System.out.printf("%-44s full 1920x1080 change: median %.1f ms, p90 %.1f ms, %d bytes (%.1f%% of raw RGB)%n",
                what, times[runs / 2] / 1e6, times[runs * 9 / 10] / 1e6, size, 100.0 * size / (1920 * 1080 * 3));
        System.out.printf("%-44s   stages (medians): tile diff %.1f ms, tile encoding %.1f ms (%d bytes), zstd %.1f ms%n", "",
                diff[runs / 2] / 1e6, encode[runs / 2] / 1e6, rawSize, zstd[runs / 2] / 1e6);
    }

    /** A synthetic desktop: a panel, windows with anti-aliased text, and optionally a noisy photo. */
    static int[] desktop(boolean withPhoto) {
        BufferedImage img = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0x2e3440));
        g.fillRect(0, 0, 1920, 1080);
        g.setColor(new Color(0x3b4252));
        g.fillRect(0, 0, 1920, 32);
        Random r = new Random(3);
        String[] words = {"public", "static", "void", "main", "String", "args", "return", "final", "class",
            "import", "java", "util", "List", "int", "for", "if", "else", "new", "this", "null"};
        for (int w = 0; w < 3; w++) {
            int x = 40 + w * 620;
            g.setColor(new Color(0xeceff4));
            g.fillRect(x, 60, 600, 980);
            g.setColor(new Color(0x5e81ac));
            g.fillRect(x, 60, 600, 28);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 14));
            for (int line = 0; line < 55; line++) {
                StringBuilder sb = new StringBuilder();
                while (sb.length() < 70) {
                    sb.append(words[r.nextInt(words.length)]).append(' ');
                }
                g.setColor(line % 7 == 0 ? new Color(0xbf616a) : new Color(0x2e3440));
                g.drawString(sb.toString(), x + 8, 110 + line * 17);
            }
        }
        if (withPhoto) {
            for (int y = 0; y < 500; y++) {
                for (int x = 0; x < 800; x++) {
                    int v = (int) (128 + 60 * Math.sin(x / 37.0) * Math.cos(y / 23.0)) + r.nextInt(24);
                    int c = Math.max(0, Math.min(255, v));
                    img.setRGB(560 + x, 300 + y, c << 16 | Math.min(255, c + 20) << 8 | Math.max(0, c - 30));
                }
            }
        }
        g.dispose();
        return img.getRGB(0, 0, 1920, 1080, null, 0, 1920);
    }
}
