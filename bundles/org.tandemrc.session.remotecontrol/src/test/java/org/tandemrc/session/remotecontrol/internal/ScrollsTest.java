package org.tandemrc.session.remotecontrol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Frame;

class ScrollsTest {

    /** A terminal-like window of text lines, starting at a given line, on a grey desktop. */
    private static int[] terminal(int firstLine, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.fillRect(100, 50, 500, 400);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 13));
        g.setClip(100, 50, 500, 400);
        Random r = new Random(1);
        for (int line = 0; line < 200; line++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) {
                sb.append(Long.toString(r.nextLong() & 0xffffff, 36)).append(' ');
            }
            int y = 50 + 15 * (line - firstLine + 1);
            g.drawString(line + ": " + sb, 104, y);
        }
        g.dispose();
        return img.getRGB(0, 0, w, h, null, 0, w);
    }

    /** Scroll detection as the Host runs it: on the tiles that changed. */
    static List<Scrolls.Copy> detect(int[] before, int[] after, int w, int h) {
        return Scrolls.detect(before, after, w, h, HostScreen.changedTiles(before, new Frame(0, 0, w, h, after, 0)));
    }

    @Test
    void aScrolledTerminalIsCopiedAndOnlyTheNewLinesAreSent() {
        int w = 800;
        int h = 600;
        int[] before = terminal(0, w, h);
        int[] after = terminal(3, w, h); // three lines (45 rows) up
        List<Scrolls.Copy> copies = detect(before, after, w, h);
        assertTrue(!copies.isEmpty(), "a scroll was found");
        for (Scrolls.Copy c : copies) {
            assertEquals(45, c.srcY() - c.dstY(), c.toString());
        }
        int[] guest = before.clone();
        for (Scrolls.Copy c : copies) {
            Scrolls.apply(guest, w, c);
        }
        List<Wire.Tile> rest = HostScreen.changedTiles(guest, new Frame(0, 0, w, h, after, 0));
        List<Wire.Tile> without = HostScreen.changedTiles(before, new Frame(0, 0, w, h, after, 0));
        long restPixels = rest.stream().mapToLong(t -> (long) t.width() * t.height()).sum();
        long withoutPixels = without.stream().mapToLong(t -> (long) t.width() * t.height()).sum();
        assertTrue(restPixels * 4 < withoutPixels, restPixels + " pixels still to send, of " + withoutPixels);
        for (Wire.Tile t : rest) {
            for (int row = 0; row < t.height(); row++) {
                System.arraycopy(t.pixels(), row * t.width(), guest, (t.y() + row) * w + t.x(), t.width());
            }
        }
        assertArrayEquals(after, guest, "copies and tiles rebuild the picture exactly");
    }

    @Test
    void noiseAndUnrelatedChangesAreNotMistakenForAScroll() {
        Random r = new Random(4);
        int[] a = new int[640 * 480];
        int[] b = new int[640 * 480];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt(0x1000000);
            b[i] = r.nextInt(0x1000000);
        }
        assertEquals(List.of(), detect(a, b, 640, 480));
        assertEquals(List.of(), detect(a, a.clone(), 640, 480));
    }

    @Test
    void aCopyMovesOverlappingRowsLikeMemmove() {
        int w = 4;
        int[] p = new int[w * 6];
        for (int i = 0; i < p.length; i++) {
            p[i] = i / w; // each row holds its number
        }
        Scrolls.apply(p, w, new Scrolls.Copy(0, 1, w, 5, 0, 0)); // everything one row up
        for (int row = 0; row < 5; row++) {
            assertEquals(row + 1, p[row * w], "row " + row);
        }
        Scrolls.apply(p, w, new Scrolls.Copy(0, 0, w, 5, 0, 1)); // and back down
        for (int row = 1; row < 6; row++) {
            assertEquals(row, p[row * w], "row " + row);
        }
    }
}
