package org.tandemrc.webconnect.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * Every WebConnect connection (to a manager, to a relay, and end to end through a relay) carries frames:
 * {@code u32 length | u8 type | payload}, the length counting type and payload. The decoder strips the
 * length; a frame's first byte is its type. Payloads are written and read with the codec kit in the
 * layout {@link Fields} describes ({@code str}, {@code bytes}, {@code u16 n} below).
 */
public final class Frames {

    /** Protocol version sent in LOGON and HELLO. */
    public static final int VERSION = 1;
    /** Largest control frame (manager and relay handshakes). */
    public static final int MAX_CONTROL_FRAME = 64 * 1024;

    // ---- client <-> Connection Manager
    /** C→M: u8 version, str account, str role ("host" or "guest"). */
    public static final byte LOGON = 1;
    /** M→C: bytes nonce(32), u32 memoryKiB, u32 iterations, u32 parallelism, bytes salt, bytes B. */
    public static final byte CHALLENGE = 2;
    /** C→M: bytes A, bytes M1. */
    public static final byte PROOF = 3;
    /** M→C: bytes M2, str managerId. */
    public static final byte WELCOME = 4;
    /** Any direction: str reason; the sender closes the connection afterwards. */
    public static final byte ERROR = 5;
    /** Host→M: str hostName, str instanceId, u16 n, n × bytes pairingId (the links still alive). */
    public static final byte REGISTER = 6;
    /**
     * M→Host: str hostName, str address shown to Guests [, bytes resumptionTicket, u64 ticketExpiresAtMillis]
     * (the ticket fields since protocol 0.5, when the manager issues tickets; see {@link Resumption}).
     */
    public static final byte REGISTERED = 7;
    /** M→Host: bytes pairingId, u8 resume, str relayId, str relayAddress, bytes token. */
    public static final byte OFFER = 8;
    /** Guest→M: str target (a Host name, {@code ticket:CODE} or {@code support:CODE}). */
    public static final byte CONNECT = 9;
    /** M→Guest: bytes pairingId, str relayId, str relayAddress, bytes token, str hostName. */
    public static final byte PAIRED = 10;
    /** Guest→M: bytes pairingId, u16 n, n × str relayId to avoid (relays that failed). */
    public static final byte RESUME = 11;
    /** Either way on a control connection: empty; keeps it alive. */
    public static final byte PING = 12;
    /** Host→M: bytes pairingId; the link of that pairing closed for good. */
    public static final byte ENDED = 14;
    /** Host→M: u32 minutes; asks for a ticket a Guest can use instead of the Host name. */
    public static final byte TICKET_REQUEST = 15;
    /** M→Host: str code, u64 expiresAtMillis. */
    public static final byte TICKET = 16;
    /** Host→M instead of LOGON: u8 version, str account, str hostName, bytes resumptionTicket (see {@link Resumption}). */
    public static final byte RESUME_LOGON = 17;
    /** M→Host: bytes nonce(32); the ticket opened and is still good. */
    public static final byte RESUME_CHALLENGE = 18;
    /** Host→M: bytes proof(32), the ticket's secret over the nonce. */
    public static final byte RESUME_PROOF = 19;
    /** M→Host: bytes serverProof(32), str managerId; logged on, as after WELCOME. */
    public static final byte RESUMED = 22;
    /** M→C instead of an answer: u32 retryAfterMillis, str reason; busy with logons, the sender closes. */
    public static final byte RETRY = 23;

    // ---- support sessions (see Support)
    /** Guest→M: str supporter, u32 codeMinutes, u32 lifetimeMinutes; creates a support session. */
    public static final byte SUPPORT_CREATE = 40;
    /** M→Guest: a session (see {@link Support.Session}). */
    public static final byte SUPPORT = 41;
    /** Guest→M: u8 action (1 extend, 2 cancel, 3 end, 4 status, 5 renew), str code; a joined Host: 3 end, its own. */
    public static final byte SUPPORT_CHANGE = 42;
    /** Host→M after LOGON(role "support-host"): str code, str instanceId. */
    public static final byte SUPPORT_JOIN = 43;
    /** M→Host: str account, str hostName to register, str supporter, u64 endsAtMillis, str managerId. */
    public static final byte SUPPORT_JOINED = 44;
    /** Guest→M: empty; the open support sessions of the account. */
    public static final byte SUPPORT_LIST = 45;
    /** M→Guest: u16 count, count sessions (see {@link Support.Sessions}). */
    public static final byte SUPPORT_SESSIONS = 46;

    // ---- client <-> relay (before pairing)
    /** C→R: bytes token. Nothing else may follow until RELAY_PAIRED arrives. */
    public static final byte RELAY_TOKEN = 20;
    /** R→C: empty; from now on the relay forwards bytes untouched to the other side. */
    public static final byte RELAY_PAIRED = 21;

    // ---- Host <-> Guest, through a relay (end to end)
    /** u8 version, bytes pairingId, u8 role, u64 lastReceivedSeq. */
    public static final byte HELLO = 30;
    /** u64 seq, then the message. */
    public static final byte DATA = 31;
    /** u64 seq: every message up to seq arrived. */
    public static final byte ACK = 32;
    /** str reason: the link is closed for good. */
    public static final byte CLOSE = 33;
    /** empty: keeps the relay connection alive. */
    public static final byte KEEPALIVE = 34;

    /** Role bytes in tokens and HELLO. */
    public static final byte ROLE_HOST = 1;
    public static final byte ROLE_GUEST = 2;

    private static final ChannelHandler CLOSER = new Closer();

    private Frames() {
    }

    /**
     * The last handler of a server connection's pipeline: it closes the connection when an
     * {@code IdleStateHandler} before it reports the connection idle and when a handler before it fails,
     * so the handlers in between need not each do so.
     */
    public static ChannelHandler closer() {
        return CLOSER;
    }

    @ChannelHandler.Sharable
    private static final class Closer extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A decoder of frames up to {@code maxFrame} bytes (type + payload); longer ones fail the channel. */
    public static LengthFieldBasedFrameDecoder decoder(int maxFrame) {
        return new LengthFieldBasedFrameDecoder(maxFrame + 4, 0, 4, 0, 4, true);
    }

    /** A frame of {@code type} with an empty payload. */
    public static ByteBuf frame(byte type) {
        ByteBuf b = Unpooled.buffer(5);
        b.writeInt(1).writeByte(type);
        return b;
    }

    /** A frame of {@code type} whose payload is what {@code payload} wrote. */
    public static ByteBuf frame(byte type, WireWriter payload) {
        byte[] p = payload.toByteArray();
        ByteBuf b = Unpooled.buffer(5 + p.length);
        b.writeInt(1 + p.length).writeByte(type).writeBytes(p);
        return b;
    }

    /** Starts a frame: write the payload, then call {@link #finish(ByteBuf)}. */
    public static ByteBuf start(ByteBufAllocator alloc, byte type) {
        ByteBuf b = alloc.buffer(64);
        b.writeInt(0).writeByte(type);
        return b;
    }

    /** Fills in the length of a frame begun with {@link #start}. */
    public static ByteBuf finish(ByteBuf frame) {
        frame.setInt(0, frame.readableBytes() - 4);
        return frame;
    }

    /** The header of a DATA frame carrying {@code size} bytes; the message itself follows it. */
    public static ByteBuf dataHeader(long seq, int size) {
        ByteBuf b = Unpooled.buffer(13);
        b.writeInt(1 + 8 + size).writeByte(DATA).writeLong(seq);
        return b;
    }

    /** A frame of {@code type} with one u64 payload (ACK). */
    public static ByteBuf longFrame(byte type, long value) {
        ByteBuf b = Unpooled.buffer(13);
        b.writeInt(9).writeByte(type).writeLong(value);
        return b;
    }

    /** An ERROR or CLOSE frame with a reason, cut to what the field holds. */
    public static ByteBuf reason(byte type, String reason) {
        return frame(type, Fields.string(new WireWriter(), WireText.clip(reason, Fields.MAX_STRING)));
    }
}
