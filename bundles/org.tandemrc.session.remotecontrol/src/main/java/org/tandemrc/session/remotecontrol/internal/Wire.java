package org.tandemrc.session.remotecontrol.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The remote-control messages and the frame format. A frame carries the tiles that changed since
 * the frame before it, losslessly: each tile's pixels as RGB bytes, all tiles of the frame in one
 * zlib stream (level 1). Every size read from the peer is checked before anything is allocated.
 */
final class Wire {

    private Wire() {
    }

    // Guest to Host
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
    /** The most clipboard text carried, in bytes of UTF-8. */
    static final int MAX_CLIPBOARD = 512 * 1024;
    // Host to Guest
    static final int INFO = 20;
    static final int FRAME = 21;
    static final int REFUSED = 22;
    static final int SYNCED = 23;
    static final int CLIP = 24;

    /** START carries a mode (once or stream) and a quality; only lossless exists so far. */
    static final int QUALITY_LOSSLESS = 0;
    static final int MODE_ONCE = 0;
    static final int MODE_STREAM = 1;
    static final int TILE = 64;
    static final int MAX_SIDE = 16384;

    /** A rectangle of changed pixels, 0x00RRGGBB. */
    record Tile(int x, int y, int width, int height, int[] pixels) {
    }

    /** A decoded frame. */
    record DecodedFrame(int sequence, java.util.List<Tile> tiles) {
    }

    static byte[] frame(int sequence, java.util.List<Tile> tiles, Deflater deflater) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (Tile t : tiles) {
                byte[] rgb = new byte[t.width() * t.height() * 3];
                int i = 0;
                for (int p : t.pixels()) {
                    rgb[i++] = (byte) (p >>> 16);
                    rgb[i++] = (byte) (p >>> 8);
                    rgb[i++] = (byte) p;
                }
                raw.write(rgb);
            }
            byte[] input = raw.toByteArray();
            deflater.reset();
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(input.length / 4 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                z.write(buf, 0, deflater.deflate(buf));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(z.size() + tiles.size() * 8 + 16);
            DataOutputStream d = new DataOutputStream(out);
            d.writeByte(FRAME);
            d.writeInt(sequence);
            d.writeShort(tiles.size());
            for (Tile t : tiles) {
                d.writeShort(t.x());
                d.writeShort(t.y());
                d.writeShort(t.width());
                d.writeShort(t.height());
            }
            d.writeInt(input.length);
            d.writeInt(z.size());
            z.writeTo(d);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a frame (after its type byte) for a screen of the given size.
     *
     * @throws IllegalArgumentException when the frame is malformed or its tiles leave the screen
     */
    static DecodedFrame decodeFrame(ByteBuffer in, int screenWidth, int screenHeight) {
        try {
            int sequence = in.getInt();
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
            if (rawLength != total || zLength < 0 || zLength > in.remaining()) {
                throw new IllegalArgumentException("frame sizes do not add up");
            }
            byte[] raw = new byte[rawLength];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(in.slice().limit(zLength));
                int n = 0;
                while (n < rawLength && !inflater.finished()) {
                    int got = inflater.inflate(raw, n, rawLength - n);
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += got;
                }
                if (n != rawLength) {
                    throw new IllegalArgumentException("frame data is short by " + (rawLength - n) + " bytes");
                }
            } finally {
                inflater.end();
            }
            java.util.List<Tile> tiles = new java.util.ArrayList<>(count);
            int pos = 0;
            for (int[] r : rects) {
                int[] pixels = new int[r[2] * r[3]];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (raw[pos] & 0xff) << 16 | (raw[pos + 1] & 0xff) << 8 | raw[pos + 2] & 0xff;
                    pos += 3;
                }
                tiles.add(new Tile(r[0], r[1], r[2], r[3], pixels));
            }
            return new DecodedFrame(sequence, tiles);
        } catch (BufferUnderflowException | DataFormatException e) {
            throw new IllegalArgumentException("malformed frame: " + e);
        }
    }

    static ByteBuffer message(int type, int... ints) {
        ByteBuffer b = ByteBuffer.allocate(1 + ints.length * 4);
        b.put((byte) type);
        for (int i : ints) {
            b.putInt(i);
        }
        return b.flip();
    }

    static ByteBuffer text(int type, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + t.length).put((byte) type).put(t).flip();
    }
}
