package org.tandemrc.session.remotecontrol.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

import org.tandemrc.support.image.DeltaPlanes;
import org.tandemrc.support.image.Jpeg;

/**
 * The remote-control messages and the frame format. Two channels: the screen channel (pictures,
 * pointer, clipboard, settings) and the input channel (keyboard and mouse, at input priority). A frame
 * carries the tiles that changed since the frame before it, each in the encoding that suits it, all
 * tiles of the frame in the session's one zstd stream ({@link FrameStream}). Every size read from the peer is checked
 * before anything is allocated.
 */
final class Wire {

    private Wire() {
    }

    // Guest to Host, screen channel: START mode quality depth follow-clipboard display-id; a START while
    // streaming changes the settings.
    static final int START = 1;
    static final int ACK = 2;
    static final int TEXT = 3;
    static final int KEY = 4;
    static final int MOVE = 5;
    static final int BUTTON = 6;
    static final int WHEEL = 7;
    /** Asks the Host to answer {@link #SYNCED} once it handled everything sent before. */
    static final int SYNC = 8;
    static final int CLIP_GET = 9;
    static final int CLIP_SET = 10;
    static final int LOCK_INPUT = 11;
    static final int BLANK_SCREEN = 12;
    // Guest to Host, input channel: TEXT, KEY, MOVE (whole-screen coordinates), BUTTON, WHEEL, SYNC.
    /** The most clipboard text carried, in bytes of UTF-8. */
    static final int MAX_CLIPBOARD = 512 * 1024;
    // Host to Guest
    static final int INFO = 20;
    static final int FRAME = 21;
    static final int REFUSED = 22;
    static final int SYNCED = 23;
    static final int CLIP = 24;
    /** x, y (int, on the display shown), serial (long), then a shape when the serial is new. */
    static final int CURSOR = 25;
    static final int MAX_CURSOR_SIDE = 256;

    static final int MODE_ONCE = 0;
    static final int MODE_STREAM = 1;
    /** The layout only, for a Guest that sends input or uses the clipboard without viewing. */
    static final int MODE_LAYOUT = 2;
    static final int TILE = 64;
    static final int MAX_SIDE = 16384;

    /** A rectangle of changed pixels, 0x00RRGGBB. */
    record Tile(int x, int y, int width, int height, int[] pixels) {
    }

    /** A decoded frame: first the copies within the picture, then the tiles. */
    record DecodedFrame(int sequence, java.util.List<Scrolls.Copy> copies, java.util.List<Tile> tiles) {
    }

    /** Tile encodings, the first byte of each tile's data. */
    static final int ENC_RAW = 0;
    static final int ENC_SOLID = 1;
    static final int ENC_PALETTE = 2;
    static final int ENC_DELTA = 3;
    static final int ENC_PALETTE_RLE = 4;
    /** A photo-like tile as JPEG (lossy presets only): length (int), then the JPEG. */
    static final int ENC_JPEG = 5;
    static byte[] frame(int sequence, java.util.List<Tile> tiles, FrameStream.Writer stream) {
        return frame(sequence, java.util.List.of(), tiles, stream, 0, null);
    }

    /**
     * Encodes a frame. With a JPEG quality (1..100; 0 for lossless) photo-like tiles go as JPEG, and
     * each tile that did is added to {@code lossy}.
     */
    static byte[] frame(int sequence, java.util.List<Scrolls.Copy> copies, java.util.List<Tile> tiles,
            FrameStream.Writer stream, int jpegQuality, java.util.List<Tile> lossy) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream(tiles.size() * 1024);
            byte[] scratch = new byte[TILE * TILE * 3 + 1024];
            ColourSet colours = new ColourSet();
            for (Tile t : tiles) {
                int n = encodeTile(t.pixels(), t.width(), t.height(), scratch, jpegQuality, colours);
                raw.write(scratch, 0, n);
                if (scratch[0] == ENC_JPEG && lossy != null) {
                    lossy.add(t);
                }
            }
            byte[] input = raw.toByteArray();
            byte[] z = stream.compress(input, input.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(z.length + tiles.size() * 8 + 16);
            DataOutputStream d = new DataOutputStream(out);
            d.writeByte(FRAME);
            d.writeInt(sequence);
            d.writeShort(copies.size());
            for (Scrolls.Copy c : copies) {
                d.writeShort(c.srcX());
                d.writeShort(c.srcY());
                d.writeShort(c.width());
                d.writeShort(c.height());
                d.writeShort(c.dstX());
                d.writeShort(c.dstY());
            }
            d.writeShort(tiles.size());
            for (Tile t : tiles) {
                d.writeShort(t.x());
                d.writeShort(t.y());
                d.writeShort(t.width());
                d.writeShort(t.height());
            }
            d.writeInt(input.length);
            d.writeInt(z.length);
            d.write(z);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Encodes one tile into {@code out}, losslessly: one colour as SOLID; up to 256 colours as a
     * PALETTE with 1, 2, 4 or 8-bit indices (text and flat areas); otherwise DELTA-coded RGB. Returns the
     * bytes written.
     */
    static int encodeTile(int[] pixels, int w, int h, byte[] out) {
        return encodeTile(pixels, w, h, out, 0);
    }

    /** As {@link #encodeTile(int[], int, int, byte[])}, photo-like tiles as JPEG when a quality is given. */
    static int encodeTile(int[] pixels, int w, int h, byte[] out, int jpegQuality) {
        return encodeTile(pixels, w, h, out, jpegQuality, new ColourSet());
    }

    /**
     * The colours of one tile, its palette and each pixel's palette index; reused from tile to tile of
     * a frame (a stamp per slot says which tile filled it, so nothing is cleared between tiles).
     */
    static final class ColourSet {
        private static final int SLOTS = 1024; // at most 256 colours: the table stays at most a quarter full
        private final int[] keys = new int[SLOTS];
        private final int[] stamps = new int[SLOTS];
        private final byte[] indexes = new byte[SLOTS];
        private final int[] palette = new int[256];
        private byte[] idx = new byte[TILE * TILE];
        private int stamp;
    }

    static int encodeTile(int[] pixels, int w, int h, byte[] out, int jpegQuality, ColourSet set) {
        int n = pixels.length;
        if (set.idx.length < n) {
            set.idx = new byte[n];
        }
        if (++set.stamp == 0) {
            java.util.Arrays.fill(set.stamps, 0);
            set.stamp = 1;
        }
        int stamp = set.stamp;
        int[] keys = set.keys;
        int[] stamps = set.stamps;
        byte[] indexes = set.indexes;
        int[] palette = set.palette;
        byte[] idx = set.idx;
        int colors = 0;
        boolean tooMany = false;
        // The colour of the run before the current one too: anti-aliased text alternates between a few.
        int last = ~pixels[0];
        int lastIndex = 0;
        int before = last;
        int beforeIndex = 0;
        int runs = 0;
        for (int k = 0; k < n; k++) {
            int p = pixels[k];
            if (p == last) {
                idx[k] = (byte) lastIndex; // runs are common: text background, flat panels
                continue;
            }
            int i;
            if (p == before) {
                i = beforeIndex;
            } else {
                int slot = (p * 0x9E3779B1) >>> 22;
                while (stamps[slot] == stamp && keys[slot] != p) {
                    slot = (slot + 1) & (ColourSet.SLOTS - 1);
                }
                if (stamps[slot] != stamp) {
                    if (colors == 256) {
                        tooMany = true;
                        break;
                    }
                    stamps[slot] = stamp;
                    keys[slot] = p;
                    indexes[slot] = (byte) colors;
                    palette[colors++] = p;
                }
                i = indexes[slot] & 0xff;
            }
            before = last;
            beforeIndex = lastIndex;
            last = p;
            lastIndex = i;
            idx[k] = (byte) i;
            runs++;
        }
        int pos = 0;
        if (!tooMany && colors == 1) {
            out[pos++] = ENC_SOLID;
            out[pos++] = (byte) (palette[0] >>> 16);
            out[pos++] = (byte) (palette[0] >>> 8);
            out[pos++] = (byte) palette[0];
            return pos;
        }
        if (!tooMany && runs * 2 < n * indexBits(colors) / 8) {
            // Long runs (text on a plain background, panels): index and run length, like ZRLE's
            // palette RLE; fewer bytes for zstd to chew.
            out[pos++] = ENC_PALETTE_RLE;
            pos = writePalette(palette, colors, out, pos);
            int k = 0;
            while (k < n) {
                byte v = idx[k];
                int run = 1;
                while (k + run < n && idx[k + run] == v) {
                    run++;
                }
                out[pos++] = v;
                int len = run - 1; // 0..4095 as a varint
                while (len >= 0x80) {
                    out[pos++] = (byte) (len | 0x80);
                    len >>>= 7;
                }
                out[pos++] = (byte) len;
                k += run;
            }
            return pos;
        }
        // Many colours: a photo (smooth with noise) predicts better than it palettes; anti-aliased text
        // the other way round. Decided by the order-0 entropy of both codings.
        int deltaEnd = -1; // the DELTA coding, once written into out to weigh it
        boolean photo = tooMany;
        if (!photo && colors > 32) {
            deltaEnd = writeDelta(pixels, w, h, out, 0);
            photo = deltaBits(out, n, deltaEnd) < paletteBits(idx, n, colors);
        }
        if (!photo) {
            int bits = indexBits(colors);
            out[pos++] = ENC_PALETTE;
            pos = writePalette(palette, colors, out, pos);
            if (bits == 8) {
                System.arraycopy(idx, 0, out, pos, n);
                return pos + n;
            }
            int perByte = 8 / bits;
            for (int row = 0; row < h; row++) {
                int acc = 0;
                int filled = 0;
                for (int col = 0; col < w; col++) {
                    acc = acc << bits | (idx[row * w + col] & 0xff);
                    if (++filled == perByte) {
                        out[pos++] = (byte) acc;
                        acc = 0;
                        filled = 0;
                    }
                }
                if (filled > 0) {
                    out[pos++] = (byte) (acc << (bits * (perByte - filled)));
                }
            }
            return pos;
        }
        if (jpegQuality > 0 && w >= 8 && h >= 8) {
            byte[] jpeg = Jpeg.encode(pixels, w, h, jpegQuality);
            if (jpeg.length + 5 < 3 * pixels.length / 2) { // else the exact encoding costs about the same
                out[pos++] = ENC_JPEG;
                out[pos++] = (byte) (jpeg.length >>> 24);
                out[pos++] = (byte) (jpeg.length >>> 16);
                out[pos++] = (byte) (jpeg.length >>> 8);
                out[pos++] = (byte) jpeg.length;
                System.arraycopy(jpeg, 0, out, pos, jpeg.length);
                return pos + jpeg.length;
            }
        }
        return deltaEnd >= 0 ? deltaEnd : writeDelta(pixels, w, h, out, pos);
    }

    /** The bits of one palette index in a PALETTE tile. */
    private static int indexBits(int colors) {
        return colors <= 2 ? 1 : colors <= 4 ? 2 : colors <= 16 ? 4 : 8;
    }

    /** The palette of a PALETTE or PALETTE_RLE tile: its size less one, then each colour as R, G, B. */
    private static int writePalette(int[] palette, int colors, byte[] out, int pos) {
        out[pos++] = (byte) (colors - 1);
        for (int i = 0; i < colors; i++) {
            out[pos++] = (byte) (palette[i] >>> 16);
            out[pos++] = (byte) (palette[i] >>> 8);
            out[pos++] = (byte) palette[i];
        }
        return pos;
    }

    /** Estimated bits of a tile of {@code n} pixels as the DELTA planes written in {@code delta}. */
    private static double deltaBits(byte[] delta, int n, int end) {
        return entropyBits(delta, 1, 1 + n) + entropyBits(delta, 1 + n, 1 + 2 * n) + entropyBits(delta, 1 + 2 * n, end);
    }

    /** Estimated bits of a tile as 8-bit palette indices, with its palette. */
    private static double paletteBits(byte[] idx, int n, int colors) {
        return entropyBits(idx, 0, n) + colors * 24;
    }

    /** Order-0 entropy of bytes, in bits: what a Huffman coder needs at best, matches aside. */
    private static double entropyBits(byte[] b, int from, int to) {
        int[] counts = new int[256];
        for (int i = from; i < to; i++) {
            counts[b[i] & 0xff]++;
        }
        int n = to - from;
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                bits += c * Math.log((double) n / c);
            }
        }
        return bits / Math.log(2);
    }

    /** Many colours (photos, gradients): the {@link DeltaPlanes}. */
    private static int writeDelta(int[] pixels, int w, int h, byte[] out, int pos) {
        out[pos++] = ENC_DELTA;
        DeltaPlanes.write(pixels, 0, w, h, out, pos);
        return pos + 3 * pixels.length;
    }

    /**
     * Decodes a frame (after its type byte) for a screen of the given size.
     *
     * @throws IllegalArgumentException when the frame is malformed or its tiles leave the screen
     */
    static DecodedFrame decodeFrame(ByteBuffer in, int screenWidth, int screenHeight) {
        try (FrameStream.Reader stream = new FrameStream.Reader()) {
            return decodeFrame(in, screenWidth, screenHeight, stream);
        }
    }

    /** Decodes a frame with the session's reader, which carries the zstd stream from frame to frame. */
    static DecodedFrame decodeFrame(ByteBuffer in, int screenWidth, int screenHeight, FrameStream.Reader stream) {
        try {
            int sequence = in.getInt();
            int copyCount = in.getShort() & 0xffff;
            java.util.List<Scrolls.Copy> copies = new java.util.ArrayList<>(Math.min(copyCount, 256));
            for (int i = 0; i < copyCount; i++) {
                Scrolls.Copy c = new Scrolls.Copy(in.getShort() & 0xffff, in.getShort() & 0xffff, in.getShort() & 0xffff,
                        in.getShort() & 0xffff, in.getShort() & 0xffff, in.getShort() & 0xffff);
                if (c.width() == 0 || c.height() == 0 || c.srcX() + c.width() > screenWidth
                        || c.srcY() + c.height() > screenHeight || c.dstX() + c.width() > screenWidth
                        || c.dstY() + c.height() > screenHeight) {
                    throw new IllegalArgumentException("a copy leaves the screen: " + c);
                }
                copies.add(c);
            }
            int count = in.getShort() & 0xffff;
            int[][] rects = new int[count][];
            long total = 0;
            for (int i = 0; i < count; i++) {
                int x = in.getShort() & 0xffff;
                int y = in.getShort() & 0xffff;
                int w = in.getShort() & 0xffff;
                int h = in.getShort() & 0xffff;
                if (w == 0 || h == 0 || x + w > screenWidth || y + h > screenHeight) {
                    throw new IllegalArgumentException("tile " + w + "x" + h + "+" + x + "+" + y + " is off the screen");
                }
                rects[i] = new int[] {x, y, w, h};
                total += (long) w * h * 3;
            }
            int rawLength = in.getInt();
            int zLength = in.getInt();
            // An honest frame's tiles never overlap (HostScreen sends each place once), so what a frame
            // decodes to is bounded by the screen, however often its header lists the same place.
            long maxRaw = Math.min(total, (long) screenWidth * screenHeight * 3) + count * 1024L;
            if (rawLength < 0 || rawLength > maxRaw || zLength < 0 || zLength > in.remaining()) {
                throw new IllegalArgumentException("frame sizes do not add up");
            }
            byte[] raw = stream.decompress(in.slice().limit(zLength), rawLength);
            in.position(in.position() + zLength);
            java.util.List<Tile> tiles = new java.util.ArrayList<>(count);
            ByteBuffer data = ByteBuffer.wrap(raw);
            for (int[] r : rects) {
                tiles.add(new Tile(r[0], r[1], r[2], r[3], decodeTile(data, r[2], r[3])));
            }
            if (data.hasRemaining()) {
                throw new IllegalArgumentException("frame data has " + data.remaining() + " bytes too many");
            }
            return new DecodedFrame(sequence, copies, tiles);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("malformed frame: " + e);
        }
    }

    private static int[] decodeTile(ByteBuffer data, int w, int h) {
        int[] pixels = new int[w * h];
        int enc = data.get() & 0xff;
        switch (enc) {
            case ENC_SOLID -> java.util.Arrays.fill(pixels, rgb(data));
            case ENC_PALETTE -> {
                int[] palette = palette(data);
                int colors = palette.length;
                int bits = indexBits(colors);
                int perByte = 8 / bits;
                int mask = (1 << bits) - 1;
                for (int row = 0; row < h; row++) {
                    int b = 0;
                    int left = 0;
                    for (int col = 0; col < w; col++) {
                        if (left == 0) {
                            b = data.get() & 0xff;
                            left = perByte;
                        }
                        left--;
                        int i = (b >>> (left * bits)) & mask;
                        if (i >= colors) {
                            throw new IllegalArgumentException("palette index " + i + " of " + colors + " colours");
                        }
                        pixels[row * w + col] = palette[i];
                    }
                }
            }
            case ENC_RAW -> {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = rgb(data);
                }
            }
            case ENC_PALETTE_RLE -> {
                int[] palette = palette(data);
                int colors = palette.length;
                int k = 0;
                while (k < pixels.length) {
                    int i = data.get() & 0xff;
                    if (i >= colors) {
                        throw new IllegalArgumentException("palette index " + i + " of " + colors + " colours");
                    }
                    int len = 0;
                    int shift = 0;
                    int b;
                    do {
                        if (shift > 14) {
                            throw new IllegalArgumentException("run length too long");
                        }
                        b = data.get() & 0xff;
                        len |= (b & 0x7f) << shift;
                        shift += 7;
                    } while ((b & 0x80) != 0);
                    int run = len + 1;
                    if (k + run > pixels.length) {
                        throw new IllegalArgumentException("a run leaves the tile");
                    }
                    java.util.Arrays.fill(pixels, k, k + run, palette[i]);
                    k += run;
                }
            }
            case ENC_DELTA -> {
                int n = pixels.length;
                if (data.remaining() < 3 * n) {
                    throw new IllegalArgumentException("a delta tile is short");
                }
                int base = data.position();
                if (data.hasArray()) {
                    DeltaPlanes.read(data.array(), data.arrayOffset() + base, pixels, w);
                } else {
                    byte[] planes = new byte[3 * n];
                    data.get(base, planes);
                    DeltaPlanes.read(planes, 0, pixels, w);
                }
                data.position(base + 3 * n);
            }
            case ENC_JPEG -> {
                int length = data.getInt();
                if (length <= 0 || length > data.remaining() || length > 3 * pixels.length + 1024) {
                    throw new IllegalArgumentException("a JPEG tile of " + length + " bytes");
                }
                byte[] jpeg = new byte[length];
                data.get(jpeg);
                return Jpeg.decode(jpeg, w, h);
            }
            default -> throw new IllegalArgumentException("unknown tile encoding " + enc);
        }
        return pixels;
    }

    /** A palette as {@link #writePalette} wrote it: its size less one, then that many colours. */
    private static int[] palette(ByteBuffer data) {
        int[] palette = new int[(data.get() & 0xff) + 1];
        for (int i = 0; i < palette.length; i++) {
            palette[i] = rgb(data);
        }
        return palette;
    }

    private static int rgb(ByteBuffer data) {
        return (data.get() & 0xff) << 16 | (data.get() & 0xff) << 8 | data.get() & 0xff;
    }
}
