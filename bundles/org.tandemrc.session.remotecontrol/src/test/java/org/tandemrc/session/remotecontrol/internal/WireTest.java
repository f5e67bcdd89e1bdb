package org.tandemrc.session.remotecontrol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Frame;

class WireTest {

    private static int[] tile(int w, int h, int colors, Random r) {
        int[] palette = new int[colors];
        for (int i = 0; i < colors; i++) {
            palette[i] = r.nextInt(0x1000000);
        }
        int[] p = new int[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = palette[r.nextInt(colors)];
        }
        return p;
    }

    private final FrameStream.Writer writer = new FrameStream.Writer();

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    @Test
    void everyEncodingRoundTripsLosslessly() {
        Random r = new Random(7);
        List<Wire.Tile> tiles = new ArrayList<>();
        int x = 0;
        for (int colors : new int[] {1, 2, 3, 4, 5, 16, 17, 200, 256, 257, 5000}) {
            for (int[] size : new int[][] {{64, 64}, {37, 19}, {1, 1}, {63, 5}}) {
                tiles.add(new Wire.Tile(x, 0, size[0], size[1], tile(size[0], size[1], Math.min(colors,
                        size[0] * size[1]), r)));
                x += 64;
            }
        }
        byte[] frame = Wire.frame(42, tiles, writer);
        ByteBuffer in = ByteBuffer.wrap(frame);
        assertEquals(Wire.FRAME, in.get());
        Wire.DecodedFrame decoded = Wire.decodeFrame(in, x, 64);
        assertEquals(42, decoded.sequence());
        assertEquals(tiles.size(), decoded.tiles().size());
        for (int i = 0; i < tiles.size(); i++) {
            assertArrayEquals(tiles.get(i).pixels(), decoded.tiles().get(i).pixels(), "tile " + i);
        }
    }

    @Test
    void photoTilesArePredictedPlanesAndRoundTripAtEveryShape() {
        Random r = new Random(11);
        List<Wire.Tile> tiles = new ArrayList<>();
        for (int[] size : new int[][] {{64, 64}, {37, 19}, {1, 40}, {40, 1}, {63, 5}}) {
            int w = size[0];
            int h = size[1];
            int[] photo = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = 3 * x + 2 * y + r.nextInt(4);
                    photo[y * w + x] = (v & 0xff) << 16 | ((v + 40) & 0xff) << 8 | ((2 * v) & 0xff);
                }
            }
            byte[] out = new byte[w * h * 3 + 1024];
            Wire.encodeTile(photo, w, h, out);
            assertEquals(Wire.ENC_DELTA, out[0], w + "x" + h);
            tiles.add(new Wire.Tile(64 * tiles.size(), 0, w, h, photo));
        }
        byte[] frame = Wire.frame(0, tiles, writer);
        List<Wire.Tile> decoded = Wire.decodeFrame(ByteBuffer.wrap(frame, 1, frame.length - 1), 64 * tiles.size(), 64)
                .tiles();
        for (int i = 0; i < tiles.size(); i++) {
            assertArrayEquals(tiles.get(i).pixels(), decoded.get(i).pixels(), "tile " + i);
        }
    }

    @Test
    void tilesWithLongRunsAreRunLengthCoded() {
        int[] stripes = new int[64 * 64];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = (i / 512) % 2 == 0 ? 0x102030 : 0xffeedd; // 8 runs of 512
        }
        byte[] out = new byte[64 * 64 * 3 + 1024];
        int n = Wire.encodeTile(stripes, 64, 64, out);
        assertEquals(Wire.ENC_PALETTE_RLE, out[0]);
        assertTrue(n < 40, "8 runs cost " + n + " bytes");
        List<Wire.Tile> tiles = List.of(new Wire.Tile(0, 0, 64, 64, stripes));
        byte[] frame = Wire.frame(0, tiles, writer);
        assertArrayEquals(stripes, Wire.decodeFrame(ByteBuffer.wrap(frame, 1, frame.length - 1), 64, 64).tiles().get(0)
                .pixels());
    }

    @Test
    void flatAndTextTilesCostLittle() {
        byte[] out = new byte[64 * 64 * 3 + 1024];
        int[] solid = new int[64 * 64];
        assertEquals(4, Wire.encodeTile(solid, 64, 64, out));
        int[] twoColours = tile(64, 64, 2, new Random(1));
        assertEquals(2 + 6 + 64 * 8, Wire.encodeTile(twoColours, 64, 64, out), "1 bit per pixel");
    }

    @Test
    void onlyChangedTilesAreSent() {
        int[] a = new int[200 * 100];
        int[] b = a.clone();
        b[150] = 0xffffff; // row 0, column 150: the third tile of the first row
        List<Wire.Tile> first = HostScreen.changedTiles(null, new Frame(0, 0, 200, 100, a, 0));
        assertEquals(8, first.size(), "4 columns x 2 rows of tiles, edges partial");
        List<Wire.Tile> changed = HostScreen.changedTiles(a, new Frame(0, 0, 200, 100, b, 0));
        assertEquals(1, changed.size());
        assertEquals(150, changed.get(0).x(), "only the changed pixel, not its whole tile");
        assertEquals(1, changed.get(0).width());
        assertEquals(1, changed.get(0).height());
        int[] c = a.clone();
        c[10 * 200 + 20] = 1;
        c[30 * 200 + 40] = 1;
        Wire.Tile box = HostScreen.changedTiles(a, new Frame(0, 0, 200, 100, c, 0)).get(0);
        assertEquals(List.of(20, 10, 21, 21), List.of(box.x(), box.y(), box.width(), box.height()));
        assertTrue(HostScreen.changedTiles(a, new Frame(0, 0, 200, 100, a.clone(), 0)).isEmpty(),
                "an unchanged screen sends nothing");
    }

    @Test
    void frameAfterFrameShareOneStream() {
        FrameStream.Reader reader = new FrameStream.Reader();
        Random r = new Random(9);
        int[] pixels = tile(64, 64, 12, r);
        int first = 0;
        for (int i = 0; i < 3; i++) {
            byte[] frame = Wire.frame(i, List.of(new Wire.Tile(0, 0, 64, 64, pixels)), writer);
            if (i == 0) {
                first = frame.length;
            } else {
                assertTrue(frame.length < first / 2, "a repeated tile costs little: " + frame.length + " vs " + first);
            }
            ByteBuffer in = ByteBuffer.wrap(frame, 1, frame.length - 1);
            assertArrayEquals(pixels, Wire.decodeFrame(in, 64, 64, reader).tiles().get(0).pixels());
        }
    }

    @Test
    void hostileFramesAreRefused() {
        List<Wire.Tile> tiles = List.of(new Wire.Tile(0, 0, 8, 8, tile(8, 8, 3, new Random(2))));
        byte[] good = Wire.frame(1, tiles, writer);
        // Truncated.
        assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(ByteBuffer.wrap(good, 1, good.length - 5), 64, 64));
        // A tile off the screen.
        assertThrows(IllegalArgumentException.class, () -> Wire.decodeFrame(ByteBuffer.wrap(good, 1, good.length - 1), 4, 4));
        // A huge declared size is refused before allocation.
        byte[] huge = good.clone();
        int rawLengthAt = 1 + 4 + 2 + 2 + 8; // type, sequence, no copies, one tile
        ByteBuffer.wrap(huge).putInt(rawLengthAt, Integer.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(ByteBuffer.wrap(huge, 1, huge.length - 1), 64, 64));
        assertEquals("frame sizes do not add up", e.getMessage());
        // A copy reaching off the screen.
        byte[] copying = Wire.frame(2, List.of(new Scrolls.Copy(0, 10, 64, 60, 0, 0)), tiles, writer, 0, null);
        e = assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(ByteBuffer.wrap(copying, 1, copying.length - 1), 64, 64));
        assertTrue(e.getMessage().startsWith("a copy leaves the screen"), e.getMessage());
        // Compressed data that is corrupt, or says it holds more than it does.
        byte[] corrupt = good.clone();
        for (int i = rawLengthAt + 8; i < corrupt.length; i++) {
            corrupt[i] ^= 0x5a;
        }
        assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(ByteBuffer.wrap(corrupt, 1, corrupt.length - 1), 64, 64));
        byte[] longer = good.clone();
        ByteBuffer.wrap(longer).putInt(rawLengthAt, ByteBuffer.wrap(good).getInt(rawLengthAt) + 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(ByteBuffer.wrap(longer, 1, longer.length - 1), 64, 64));
        assertTrue(e.getMessage().startsWith("frame data gives"), e.getMessage());
    }

    /**
     * A Host's frame header that lists the whole screen thousands of times over announces a decoded size
     * of 2 GB in 48 KB; the Guest refused it only after reserving that much memory for the result.
     */
    @Test
    void tilesThatCoverTheScreenManyTimesOverAreRefusedBeforeAnythingIsReserved() {
        int tiles = 6000;
        ByteBuffer f = ByteBuffer.allocate(4 + 2 + 2 + tiles * 8 + 8);
        f.putInt(0).putShort((short) 0).putShort((short) tiles);
        for (int i = 0; i < tiles; i++) {
            f.putShort((short) 0).putShort((short) 0).putShort((short) 400).putShort((short) 300);
        }
        f.putInt(2_000_000_000).putInt(0).flip();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wire.decodeFrame(f, 400, 300));
        assertEquals("frame sizes do not add up", e.getMessage());
    }
}
