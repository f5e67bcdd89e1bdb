package org.tandemrc.session.remotecontrol.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The remote-control messages but the picture itself ({@link Wire#frame} writes a {@link Wire#FRAME}
 * body, {@link Wire#decodeFrame} reads it). Layout, in the {@link org.tandemrc.protocol.codec codec
 * kit}'s conventions (big-endian, a type byte first, a whole message read to its end, flags 0 or 1):
 *
 * <pre>
 * Guest to Host, screen channel
 * START 1         u8 mode, u8 quality, u8 colour depth, u8 follow clipboard, [UTF-8 display id to the end]
 * ACK 2           i32 frame sequence
 * SYNC 8          i32 id (the Host answers SYNCED on the same channel)
 * CLIP_GET 9      nothing
 * CLIP_SET 10     UTF-8 text to the end, at most {@value Wire#MAX_CLIPBOARD} bytes
 * LOCK_INPUT 11, BLANK_SCREEN 12   u8 on
 * Guest to Host, input channel
 * TEXT 3          UTF-8 text to the end
 * KEY 4           i32 keysym, u8 pressed
 * MOVE 5          i32 x, i32 y (whole-screen coordinates)
 * BUTTON 6        i32 button, u8 pressed
 * WHEEL 7         i32 dx, i32 dy
 * SYNC 8          i32 id
 * Host to Guest
 * INFO 20         text backend, u16 n (1..64), n × (text id, i32 x, i32 y, i32 width, i32 height), u16 shown
 * FRAME 21        the picture ({@link Wire})
 * REFUSED 22      UTF-8 reason to the end
 * SYNCED 23       i32 id
 * CLIP 24         UTF-8 text to the end
 * CURSOR 25       i32 x, i32 y, i64 serial, u8 shape, [u16 hot x, u16 hot y, u16 width, u16 height,
 *                 width × height × i32 ARGB] (a side at most {@value Wire#MAX_CURSOR_SIDE})
 * </pre>
 *
 * Texts in INFO have a 16-bit length. A message the receiving channel does not take is refused with
 * "unknown ... message", any other malformed one with "malformed ... message", the words each side
 * closes the session with.
 */
final class Messages {

    private Messages() {
    }

    /** What a Guest sends. */
    sealed interface ToHost permits Start, Ack, Sync, ClipGet, ClipSet, LockInput, BlankScreen, Text, Key, Move,
            Button, Wheel {
    }

    /** Show pictures ({@link Wire#MODE_ONCE}, {@link Wire#MODE_STREAM}) or the layout only; null display: the first. */
    record Start(int mode, int quality, int colorDepth, boolean followClipboard, String display) implements ToHost {
    }

    record Ack(int sequence) implements ToHost {
    }

    /** Asks the Host to answer {@link Synced} once it handled everything sent before on the channel. */
    record Sync(int id) implements ToHost {
    }

    record ClipGet() implements ToHost {
    }

    /** At most {@value Wire#MAX_CLIPBOARD} bytes of UTF-8: the Host refuses more before decoding it. */
    record ClipSet(String text) implements ToHost {
    }

    record LockInput(boolean on) implements ToHost {
    }

    record BlankScreen(boolean on) implements ToHost {
    }

    record Text(String text) implements ToHost {
    }

    /** An X11 keysym, whatever the Host's platform: each input backend maps it. */
    record Key(int keysym, boolean pressed) implements ToHost {
    }

    /** Whole-screen coordinates: the Guest adds the shown display's offset, so the Host needs no view state. */
    record Move(int x, int y) implements ToHost {
    }

    record Button(int button, boolean pressed) implements ToHost {
    }

    record Wheel(int dx, int dy) implements ToHost {
    }

    /** What a Host sends. */
    sealed interface ToGuest permits Info, Picture, Refused, Synced, Clip, Pointer {
    }

    /** The displays, and which one is shown. */
    record Info(String backend, List<Display> displays, int shown) implements ToGuest {
        Info {
            displays = List.copyOf(displays);
        }
    }

    /** A frame's body, after its type byte, for {@link Wire#decodeFrame}. */
    record Picture(ByteBuffer body) implements ToGuest {
    }

    record Refused(String reason) implements ToGuest {
    }

    record Synced(int id) implements ToGuest {
    }

    record Clip(String text) implements ToGuest {
    }

    /** Where the pointer is; its shape when the serial is new and the shape small enough, else null. */
    record Pointer(int x, int y, long serial, Cursor shape) implements ToGuest {
    }

    static ByteBuffer encode(ToHost m) {
        WireWriter w = new WireWriter();
        if (m instanceof Start s) {
            w.u8(Wire.START).u8(s.mode()).u8(s.quality()).u8(s.colorDepth()).bool(s.followClipboard());
            if (s.display() != null) {
                w.restText(s.display());
            }
        } else if (m instanceof Ack a) {
            w.u8(Wire.ACK).u32(a.sequence());
        } else if (m instanceof Sync s) {
            w.u8(Wire.SYNC).u32(s.id());
        } else if (m instanceof ClipGet) {
            w.u8(Wire.CLIP_GET);
        } else if (m instanceof ClipSet c) {
            w.u8(Wire.CLIP_SET).restText(c.text());
        } else if (m instanceof LockInput l) {
            w.u8(Wire.LOCK_INPUT).bool(l.on());
        } else if (m instanceof BlankScreen b) {
            w.u8(Wire.BLANK_SCREEN).bool(b.on());
        } else if (m instanceof Text t) {
            w.u8(Wire.TEXT).restText(t.text());
        } else if (m instanceof Key k) {
            w.u8(Wire.KEY).u32(k.keysym()).bool(k.pressed());
        } else if (m instanceof Move v) {
            w.u8(Wire.MOVE).u32(v.x()).u32(v.y());
        } else if (m instanceof Button b) {
            w.u8(Wire.BUTTON).u32(b.button()).bool(b.pressed());
        } else if (m instanceof Wheel h) {
            w.u8(Wire.WHEEL).u32(h.dx()).u32(h.dy());
        }
        return w.toBuffer();
    }

    static ByteBuffer encode(ToGuest m) {
        WireWriter w = new WireWriter();
        if (m instanceof Info i) {
            w.u8(Wire.INFO).text(i.backend()).u16(i.displays().size());
            for (Display d : i.displays()) {
                w.text(d.id()).u32(d.x()).u32(d.y()).u32(d.width()).u32(d.height());
            }
            w.u16(i.shown());
        } else if (m instanceof Picture p) {
            w.u8(Wire.FRAME).bytes(p.body());
        } else if (m instanceof Refused r) {
            w.u8(Wire.REFUSED).restText(r.reason());
        } else if (m instanceof Synced s) {
            w.u8(Wire.SYNCED).u32(s.id());
        } else if (m instanceof Clip c) {
            w.u8(Wire.CLIP).restText(c.text());
        } else if (m instanceof Pointer p) {
            w.u8(Wire.CURSOR).u32(p.x()).u32(p.y()).i64(p.serial()).bool(p.shape() != null);
            if (p.shape() != null) {
                Cursor c = p.shape();
                w.u16(c.hotX() & 0xffff).u16(c.hotY() & 0xffff).u16(c.width()).u16(c.height());
                for (int argb : c.argb()) {
                    w.u32(argb);
                }
            }
        }
        return w.toBuffer();
    }

    /**
     * Reads a message the Guest sent on the screen channel.
     *
     * @throws ProtocolException "unknown remote-control message N" or "malformed remote-control message"
     */
    static ToHost readScreen(ByteBuffer message) throws ProtocolException {
        return readToHost(message, "remote-control", Messages::screen);
    }

    /**
     * Reads a message the Guest sent on the input channel.
     *
     * @throws ProtocolException "unknown input message N" or "malformed input message"
     */
    static ToHost readInput(ByteBuffer message) throws ProtocolException {
        return readToHost(message, "input", Messages::input);
    }

    /** The fields of one channel's message of a type; null for a type the channel does not take. */
    private interface Fields {
        ToHost read(int type, WireReader r) throws ProtocolException;
    }

    private static ToHost readToHost(ByteBuffer message, String channel, Fields fields) throws ProtocolException {
        WireReader r = new WireReader(message);
        int type;
        ToHost m;
        try {
            type = r.u8("message type");
            m = fields.read(type, r);
            if (m != null) {
                r.end(channel);
            }
        } catch (ProtocolException e) {
            throw new ProtocolException("malformed " + channel + " message", e);
        }
        if (m == null) {
            throw new ProtocolException("unknown " + channel + " message " + type);
        }
        return m;
    }

    private static ToHost screen(int type, WireReader r) throws ProtocolException {
        return switch (type) {
            case Wire.START -> new Start(r.u8("mode"), r.u8("quality"), r.u8("colour depth"), r.bool("follow flag"),
                    r.done() ? null : r.restText("display id", Integer.MAX_VALUE));
            case Wire.ACK -> new Ack(r.i32("sequence"));
            case Wire.SYNC -> new Sync(r.i32("sync id"));
            case Wire.CLIP_GET -> new ClipGet();
            case Wire.CLIP_SET -> new ClipSet(r.restText("clipboard text", Wire.MAX_CLIPBOARD));
            case Wire.LOCK_INPUT -> new LockInput(r.bool("lock flag"));
            case Wire.BLANK_SCREEN -> new BlankScreen(r.bool("blank flag"));
            default -> null;
        };
    }

    private static ToHost input(int type, WireReader r) throws ProtocolException {
        return switch (type) {
            case Wire.TEXT -> new Text(r.restText("text", Integer.MAX_VALUE));
            case Wire.KEY -> new Key(r.i32("keysym"), r.bool("pressed flag"));
            case Wire.MOVE -> new Move(r.i32("x"), r.i32("y"));
            case Wire.BUTTON -> new Button(r.i32("button"), r.bool("pressed flag"));
            case Wire.WHEEL -> new Wheel(r.i32("dx"), r.i32("dy"));
            case Wire.SYNC -> new Sync(r.i32("sync id"));
            default -> null;
        };
    }

    /**
     * Reads a message the Host sent.
     *
     * @throws ProtocolException when it is malformed, or not one the Host sends
     */
    static ToGuest readToGuest(ByteBuffer message) throws ProtocolException {
        WireReader r = new WireReader(message);
        int type = r.u8("message type");
        ToGuest m = switch (type) {
            case Wire.INFO -> info(r);
            case Wire.FRAME -> new Picture(r.rest());
            case Wire.REFUSED -> new Refused(r.restText("reason", Integer.MAX_VALUE));
            case Wire.SYNCED -> new Synced(r.i32("sync id"));
            case Wire.CLIP -> new Clip(r.restText("clipboard text", Integer.MAX_VALUE));
            case Wire.CURSOR -> pointer(r);
            default -> throw new ProtocolException("unexpected remote-control message " + type);
        };
        r.end("a remote-control message");
        return m;
    }

    private static Info info(WireReader r) throws ProtocolException {
        String backend = r.text("backend", 0xffff);
        int n = r.u16("display count");
        if (n == 0 || n > 64) {
            throw new ProtocolException("a layout of " + n + " displays");
        }
        List<Display> displays = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = r.text("display id", 0xffff);
            int x = r.i32("x");
            int y = r.i32("y");
            int w = r.i32("width");
            int h = r.i32("height");
            if (w <= 0 || h <= 0 || w > Wire.MAX_SIDE || h > Wire.MAX_SIDE) {
                throw new ProtocolException("a display of " + w + "x" + h);
            }
            displays.add(new Display(id, x, y, w, h));
        }
        int shown = r.u16("shown display");
        if (shown >= n) {
            throw new ProtocolException("display " + shown + " of " + n + " shown");
        }
        return new Info(backend, displays, shown);
    }

    private static Pointer pointer(WireReader r) throws ProtocolException {
        int x = r.i32("x");
        int y = r.i32("y");
        long serial = r.i64("serial");
        if (!r.bool("shape flag")) {
            return new Pointer(x, y, serial, null);
        }
        int hotX = r.u16("hot x");
        int hotY = r.u16("hot y");
        int w = r.u16("width");
        int h = r.u16("height");
        if (w > Wire.MAX_CURSOR_SIDE || h > Wire.MAX_CURSOR_SIDE || r.remaining() != w * h * 4) {
            throw new ProtocolException("a pointer shape of " + w + "x" + h);
        }
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = r.i32("pixel");
        }
        try {
            return new Pointer(x, y, serial, new Cursor(x, y, hotX, hotY, w, h, argb, serial));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("a malformed pointer shape: " + e.getMessage());
        }
    }
}
