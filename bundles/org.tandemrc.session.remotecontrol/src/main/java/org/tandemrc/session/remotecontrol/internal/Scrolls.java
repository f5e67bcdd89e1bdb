package org.tandemrc.session.remotecontrol.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scroll detection: finds where rows of the previous picture reappear shifted up or down (a terminal
 * scrolling, a page moving), per 64-pixel column band, so the Guest copies them from its own picture
 * instead of receiving them again.
 */
final class Scrolls {

    private Scrolls() {
    }

    /** Copies pixels within the picture: {@code height} rows of {@code width} pixels, as memmove does. */
    record Copy(int srcX, int srcY, int width, int height, int dstX, int dstY) {
    }

    /** Fewer rows than this are not worth a copy. */
    private static final int MIN_ROWS = 12;
    /** The largest shift looked for, in rows. */
    private static final int MAX_SHIFT = 1024;

    /**
     * The copies that turn {@code previous} closer to {@code now}, given the tiles that changed between
     * them; none when nothing scrolled.
     */
    static List<Copy> detect(int[] previous, int[] now, int w, int h, List<Wire.Tile> changed) {
        List<Copy> copies = new ArrayList<>();
        if (changed.isEmpty()) {
            return copies;
        }
        int bands = (w + Wire.TILE - 1) / Wire.TILE;
        int[] firstRow = new int[bands];
        int[] lastRow = new int[bands];
        Arrays.fill(firstRow, Integer.MAX_VALUE);
        Arrays.fill(lastRow, -1);
        for (Wire.Tile t : changed) {
            int b = t.x() / Wire.TILE;
            firstRow[b] = Math.min(firstRow[b], t.y());
            lastRow[b] = Math.max(lastRow[b], t.y() + t.height() - 1);
        }
        long[] hp = new long[h];
        long[] hn = new long[h];
        for (int band = 0; band < bands; band++) {
            int bx = band * Wire.TILE;
            int bw = Math.min(Wire.TILE, w - bx);
            int first = firstRow[band];
            int last = lastRow[band];
            if (last < 0 || last - first + 1 < MIN_ROWS) {
                continue;
            }
            hash(previous, w, h, bx, bw, hp);
            hash(now, w, h, bx, bw, hn);
            int dy = bestShift(previous, now, w, bx, bw, hp, hn, first, last);
            if (dy == 0) {
                continue;
            }
            int run = 0;
            int moved = 0;
            for (int y = Math.max(0, -dy); y <= Math.min(h, h - dy); y++) {
                boolean match = y < h && y + dy < h && hn[y] == hp[y + dy]
                        && Arrays.equals(now, y * w + bx, y * w + bx + bw, previous, (y + dy) * w + bx, (y + dy) * w + bx + bw);
                if (match) {
                    run++;
                    if (hn[y] != hp[y]) {
                        moved++;
                    }
                    continue;
                }
                if (run >= MIN_ROWS && moved >= MIN_ROWS / 2) {
                    int y0 = y - run;
                    copies.add(new Copy(bx, y0 + dy, bw, run, bx, y0));
                }
                run = 0;
                moved = 0;
            }
        }
        return merge(copies);
    }

    /** One hash per row of a band. */
    private static void hash(int[] pixels, int w, int h, int bx, int bw, long[] out) {
        for (int y = 0; y < h; y++) {
            long x = 0x9E3779B97F4A7C15L;
            int from = y * w + bx;
            for (int i = from; i < from + bw; i++) {
                x = (x ^ pixels[i]) * 0x100000001B3L;
            }
            out[y] = x ^ (x >>> 29);
        }
    }

    /** The shift most changed rows agree on (rows of one colour say nothing), or 0. */
    private static int bestShift(int[] previous, int[] now, int w, int bx, int bw, long[] hp, long[] hn, int first,
            int last) {
        Map<Long, Integer> rowOf = new HashMap<>();
        for (int y = 0; y < hp.length; y++) {
            if (!uniform(previous, y * w + bx, bw)) {
                rowOf.putIfAbsent(hp[y], y);
            }
        }
        Map<Integer, Integer> votes = new HashMap<>();
        int step = Math.max(1, (last - first + 1) / 64);
        for (int y = first; y <= last; y += step) {
            if (hn[y] == hp[y] || uniform(now, y * w + bx, bw)) {
                continue;
            }
            Integer r = rowOf.get(hn[y]);
            if (r != null && r != y && Math.abs(r - y) <= MAX_SHIFT) {
                votes.merge(r - y, 1, Integer::sum);
            }
        }
        int best = 0;
        int most = 3; // at least four rows must agree
        for (Map.Entry<Integer, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                best = e.getKey();
            }
        }
        return best;
    }

    private static boolean uniform(int[] pixels, int from, int n) {
        int p = pixels[from];
        for (int i = from + 1; i < from + n; i++) {
            if (pixels[i] != p) {
                return false;
            }
        }
        return true;
    }

    /** Joins copies of neighbouring bands that moved the same rows the same way. */
    private static List<Copy> merge(List<Copy> copies) {
        List<Copy> merged = new ArrayList<>();
        for (Copy c : copies) {
            Copy last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.srcY() == c.srcY() && last.dstY() == c.dstY() && last.height() == c.height()
                    && last.srcX() + last.width() == c.srcX()) {
                merged.set(merged.size() - 1, new Copy(last.srcX(), last.srcY(), last.width() + c.width(), last.height(),
                        last.dstX(), last.dstY()));
            } else {
                merged.add(c);
            }
        }
        return merged;
    }

    /** Applies a copy to a picture of width {@code w}, as the Guest does. */
    static void apply(int[] pixels, int w, Copy c) {
        int[] rows = new int[c.width() * c.height()];
        for (int r = 0; r < c.height(); r++) {
            System.arraycopy(pixels, (c.srcY() + r) * w + c.srcX(), rows, r * c.width(), c.width());
        }
        for (int r = 0; r < c.height(); r++) {
            System.arraycopy(rows, r * c.width(), pixels, (c.dstY() + r) * w + c.dstX(), c.width());
        }
    }
}
