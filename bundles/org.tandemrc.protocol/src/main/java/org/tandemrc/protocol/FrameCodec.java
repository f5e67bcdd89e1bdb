package org.tandemrc.protocol;

import java.nio.ByteBuffer;

import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The frame layer of a {@link Connection}: what one decrypted record carries. It checks each frame's
 * own layout and bounds and hands the fields to a {@link FrameListener}; which channel ids are valid
 * is the multiplexer's business ({@link ChannelTable}), not the codec's.
 *
 * <p>Wire layout (after the record layer has decrypted the record): {@code u8 kind, u32 channel},
 * then by kind:
 * <ul>
 * <li>1 CONTROL (channel 0): a {@link ControlMessage}
 * <li>2 OPEN: {@code u8 priority, text session type (at most 64 bytes)}
 * <li>3 OPEN_OK: nothing; 4 OPEN_DENIED: {@code text reason (at most 1024 bytes)}
 * <li>5 DATA: {@code u8 flags (bit 0: last fragment of the message)}, then at most
 * {@value Connection#FRAGMENT} bytes of the channel message
 * <li>6 CREDIT: {@code u32 bytes (at most one window)}
 * <li>7 CLOSE: {@code text reason}
 * <li>8 PING, 9 PONG: nothing is read
 * <li>10 BYE (channel 0): {@code text reason}; the connection closes after it
 * </ul>
 */
final class FrameCodec {

    static final int CONTROL = 1;
    static final int OPEN = 2;
    static final int OPEN_OK = 3;
    static final int OPEN_DENIED = 4;
    static final int DATA = 5;
    static final int CREDIT = 6;
    static final int CLOSE = 7;
    static final int PING = 8;
    static final int PONG = 9;
    static final int BYE = 10;

    private static final byte[] EMPTY = new byte[0];

    /** The decoded frames, one call per frame, on the link's thread. */
    interface FrameListener {

        void control(ControlMessage message) throws ProtocolException;

        void open(int id, Priority priority, String sessionType) throws ProtocolException;

        /** The peer's answer to this side's open; {@code deniedReason} is null when it accepted. */
        void openAnswered(int id, String deniedReason) throws ProtocolException;

        void data(int id, ByteBuffer chunk, boolean last) throws ProtocolException;

        void credit(int id, int bytes);

        void close(int id, String reason);

        void ping();

        void bye(String reason);
    }

    private FrameCodec() {
    }

    /** Decodes one frame and hands it to {@code to}. */
    static void read(ByteBuffer plain, FrameListener to) throws ProtocolException {
        WireReader r = new WireReader(plain);
        int kind = r.u8("frame kind");
        int id = r.u32("channel", Integer.MAX_VALUE);
        switch (kind) {
            case CONTROL -> {
                if (id != 0) {
                    throw new ProtocolException("control frame on channel " + id);
                }
                to.control(ControlMessage.decode(r.rest()));
            }
            case OPEN -> {
                int prio = r.u8("priority");
                String type = r.text("session type", 64);
                r.end("open");
                if (prio >= Priority.values().length) {
                    throw new ProtocolException("unknown priority " + prio);
                }
                to.open(id, Priority.values()[prio], type);
            }
            case OPEN_OK, OPEN_DENIED -> {
                String reason = kind == OPEN_DENIED ? r.text("reason", 1024) : null;
                r.end("open answer");
                to.openAnswered(id, reason);
            }
            case DATA -> {
                int flags = r.u8("flags");
                ByteBuffer chunk = r.rest();
                if (chunk.remaining() > Connection.FRAGMENT) {
                    throw new ProtocolException("data fragment of " + chunk.remaining() + " bytes exceeds " + Connection.FRAGMENT);
                }
                to.data(id, chunk, (flags & 1) != 0);
            }
            case CREDIT -> {
                int credit = r.u32("credit", Connection.WINDOW);
                r.end("credit");
                to.credit(id, credit);
            }
            case CLOSE -> {
                String reason = r.text("reason", 1024);
                r.end("close");
                to.close(id, reason);
            }
            case PING -> to.ping();
            case PONG -> {
                // the record's arrival already counts as life
            }
            case BYE -> to.bye(r.text("reason", 1024));
            default -> throw new ProtocolException("unknown frame kind " + kind);
        }
    }

    static byte[] control(ControlMessage message) {
        return frame(CONTROL, 0, message.encode());
    }

    static byte[] open(int id, Priority priority, String sessionType) {
        return frame(OPEN, id, new WireWriter().u8(priority.ordinal()).text(sessionType).toByteArray());
    }

    static byte[] openOk(int id) {
        return frame(OPEN_OK, id, EMPTY);
    }

    static byte[] openDenied(int id, String reason) {
        return frame(OPEN_DENIED, id, reasonText(reason));
    }

    static byte[] credit(int id, int bytes) {
        return frame(CREDIT, id, new WireWriter().u32(bytes).toByteArray());
    }

    static byte[] close(int id, String reason) {
        return frame(CLOSE, id, reasonText(reason));
    }

    static byte[] ping() {
        return frame(PING, 0, EMPTY);
    }

    static byte[] pong() {
        return frame(PONG, 0, EMPTY);
    }

    static byte[] bye(String reason) {
        return frame(BYE, 0, reasonText(reason));
    }

    /**
     * A data frame built in one array (kind, channel, flags, data). {@link Connection} seals a data frame
     * from {@link #dataHeader} and the chunk instead, without this copy; peers in tests build it whole.
     */
    static byte[] data(int id, ByteBuffer chunk, boolean last) {
        byte[] header = dataHeader(id, last);
        byte[] plain = new byte[header.length + chunk.remaining()];
        ByteBuffer.wrap(plain).put(header).put(chunk.duplicate());
        return plain;
    }

    /** The first bytes of a data frame, up to its data: kind, channel, flags. */
    static byte[] dataHeader(int id, boolean last) {
        byte[] header = new byte[6];
        ByteBuffer.wrap(header).put((byte) DATA).putInt(id).put((byte) (last ? 1 : 0));
        return header;
    }

    private static byte[] frame(int kind, int id, byte[] payload) {
        return new WireWriter().u8(kind).u32(id).bytes(payload).toByteArray();
    }

    private static byte[] reasonText(String reason) {
        return new WireWriter().text(Connection.clip(reason)).toByteArray();
    }
}
