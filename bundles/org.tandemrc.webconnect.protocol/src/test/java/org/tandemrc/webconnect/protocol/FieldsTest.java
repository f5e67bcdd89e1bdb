package org.tandemrc.webconnect.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.srp.Challenge;

/** The WebConnect fields on the codec kit: what a peer may send, and what it may not. */
class FieldsTest {

    /** The frame's type and payload, as the decoder hands it on (the length stripped). */
    private static WireReader received(ByteBuf frame) {
        return Fields.reader(frame.skipBytes(4));
    }

    @Test
    void theLogonFramesReadBackAsTheyWereWritten() throws ProtocolException {
        WireReader r = received(new Logon.Request(Frames.VERSION, "acme", "host").frame());
        assertEquals(Frames.LOGON, r.u8("type"));
        assertEquals(new Logon.Request(Frames.VERSION, "acme", "host"), Logon.Request.read(r));
        r.end("LOGON");

        Challenge srp = new Challenge(1024, 1, 1, new byte[16], BigInteger.valueOf(12345));
        r = received(new Logon.Challenged(new byte[32], srp).frame());
        assertEquals(Frames.CHALLENGE, r.u8("type"));
        Logon.Challenged c = Logon.Challenged.read(r);
        assertArrayEquals(new byte[32], c.nonce());
        assertEquals(srp, c.srp());
        r.end("CHALLENGE");

        r = received(new Logon.Welcome(new byte[] {1, 2, 3}, "m1").frame());
        assertEquals(Frames.WELCOME, r.u8("type"));
        Logon.Welcome w = Logon.Welcome.read(r);
        assertArrayEquals(new byte[] {1, 2, 3}, w.serverProof());
        assertEquals("m1", w.managerId());
    }

    @Test
    void thePairingFramesAndHelloReadBackAsTheyWereWritten() throws ProtocolException {
        WireReader r = received(new Pairing.Register("h1", "i1", java.util.List.of(new byte[16], new byte[16])).frame());
        assertEquals(Frames.REGISTER, r.u8("type"));
        Pairing.Register reg = Pairing.Register.read(r);
        assertEquals("h1", reg.hostName());
        assertEquals(2, reg.live().size());
        r.end("REGISTER");

        r = received(new Pairing.Offer(new byte[16], true, "r1", "127.0.0.1:6591", new byte[] {9}).frame());
        assertEquals(Frames.OFFER, r.u8("type"));
        Pairing.Offer offer = Pairing.Offer.read(r);
        assertTrue(offer.resume());
        assertEquals("127.0.0.1:6591", offer.relayAddress());
        assertArrayEquals(new byte[] {9}, offer.token());
        r.end("OFFER");

        r = received(new Pairing.Paired(new byte[16], "r1", "127.0.0.1:6591", new byte[] {9}, "h1").frame());
        assertEquals(Frames.PAIRED, r.u8("type"));
        assertEquals("h1", Pairing.Paired.read(r).hostName());
        r.end("PAIRED");

        r = received(new Hello(Frames.VERSION, new byte[16], Frames.ROLE_GUEST, 42).frame());
        assertEquals(Frames.HELLO, r.u8("type"));
        Hello hello = Hello.read(r);
        assertEquals(Frames.ROLE_GUEST, hello.role());
        assertEquals(42, hello.lastReceived());
        r.end("HELLO");
    }

    @Test
    void aLengthBeyondTheFieldsLimitIsRefusedBeforeAnythingIsAllocated() {
        // A LOGON whose account claims 65535 bytes, in a frame of a few.
        ByteBuf hostile = Unpooled.wrappedBuffer(new byte[] {Frames.LOGON, Frames.VERSION, (byte) 0xff, (byte) 0xff, 'a'});
        WireReader r = Fields.reader(hostile);
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            r.u8("type");
            Logon.Request.read(r);
        });
        assertTrue(e.getMessage().contains("account of 65535 bytes exceeds the limit of " + Fields.MAX_STRING),
                e.getMessage());
    }

    @Test
    void aCountThatCannotFitWhatIsLeftIsRefused() {
        byte[] frame = new WireWriter().u16(60_000).u16(0).toByteArray();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Fields.count(Fields.reader(Unpooled.wrappedBuffer(frame)), "live pairings", 2, 60_000));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        ProtocolException over = assertThrows(ProtocolException.class,
                () -> Fields.count(Fields.reader(Unpooled.wrappedBuffer(frame)), "live pairings", 2, 64));
        assertTrue(over.getMessage().contains("exceeds the limit of 64"), over.getMessage());
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        byte[] frame = {0, 2, (byte) 0xc3, (byte) 0x28};
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Fields.string(Fields.reader(Unpooled.wrappedBuffer(frame)), "reason"));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void aFieldLongerThanItsLimitIsThisSidesMistakeNotSent() {
        assertThrows(IllegalArgumentException.class, () -> Fields.string(new WireWriter(), "x".repeat(Fields.MAX_STRING + 1)));
        assertThrows(IllegalArgumentException.class, () -> Fields.bytes(new WireWriter(), new byte[Fields.MAX_BYTES + 1]));
    }

    @Test
    void aLongNonAsciiReasonIsCutToTheFieldWithoutSplittingACharacter() throws ProtocolException {
        // 1000 characters of 3 and 4 UTF-8 bytes each: far over the field's 1024 bytes.
        String reason = "\u00e9\u20ac\ud83d\ude00".repeat(250);
        WireReader r = received(Frames.reason(Frames.ERROR, reason));
        assertEquals(Frames.ERROR, r.u8("type"));
        String sent = Fields.string(r, "reason");
        r.end("ERROR");
        assertTrue(reason.startsWith(sent), "a start of the reason");
        int bytes = sent.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes <= Fields.MAX_STRING && bytes > Fields.MAX_STRING - 4, bytes + " bytes");
        r = received(Frames.reason(Frames.CLOSE, "short reasons go whole"));
        assertEquals(Frames.CLOSE, r.u8("type"));
        assertEquals("short reasons go whole", Fields.string(r, "reason"));
    }

    @Test
    void aListOfSupportSessionsReadsBackAndANoisyCountIsRefusedBeforeAnyWork() throws ProtocolException {
        Support.Session a = new Support.Session("123456789", "Sam", 1L, 1440, 0, "waiting", "https://m:1971/s/abc");
        Support.Session b = new Support.Session("987654321", "Kim", 2L, 60, 3L, "active", "");
        WireReader r = received(new Support.Sessions(java.util.List.of(a, b)).frame());
        assertEquals(Frames.SUPPORT_SESSIONS, r.u8("type"));
        assertEquals(java.util.List.of(a, b), Support.Sessions.read(r).sessions());
        r.end("SUPPORT_SESSIONS");

        r = received(a.frame());
        assertEquals(Frames.SUPPORT, r.u8("type"));
        assertEquals(a, Support.Session.read(r));
        r.end("SUPPORT");

        // a count of 65535 with nothing behind it: refused on the count, not after reading
        ByteBuf noisy = Frames.frame(Frames.SUPPORT_SESSIONS, new WireWriter().u16(65535)).skipBytes(4);
        WireReader n = Fields.reader(noisy);
        n.u8("type");
        ProtocolException e = assertThrows(ProtocolException.class, () -> Support.Sessions.read(n));
        assertTrue(e.getMessage().contains("more than " + Support.MAX_LIST), e.getMessage());
    }
}
