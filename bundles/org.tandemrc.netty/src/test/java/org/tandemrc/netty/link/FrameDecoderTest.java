package org.tandemrc.netty.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static byte[] stream(List<byte[]> frames) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] f : frames) {
            b.writeInt(f.length).writeBytes(f);
        }
        return ByteBufUtil.getBytes(b);
    }

    private static List<byte[]> frames(Random r) {
        List<byte[]> frames = new ArrayList<>();
        for (int size : new int[] {1, 9, 0, 70_000, 13, 65_545, 300_000, 2}) {
            byte[] f = new byte[size];
            r.nextBytes(f);
            frames.add(f);
        }
        return frames;
    }

    /** Feeds {@code bytes} in pieces of the given sizes (cycled) and returns the frames passed on. */
    private static List<byte[]> decode(byte[] bytes, int... pieces) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(400_000));
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            int n = Math.min(pieces[i % pieces.length], bytes.length - at);
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
            at += n;
        }
        List<byte[]> out = new ArrayList<>();
        for (ByteBuf f; (f = ch.readInbound()) != null;) {
            out.add(ByteBufUtil.getBytes(f));
            f.release();
        }
        assertFalse(ch.finish());
        return out;
    }

    @Test
    void framesArriveWholeAndInOrderHoweverTheStreamIsCut() {
        List<byte[]> frames = frames(new Random(24));
        byte[] bytes = stream(frames);
        for (int[] pieces : new int[][] {{bytes.length}, {1}, {3}, {5, 65_536}, {65_536}, {7, 1, 100_001}}) {
            List<byte[]> got = decode(bytes, pieces);
            assertEquals(frames.size(), got.size());
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(frames.get(i), got.get(i), "frame " + i + " with pieces " + pieces[0]);
            }
        }
    }

    @Test
    void aFrameLongerThanTheLimitFailsBeforeAnythingIsAllocated() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1000));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(Unpooled.buffer().writeInt(1001).writeByte(31)));
        EmbeddedChannel negative = new EmbeddedChannel(new FrameDecoder(1000));
        assertThrows(TooLongFrameException.class, () -> negative.writeInbound(Unpooled.buffer().writeInt(-1)));
    }

    @Test
    void anAnnouncedFrameNotSentYetHoldsAtMostTheFirstBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(64 << 20));
        // 64 MiB announced, 10 bytes sent: the decoder's buffer is no larger than FIRST_BUFFER.
        long before = io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        ch.writeInbound(Unpooled.buffer().writeInt(64 << 20).writeBytes(new byte[10]));
        long used = io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
        assertTrue(used <= 4L << 20, "holds " + used + " bytes for 10 received");
        assertNull(ch.readInbound());
        ch.close();
    }
}
