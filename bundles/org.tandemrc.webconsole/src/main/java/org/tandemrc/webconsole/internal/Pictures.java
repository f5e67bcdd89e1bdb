package org.tandemrc.webconsole.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.Deflater;

import org.tandemrc.api.screen.Frame;
import org.tandemrc.support.image.DeltaPlanes;
import org.tandemrc.support.image.Jpeg;

/**
 * Turns one update of the Host's screen into one binary message for the browser, encoded rather than
 * raw: the Guest gets the Host's pictures decoded, and 4 bytes a pixel would cost the browser several
 * times what the Host sent.
 *
 * <p>The message: type {@link #TYPE}; the number of operations (unsigned 16 bits); each operation (its
 * kind, a byte, then unsigned 16-bit fields): {@link #PIXELS} x y width height, whose RGB bytes come
 * from the compressed block; {@link #DELTA} the same with more than {@link #DELTA_COLOURS} colours, as
 * {@link DeltaPlanes}, as the Host codes its photo-like tiles (predicted planes compress far better than RGB
 * there); {@link #JPEG} x y width height, a 32-bit length and a JPEG; {@link #COPY}
 * source x, source y, width, height, destination x, destination y, moving what the browser already has.
 * Then a 32-bit length and the compressed block: the next part of the view's one zlib stream, flushed,
 * so what earlier pictures held (the same glyphs, the same colours) makes later ones small, and each
 * message still decodes on arrival (the browser's {@code DecompressionStream("deflate")}).
 *
 * <p>Scrolled and moved text arrives from the Guest as new pixels of the whole area; a copy of what the
 * browser already has, found by comparing with this view's own copy of the browser's picture, sends it
 * in a few bytes, as the Host did. JPEG only at the lossy presets, for photo-like areas (more than 256
 * colours), and an area the browser has as JPEG is never the source of a copy. When the Host replaces
 * its JPEG tiles with exact ones once the screen is still, those arrive close to what was JPEG and go
 * out exact.
 */
final class Pictures {

    static final byte TYPE = 3;
    static final int PIXELS = 0;
    static final int JPEG = 1;
    static final int COPY = 2;
    static final int DELTA = 3;

    /** zlib's level 6: on screen pictures it packs clearly tighter than level 1 at little more time. */
    private static final int LEVEL = 6;
    /** Marks a pixel the browser has from a JPEG: never equal to an exact pixel (0x00RRGGBB). */
    private static final int LOSSY = 0x01000000;
    /** Areas smaller than this go as pixels without looking for a copy. */
    private static final int COPY_MIN_AREA = 64 * 64;
    /** The most places a frame's probe row is compared at: repeated rows (blank lines) are many. */
    private static final int MAX_TRIES = 16;
    /** How far sideways a copy's source may lie: windows dragged between two pictures. */
    private static final int COPY_REACH = 64;
    /** Mean difference per colour channel below which pixels replace a JPEG of themselves. */
    private static final int REFINE_MEAN = 12;

    private final Deflater deflater = new Deflater(LEVEL);
    private int jpegQuality;
    private int width;
    private int height;
    private int[] mirror = new int[0];
    /** The source {@link #copySource} found. */
    private int sourceX;
    private int sourceY;
    private byte[] rgb = new byte[0];
    private byte[] zbuf = new byte[64 * 1024];
    private boolean closed;
    /** Above this many colours an exact area goes as predicted planes, as the Host weighs its tiles from 33 on. */
    static final int DELTA_COLOURS = 32;
    private static final int SLOTS = 1024; // at most 256 colours: the table stays at most a quarter full
    private final int[] slots = new int[SLOTS];
    private final int[] stamps = new int[SLOTS];
    private int stamp;

    /** The display shown changed size: the browser's picture starts black again. */
    void layout(int w, int h) {
        width = w;
        height = h;
        mirror = new int[Math.multiplyExact(w, h)];
    }

    /** 0 for lossless, else the JPEG quality (1..100) for photo-like areas. */
    void jpegQuality(int quality) {
        jpegQuality = quality;
    }

    /** The message for one update, or {@code null} when the browser already has all of it. */
    byte[] encode(List<Frame> rectangles) {
        if (closed) {
            return null;
        }
        try {
            ByteArrayOutputStream ops = new ByteArrayOutputStream(256);
            DataOutputStream d = new DataOutputStream(ops);
            int count = 0;
            int rgbLength = 0;
            for (Frame f : rectangles) {
                if (f.x() < 0 || f.y() < 0 || f.x() + f.width() > width || f.y() + f.height() > height) {
                    continue; // the Guest checks the Host's tiles; outside the layout nothing can be shown
                }
                if (same(f, 0, f.height())) {
                    continue;
                }
                int from = 0;
                int to = f.height();
                if (f.width() * f.height() >= COPY_MIN_AREA && copySource(f)) {
                    // The rows whose source lies on the picture: a whole-screen frame scrolled by n rows
                    // has n rows with none.
                    int a = Math.max(0, -sourceY);
                    int b = Math.min(f.height(), height - sourceY);
                    count = op(d, count, COPY, sourceX, sourceY + a, f.width(), b - a);
                    d.writeShort(f.x());
                    d.writeShort(f.y() + a);
                    copy(sourceX, sourceY + a, f.width(), b - a, f.x(), f.y() + a);
                    while (from < to && same(f, from, from + 1)) {
                        from++;
                    }
                    while (to > from && same(f, to - 1, to)) {
                        to--;
                    }
                    if (from == to) {
                        continue;
                    }
                }
                int h = to - from;
                int colours = colours(f.pixels(), from * f.width(), to * f.width());
                boolean many = colours > 256;
                // Between the few colours of text and a photo's many (a noisy gradient of 200 shades, a
                // dithered picture): the predicted planes pack them as the Host's DELTA tiles do, where RGB
                // leaves zlib three correlated bytes a pixel.
                boolean predicted = colours > DELTA_COLOURS;
                byte[] jpeg = jpegQuality > 0 && many && f.width() >= 8 && h >= 8 && !refinement(f, from, to)
                        ? Jpeg.encode(rows(f, from, to), f.width(), h, jpegQuality) : null;
                if (jpeg != null && jpeg.length < 3 * f.width() * h / 2) {
                    count = op(d, count, JPEG, f.x(), f.y() + from, f.width(), h);
                    d.writeInt(jpeg.length);
                    d.write(jpeg);
                    keep(f, from, to, LOSSY);
                } else {
                    count = op(d, count, predicted ? DELTA : PIXELS, f.x(), f.y() + from, f.width(), h);
                    rgbLength = predicted ? planes(f, from, to, rgbLength) : rgb(f, from, to, rgbLength);
                    keep(f, from, to, 0);
                }
            }
            if (count == 0) {
                return null;
            }
            byte[] z = rgbLength == 0 ? new byte[0] : deflate(rgbLength);
            ByteArrayOutputStream out = new ByteArrayOutputStream(3 + ops.size() + 4 + z.length);
            DataOutputStream m = new DataOutputStream(out);
            m.writeByte(TYPE);
            m.writeShort(count);
            ops.writeTo(m);
            m.writeInt(z.length);
            m.write(z);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frees the compressor's native memory. */
    void close() {
        closed = true;
        deflater.end();
    }

    private static int op(DataOutputStream d, int count, int kind, int x, int y, int w, int h) throws IOException {
        if (count == 0xffff) {
            throw new IllegalStateException("more than 65535 rectangles in one update");
        }
        d.writeByte(kind);
        d.writeShort(x);
        d.writeShort(y);
        d.writeShort(w);
        d.writeShort(h);
        return count + 1;
    }

    /** Whether the browser has rows {@code from..to} of the frame exactly. */
    private boolean same(Frame f, int from, int to) {
        int[] p = f.pixels();
        int w = f.width();
        for (int row = from; row < to; row++) {
            if (!java.util.Arrays.equals(p, row * w, row * w + w, mirror, (f.y() + row) * width + f.x(),
                    (f.y() + row) * width + f.x() + w)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the frame is, for over half of its rows, a copy of another place of the browser's picture
     * (a scroll, a window moved by up to {@link #COPY_REACH} pixels sideways); the place's top left
     * corner goes to {@link #sourceX}, {@link #sourceY} (its top may lie above or below the picture). A
     * row with more than one colour below the middle is looked up in every row of the browser's picture:
     * scrolled text finds itself.
     */
    private boolean copySource(Frame f) {
        int[] p = f.pixels();
        int w = f.width();
        int h = f.height();
        int probe = -1;
        for (int row = h / 2; row < h && probe < 0; row++) {
            if (!uniform(p, row * w, w)) {
                probe = row;
            }
        }
        if (probe < 0) {
            return false; // flat: the compressed pixels cost next to nothing anyway
        }
        int first = p[probe * w];
        int last = p[probe * w + w - 1];
        int bestRows = h / 2;
        boolean found = false;
        int tries = 0;
        int left = Math.max(0, f.x() - COPY_REACH);
        int right = Math.min(width - w, f.x() + COPY_REACH);
        for (int sy = 0; sy < height && tries < MAX_TRIES; sy++) {
            int top = sy - probe;
            for (int sx = left; sx <= right && tries < MAX_TRIES; sx++) {
                int at = sy * width + sx;
                if (mirror[at] != first || mirror[at + w - 1] != last || (top == f.y() && sx == f.x())
                        || !java.util.Arrays.equals(p, probe * w, probe * w + w, mirror, at, at + w)) {
                    continue;
                }
                tries++;
                int rows = 0;
                for (int row = Math.max(0, -top); row < Math.min(h, height - top); row++) {
                    int m = (top + row) * width + sx;
                    if (java.util.Arrays.equals(p, row * w, row * w + w, mirror, m, m + w)) {
                        rows++;
                    }
                }
                if (rows > bestRows) {
                    bestRows = rows;
                    sourceX = sx;
                    sourceY = top;
                    found = true;
                }
            }
        }
        return found;
    }

    private static boolean uniform(int[] p, int from, int n) {
        int c = p[from];
        for (int i = from + 1; i < from + n; i++) {
            if (p[i] != c) {
                return false;
            }
        }
        return true;
    }

    /** Moves an area of the browser's picture as the browser will (the source read before anything is written). */
    private void copy(int sx, int sy, int w, int h, int dx, int dy) {
        int[] area = new int[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(mirror, (sy + row) * width + sx, area, row * w, w);
        }
        for (int row = 0; row < h; row++) {
            System.arraycopy(area, row * w, mirror, (dy + row) * width + dx, w);
        }
    }

    /** Whether the area was sent as JPEG and these pixels are near it: the Host's exact copy once still. */
    private boolean refinement(Frame f, int from, int to) {
        int[] p = f.pixels();
        int w = f.width();
        long diff = 0;
        for (int row = from; row < to; row++) {
            int m = (f.y() + row) * width + f.x();
            for (int i = 0; i < w; i++) {
                int had = mirror[m + i];
                if ((had & LOSSY) == 0) {
                    return false;
                }
                int now = p[row * w + i];
                diff += Math.abs(((had >> 16) & 0xff) - ((now >> 16) & 0xff))
                        + Math.abs(((had >> 8) & 0xff) - ((now >> 8) & 0xff)) + Math.abs((had & 0xff) - (now & 0xff));
            }
        }
        return diff < (long) REFINE_MEAN * 3 * w * (to - from);
    }

    /**
     * How many colours {@code pixels[from..to)} have, counted up to 257 (more than 256: photo-like, as
     * the Host decides). A small open-addressing set, stamped rather than cleared, and runs skipped:
     * text areas go through every pixel.
     */
    private int colours(int[] pixels, int from, int to) {
        if (++stamp == 0) {
            java.util.Arrays.fill(stamps, 0);
            stamp = 1;
        }
        int colours = 0;
        int last = from < to ? ~pixels[from] : 0;
        for (int i = from; i < to; i++) {
            int c = pixels[i];
            if (c == last) {
                continue;
            }
            last = c;
            int slot = (c * 0x9E3779B1) >>> 22;
            while (stamps[slot] == stamp && slots[slot] != c) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            if (stamps[slot] != stamp) {
                if (++colours > 256) {
                    return colours;
                }
                stamps[slot] = stamp;
                slots[slot] = c;
            }
        }
        return colours;
    }

    private static int[] rows(Frame f, int from, int to) {
        return from == 0 && to == f.height() ? f.pixels()
                : java.util.Arrays.copyOfRange(f.pixels(), from * f.width(), to * f.width());
    }

    /** Remembers what the browser will have, flagged when it is a JPEG of it. */
    private void keep(Frame f, int from, int to, int flag) {
        int[] p = f.pixels();
        int w = f.width();
        for (int row = from; row < to; row++) {
            int m = (f.y() + row) * width + f.x();
            for (int i = 0; i < w; i++) {
                mirror[m + i] = p[row * w + i] | flag;
            }
        }
    }

    /** Appends rows {@code from..to} of the frame as {@link DeltaPlanes} to what is compressed next. */
    private int planes(Frame f, int from, int to, int at) {
        int n = (to - from) * f.width() * 3;
        room(at + n);
        DeltaPlanes.write(f.pixels(), from * f.width(), f.width(), to - from, rgb, at);
        return at + n;
    }

    private void room(int length) {
        if (rgb.length < length) {
            rgb = java.util.Arrays.copyOf(rgb, Math.max(length, rgb.length * 2));
        }
    }

    private int rgb(Frame f, int from, int to, int at) {
        room(at + (to - from) * f.width() * 3);
        int[] p = f.pixels();
        for (int i = from * f.width(); i < to * f.width(); i++) {
            int c = p[i];
            rgb[at] = (byte) (c >> 16);
            rgb[at + 1] = (byte) (c >> 8);
            rgb[at + 2] = (byte) c;
            at += 3;
        }
        return at;
    }

    private byte[] deflate(int length) {
        deflater.setInput(rgb, 0, length);
        int total = 0;
        while (true) {
            int n = deflater.deflate(zbuf, total, zbuf.length - total, Deflater.SYNC_FLUSH);
            total += n;
            if (total < zbuf.length) {
                return java.util.Arrays.copyOf(zbuf, total); // room left: all input taken and flushed
            }
            zbuf = java.util.Arrays.copyOf(zbuf, zbuf.length * 2);
        }
    }
}
