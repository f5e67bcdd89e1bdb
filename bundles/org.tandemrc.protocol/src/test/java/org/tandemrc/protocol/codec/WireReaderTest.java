package org.tandemrc.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tandemrc.protocol.ProtocolException;

class WireReaderTest {

    private static WireReader read(WireWriter w) {
        return new WireReader(w.toBuffer());
    }

    @Test
    void everyFieldReadsBackWhatWasWritten() throws ProtocolException {
        WireReader r = read(new WireWriter().u8(200).bool(true).u16(65535).u32(-1).i64(Long.MIN_VALUE)
                .blob(new byte[] {1, 2}).shortBlob(new byte[] {3}, 1).text("Grüße").longText("😀").longText(null)
                .positive(BigInteger.valueOf(255)).u8(1).restText("end ✓"));
        assertEquals(200, r.u8("a"));
        assertTrue(r.bool("b"));
        assertEquals(65535, r.u16("c"));
        assertEquals(-1, r.i32("d"));
        assertEquals(Long.MIN_VALUE, r.i64("e"));
        assertArrayEquals(new byte[] {1, 2}, r.blob("f", 2));
        assertArrayEquals(new byte[] {3}, r.shortBlob("g", 1));
        assertEquals("Grüße", r.text("h", 64));
        assertEquals("😀", r.longText("i", 4));
        assertEquals("", r.longText("j", 0));
        assertEquals(BigInteger.valueOf(255), r.positive("k", 1));
        assertEquals(Thread.State.RUNNABLE, r.ordinal(Thread.State.values(), "l"));
        assertEquals("end ✓", r.restText("m", 64));
        assertTrue(r.done());
        r.end("message");
    }

    @Test
    void theCallersBufferDoesNotMove() throws ProtocolException {
        ByteBuffer message = new WireWriter().u32(7).toBuffer();
        new WireReader(message).i32("x");
        assertEquals(0, message.position());
    }

    /** A 4 GiB count in a 9-byte message is refused before anything is allocated for it. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void countsAndLengthsAreBoundedBeforeAllocation() {
        ByteBuffer huge = new WireWriter().u32(-1).u32(0).u8(0).toBuffer();
        assertThrows(ProtocolException.class, () -> new WireReader(huge).count("items", 1, Integer.MAX_VALUE));
        assertThrows(ProtocolException.class, () -> new WireReader(huge).blob("blob", Integer.MAX_VALUE));
        assertThrows(ProtocolException.class, () -> new WireReader(huge).longText("text", Integer.MAX_VALUE));
        ByteBuffer fits = new WireWriter().u32(2).u32(0).u32(0).toBuffer();
        assertThrows(ProtocolException.class, () -> new WireReader(fits).count("items", 5, 10),
                "two items of at least 5 bytes do not fit in 8");
        assertThrows(ProtocolException.class, () -> new WireReader(fits).count("items", 1, 1), "above the maximum");
        ByteBuffer shortCount = new WireWriter().u16(3).u16(0).u16(0).toBuffer();
        assertThrows(ProtocolException.class, () -> new WireReader(shortCount).shortCount("items", 2, 2));
        assertThrows(ProtocolException.class, () -> new WireReader(shortCount).shortCount("items", 4, 10));
        ByteBuffer text = new WireWriter().text("abc").toBuffer();
        assertThrows(ProtocolException.class, () -> new WireReader(text).text("name", 2));
        assertThrows(ProtocolException.class, () -> new WireReader(text).restText("rest", 4));
        assertThrows(ProtocolException.class, () -> WireReader.of(text, 4, "message"));
    }

    @Test
    void malformedFieldsAreRefused() {
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.wrap(new byte[] {2})).bool("flag"));
        assertThrows(ProtocolException.class,
                () -> new WireReader(ByteBuffer.wrap(new byte[] {9})).ordinal(Thread.State.values(), "state"));
        assertThrows(ProtocolException.class,
                () -> new WireReader(ByteBuffer.wrap(new byte[] {0, 2, (byte) 0xc3, 0x28})).text("name", 9));
        assertThrows(ProtocolException.class, () -> new WireReader(ByteBuffer.wrap(new byte[] {0, 0, 0})).i32("x"));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new WireReader(ByteBuffer.wrap(new byte[] {1, 2})).end("a message"));
        assertEquals("a message has 2 unexpected trailing bytes", e.getMessage());
    }

    @Test
    void aValueThatDoesNotFitItsFieldIsTheWritersMistake() {
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().u16(65536));
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().shortBlob(new byte[3], 2));
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().longText("abc", 2));
        assertFalse(new WireWriter().size() > 0);
    }

    @Test
    void clipCutsTextToItsUtf8BytesBetweenCharacters() {
        assertEquals("a\u00e9", WireText.clip("a\u00e9\ud83d\ude00", 6), "the 4-byte emoji does not fit in 3");
        assertEquals("a\u00e9\ud83d\ude00", WireText.clip("a\u00e9\ud83d\ude00", 7));
        assertEquals("a", WireText.clip("a\u00e9", 2), "half of a 2-byte character is none of it");
        assertEquals("", WireText.clip(null, 10));
        assertEquals("", WireText.clip("\u20ac", 0));
    }
}
