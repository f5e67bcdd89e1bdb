package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The messages of one streaming operation's channel ({@code tool-stream} session). The Guest's first
 * message is OPEN; the Host answers STARTED (then output) or END (it could not start). Data flows both
 * ways under a window per direction: a side sends at most {@link #WINDOW} bytes of DATA its peer has not
 * acknowledged, and acknowledges (ACK) what its consumer has taken. The Host ends with END after its
 * output; the Guest then closes the channel. Either side may close the channel at any time.
 *
 * <pre>
 * Guest to Host
 * OPEN     1   text tool, text operation, u8 StreamKind ordinal (as the Guest will show it),
 *              u32 n, n × (text name, text value)
 * DATA     2   the rest: bytes (at most MAX_DATA)
 * RESIZE   3   u16 columns, u16 rows (1 to 1000 each)
 * ACK      4   u32 bytes
 * Host to Guest
 * STARTED  20  u8 StreamKind ordinal
 * DATA     21  the rest: bytes (at most MAX_DATA)
 * SHOW     22  result (as {@link ToolWire}'s)
 * ACK      23  u32 bytes
 * END      24  u8 ok, text sentence
 * </pre>
 */
final class StreamWire {

    private StreamWire() {
    }

    static final int OPEN = 1;
    static final int DATA_IN = 2;
    static final int RESIZE = 3;
    static final int ACK_IN = 4;
    static final int STARTED = 20;
    static final int DATA_OUT = 21;
    static final int SHOW = 22;
    static final int ACK_OUT = 23;
    static final int END = 24;

    /** The most bytes one DATA message carries. */
    static final int MAX_DATA = 256 * 1024;
    /** The most unacknowledged DATA bytes one side may have sent (a SHOW counts as its encoded size). */
    static final int WINDOW = 4 * 1024 * 1024;
    /** The largest terminal a Guest may ask for. */
    static final int MAX_TERMINAL = 1000;

    /** What a Guest sends. */
    sealed interface In permits Open, Data, Resize, Ack {
    }

    /** What a Host sends. */
    sealed interface Out permits Started, Data, Show, Ack, End {
    }

    record Open(String tool, String operation, StreamKind kind, Map<String, String> arguments) implements In {
    }

    /** Bytes one way or the other. */
    record Data(ByteBuffer bytes) implements In, Out {
    }

    record Resize(int columns, int rows) implements In {
    }

    /** The peer's consumer took this many bytes. */
    record Ack(int bytes) implements In, Out {
    }

    record Started(StreamKind kind) implements Out {
    }

    record Show(Result result) implements Out {
    }

    record End(boolean ok, String sentence) implements Out {
    }

    static ByteBuffer open(String tool, String operation, StreamKind kind, Map<String, String> arguments) {
        WireWriter w = new WireWriter().u8(OPEN).longText(tool, ToolWire.MAX_TEXT)
                .longText(operation, ToolWire.MAX_TEXT).u8(kind.ordinal()).u32(arguments.size());
        arguments.forEach((name, value) -> w.longText(name, ToolWire.MAX_TEXT).longText(value, ToolWire.MAX_TEXT));
        return w.toBuffer();
    }

    /** A DATA message from the Guest ({@code fromHost} false) or the Host. */
    static ByteBuffer data(boolean fromHost, ByteBuffer bytes) {
        if (bytes.remaining() > MAX_DATA) {
            throw new IllegalArgumentException(bytes.remaining() + " bytes in one write; at most " + MAX_DATA);
        }
        ByteBuffer m = ByteBuffer.allocate(1 + bytes.remaining());
        m.put((byte) (fromHost ? DATA_OUT : DATA_IN)).put(bytes.duplicate()).flip();
        return m;
    }

    static ByteBuffer resize(int columns, int rows) {
        return new WireWriter().u8(RESIZE).u16(columns).u16(rows).toBuffer();
    }

    static ByteBuffer ack(boolean fromHost, int bytes) {
        return new WireWriter().u8(fromHost ? ACK_OUT : ACK_IN).u32(bytes).toBuffer();
    }

    static ByteBuffer started(StreamKind kind) {
        return new WireWriter().u8(STARTED).u8(kind.ordinal()).toBuffer();
    }

    /** A SHOW message; a result larger than the channel takes is an {@link IllegalArgumentException}. */
    static ByteBuffer show(Result result) {
        WireWriter w = new WireWriter().u8(SHOW);
        ToolWire.result(w, result);
        return w.toBuffer();
    }

    static ByteBuffer end(boolean ok, String sentence) {
        return new WireWriter().u8(END).bool(ok).longText(sentence, ToolWire.MAX_TEXT).toBuffer();
    }

    /** Reads what a Guest sent; the whole message must be used. */
    static In readIn(ByteBuffer message) throws ProtocolException {
        WireReader r = WireReader.of(message, ToolWire.MAX_REQUEST + MAX_DATA, "stream message");
        int type = r.u8("stream message type");
        In in = switch (type) {
            case OPEN -> {
                String tool = r.longText("tool id", ToolWire.MAX_TEXT);
                String operation = r.longText("operation id", ToolWire.MAX_TEXT);
                StreamKind kind = r.ordinal(StreamKind.values(), "stream kind");
                int n = r.count("argument count", 8, Integer.MAX_VALUE);
                Map<String, String> arguments = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String name = r.longText("argument name", ToolWire.MAX_TEXT);
                    if (arguments.put(name, r.longText("argument value", ToolWire.MAX_TEXT)) != null) {
                        throw new ProtocolException("the argument '" + name + "' is given twice");
                    }
                }
                yield new Open(tool, operation, kind, arguments);
            }
            case DATA_IN -> new Data(data(r));
            case RESIZE -> {
                int columns = r.u16("columns");
                int rows = r.u16("rows");
                if (columns < 1 || rows < 1 || columns > MAX_TERMINAL || rows > MAX_TERMINAL) {
                    throw new ProtocolException("a terminal of " + columns + " x " + rows);
                }
                yield new Resize(columns, rows);
            }
            case ACK_IN -> new Ack(r.u32("acknowledged bytes", WINDOW));
            default -> throw new ProtocolException("unknown stream message " + type + " from the Guest");
        };
        r.end("stream message");
        return in;
    }

    /** Reads what a Host sent; the whole message must be used. */
    static Out readOut(ByteBuffer message) throws ProtocolException {
        WireReader r = WireReader.of(message, ToolWire.MAX_ANSWER + MAX_DATA, "stream message");
        int type = r.u8("stream message type");
        Out out;
        try {
            out = switch (type) {
                case STARTED -> new Started(r.ordinal(StreamKind.values(), "stream kind"));
                case DATA_OUT -> new Data(data(r));
                case SHOW -> new Show(ToolWire.result(r));
                case ACK_OUT -> new Ack(r.u32("acknowledged bytes", WINDOW));
                case END -> new End(r.bool("ok flag"), r.longText("sentence", ToolWire.MAX_TEXT));
                default -> throw new ProtocolException("unknown stream message " + type + " from the Host");
            };
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("a malformed stream message: " + e.getMessage());
        }
        r.end("stream message");
        return out;
    }

    private static ByteBuffer data(WireReader r) throws ProtocolException {
        if (r.remaining() > MAX_DATA) {
            throw new ProtocolException(r.remaining() + " bytes of data in one message; at most " + MAX_DATA);
        }
        ByteBuffer rest = r.rest();
        return ByteBuffer.allocate(rest.remaining()).put(rest).flip();
    }
}
