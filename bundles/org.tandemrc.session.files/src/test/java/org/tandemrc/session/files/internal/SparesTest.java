package org.tandemrc.session.files.internal;

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

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** A buffer handed back is used again, and one still in use is never handed out twice. */
    @Test
    void aBufferInUseIsNeverReusedAndAReleasedOneIs() {
        Spares spares = new Spares();
        Random random = new Random(7);
        byte[] first = new byte[1000];
        random.nextBytes(first);
        ByteBuffer a = spares.copyOf(ByteBuffer.wrap(first));
        byte[] second = new byte[Spares.SIZE];
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
        Spares spares = new Spares();
        byte[] large = new byte[Spares.SIZE + 1];
        large[Spares.SIZE] = 9;
        ByteBuffer big = spares.copyOf(ByteBuffer.wrap(large));
        assertArrayEquals(large, bytes(big));
        spares.release(big);
        assertNotSame(big, spares.copyOf(ByteBuffer.wrap(new byte[1])));

        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < Spares.KEPT + 3; i++) {
            out.add(spares.copyOf(ByteBuffer.wrap(new byte[] {(byte) i})));
        }
        out.forEach(spares::release);
        List<ByteBuffer> again = new ArrayList<>();
        for (int i = 0; i < Spares.KEPT + 3; i++) {
            again.add(spares.copyOf(ByteBuffer.wrap(new byte[] {(byte) i})));
        }
        assertEquals(Spares.KEPT, again.stream().filter(x -> out.stream().anyMatch(o -> o == x)).count());
    }
}
