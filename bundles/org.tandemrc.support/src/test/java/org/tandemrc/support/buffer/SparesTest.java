package org.tandemrc.support.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SparesTest {

    private static final int SIZE = 4096;
    private static final int KEPT = 3;


    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** A buffer handed back is used again, and one still in use is never handed out twice. */
    @Test
    void aBufferInUseIsNeverReusedAndAReleasedOneIs() {
        Spares spares = new Spares(SIZE, KEPT);
        Random random = new Random(7);
        byte[] first = new byte[1000];
        random.nextBytes(first);
        ByteBuffer a = spares.copyOf(ByteBuffer.wrap(first));
        byte[] second = new byte[SIZE];
        random.nextBytes(second);
        ByteBuffer b = spares.copyOf(ByteBuffer.wrap(second));
        assertNotSame(a, b);
        assertArrayEquals(first, bytes(a));
        assertArrayEquals(second, bytes(b));

        spares.release(b);
        byte[] third = new byte[10];
        random.nextBytes(third);
        ByteBuffer c = spares.copyOf(ByteBuffer.wrap(third));
        assertSame(b, c, "the released buffer is used again");
        assertArrayEquals(third, bytes(c), "holding exactly the new message");
        assertArrayEquals(first, bytes(a), "the buffer still in use is untouched");
    }

    /** A message larger than a kept buffer gets its own, which is not kept; at most KEPT are kept. */
    @Test
    void largeMessagesAndSurplusBuffersAreNotKept() {
        Spares spares = new Spares(SIZE, KEPT);
        byte[] large = new byte[SIZE + 1];
        large[SIZE] = 9;
        ByteBuffer big = spares.copyOf(ByteBuffer.wrap(large));
        assertArrayEquals(large, bytes(big));
        spares.release(big);
        assertNotSame(big, spares.copyOf(ByteBuffer.wrap(new byte[1])));

        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < KEPT + 3; i++) {
            out.add(spares.copyOf(ByteBuffer.wrap(new byte[] {(byte) i})));
        }
        out.forEach(spares::release);
        List<ByteBuffer> again = new ArrayList<>();
        for (int i = 0; i < KEPT + 3; i++) {
            again.add(spares.copyOf(ByteBuffer.wrap(new byte[] {(byte) i})));
        }
        assertEquals(KEPT, again.stream().filter(x -> out.stream().anyMatch(o -> o == x)).count());
    }
}
