package org.tandemrc.session.remotecontrol.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;

/**
 * The Host side: a thread captures the screen, sends the tiles that changed, and waits for the
 * Guest's acknowledgement before capturing again, so frames never pile up and the rate follows what
 * the link carries; an unchanged screen sends nothing. Input is injected only when the role allows.
 */
final class HostScreen implements SessionHandler {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.remotecontrol");
    private static final long IDLE_POLL_MILLIS = 15;
    private static final long ACK_TIMEOUT_MILLIS = 30_000;

    private final SessionContext context;
    private final ScreenSource screen;
    private final InputSink input;
    private final Object lock = new Object();
    private Thread streamer;
    private boolean stream;
    private boolean ended;
    private int acked = -1;
    private boolean refusedInput;
    private volatile Display display;

    private final java.util.function.Supplier<org.tandemrc.api.screen.Clipboard> clipboard;

    HostScreen(SessionContext context, ScreenSource screen, InputSink input,
            java.util.function.Supplier<org.tandemrc.api.screen.Clipboard> clipboard) {
        this.clipboard = clipboard;
        this.context = context;
        this.screen = screen;
        this.input = input;
    }

    static SessionHandler ignoring() {
        return new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
            }

            @Override
            public void closed(String reason) {
            }
        };
    }

    @Override
    public void received(ByteBuffer m) {
        if (!m.hasRemaining()) {
            context.channel().close("empty remote-control message");
            return;
        }
        int type = m.get() & 0xff;
        try {
            switch (type) {
                case Wire.START -> start(m.get() & 0xff);
                case Wire.ACK -> {
                    int seq = m.getInt();
                    synchronized (lock) {
                        acked = Math.max(acked, seq);
                        lock.notifyAll();
                    }
                }
                case Wire.TEXT -> {
                    if (allowed()) {
                        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .decode(m).toString();
                        typeText(text);
                    }
                }
                case Wire.KEY -> {
                    int keysym = m.getInt();
                    boolean pressed = m.get() != 0;
                    if (allowed()) {
                        input.inject(display(), new InputEvent.Key(keysym, pressed));
                    }
                }
                case Wire.MOVE -> {
                    int x = m.getInt();
                    int y = m.getInt();
                    if (allowed()) {
                        input.inject(display(), new InputEvent.PointerMove(x, y));
                    }
                }
                case Wire.BUTTON -> {
                    int button = m.getInt();
                    boolean pressed = m.get() != 0;
                    if (allowed()) {
                        input.inject(display(), new InputEvent.PointerButton(button, pressed));
                    }
                }
                case Wire.WHEEL -> {
                    int dx = m.getInt();
                    int dy = m.getInt();
                    if (allowed()) {
                        input.inject(display(), new InputEvent.Wheel(dx, dy));
                    }
                }
                case Wire.SYNC -> context.channel().send(Wire.message(Wire.SYNCED, m.getInt()));
                case Wire.CLIP_GET -> {
                    var c = clipboardAllowed();
                    if (c != null) {
                        String text = c.text().orElse("");
                        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                        if (utf8.length > Wire.MAX_CLIPBOARD) {
                            context.channel().send(Wire.text(Wire.REFUSED, "the Host's clipboard holds "
                                    + utf8.length + " bytes, more than " + Wire.MAX_CLIPBOARD));
                        } else {
                            context.channel().send(Wire.text(Wire.CLIP, text));
                        }
                    }
                }
                case Wire.CLIP_SET -> {
                    if (m.remaining() > Wire.MAX_CLIPBOARD) {
                        context.channel().close("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes");
                        return;
                    }
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(m).toString();
                    var c = clipboardAllowed();
                    if (c != null) {
                        c.setText(text);
                    }
                }
                default -> context.channel().close("unknown remote-control message " + type);
            }
        } catch (java.nio.BufferUnderflowException | CharacterCodingException e) {
            context.channel().close("malformed remote-control message");
        } catch (IOException | RuntimeException e) {
            context.channel().close("the Host's screen failed: " + e.getMessage());
        }
    }

    /** Whether the Guest may drive input; refuses once, plainly, when not. */
    private boolean allowed() {
        if (context.privileges().contains(Privilege.CONTROL_INPUT) && input != null) {
            return true;
        }
        if (!refusedInput) {
            refusedInput = true;
            String why = input == null ? "this Host cannot inject input (no input backend)"
                    : "your role allows viewing only; keyboard and mouse are refused";
            context.channel().send(Wire.text(Wire.REFUSED, why));
        }
        return false;
    }

    private boolean refusedClipboard;

    /** The clipboard when the role allows it and the Host has one; refuses plainly otherwise. */
    private org.tandemrc.api.screen.Clipboard clipboardAllowed() {
        org.tandemrc.api.screen.Clipboard c = clipboard.get();
        if (context.privileges().contains(Privilege.CLIPBOARD) && c != null) {
            return c;
        }
        if (!refusedClipboard) {
            refusedClipboard = true;
            context.channel().send(Wire.text(Wire.REFUSED, c == null ? "this Host has no clipboard to share"
                    : "your role does not allow the clipboard"));
        }
        return null;
    }

    private void typeText(String text) throws IOException {
        Display d = display();
        for (int cp : text.codePoints().toArray()) {
            input.typeCharacter(d, cp);
        }
    }

    private Display display() throws IOException {
        Display d = display;
        if (d == null) {
            d = screen.displays().get(0);
            display = d;
        }
        return d;
    }

    private void start(int mode) throws IOException {
        Display d = screen.displays().get(0);
        display = d;
        synchronized (lock) {
            stream = mode == Wire.MODE_STREAM;
            if (streamer != null) {
                return;
            }
            ByteBuffer info = ByteBuffer.allocate(9);
            info.put((byte) Wire.INFO).putInt(d.width()).putInt(d.height()).flip();
            context.channel().send(info);
            streamer = new Thread(this::stream, "tandem-remote-control");
            streamer.setDaemon(true);
            streamer.start();
        }
    }

    private void stream() {
        Deflater deflater = new Deflater(1);
        int[] previous = null;
        int sequence = 0;
        try {
            while (true) {
                synchronized (lock) {
                    long deadline = System.currentTimeMillis() + ACK_TIMEOUT_MILLIS;
                    while (!ended && acked < sequence - 1) {
                        long left = deadline - System.currentTimeMillis();
                        if (left <= 0) {
                            context.channel().close("the Guest stopped acknowledging frames");
                            return;
                        }
                        lock.wait(left);
                    }
                    if (ended || (!stream && sequence > 0)) {
                        return;
                    }
                }
                Display d = display;
                Frame frame = screen.capture(d, 0, 0, d.width(), d.height());
                List<Wire.Tile> changed = changedTiles(previous, frame);
                previous = frame.pixels();
                if (changed.isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(IDLE_POLL_MILLIS); // nothing changed: look again shortly
                    continue;
                }
                context.channel().send(ByteBuffer.wrap(Wire.frame(sequence, changed, deflater)));
                sequence++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "remote control ended: " + e);
            context.channel().close("the Host's screen failed: " + e.getMessage());
        } finally {
            deflater.end();
        }
    }

    /**
     * The parts of the screen that differ from the previous frame (all of it for the first): per 64x64
     * tile, the smallest rectangle around its changed pixels, so a typed character costs a few hundred
     * pixels, not a whole tile.
     */
    static List<Wire.Tile> changedTiles(int[] previous, Frame frame) {
        int w = frame.width();
        int h = frame.height();
        int[] now = frame.pixels();
        List<Wire.Tile> tiles = new ArrayList<>();
        for (int ty = 0; ty < h; ty += Wire.TILE) {
            int th = Math.min(Wire.TILE, h - ty);
            for (int tx = 0; tx < w; tx += Wire.TILE) {
                int tw = Math.min(Wire.TILE, w - tx);
                int x0 = tx;
                int y0 = ty;
                int x1 = tx + tw;
                int y1 = ty + th;
                if (previous != null) {
                    int top = -1;
                    int bottom = -1;
                    int left = tx + tw;
                    int right = tx - 1;
                    for (int row = ty; row < ty + th; row++) {
                        int from = row * w + tx;
                        int m = java.util.Arrays.mismatch(previous, from, from + tw, now, from, from + tw);
                        if (m < 0) {
                            continue;
                        }
                        if (top < 0) {
                            top = row;
                        }
                        bottom = row;
                        left = Math.min(left, tx + m);
                        int r = tw - 1;
                        while (r > m && previous[from + r] == now[from + r]) {
                            r--;
                        }
                        right = Math.max(right, tx + r);
                    }
                    if (top < 0) {
                        continue;
                    }
                    x0 = left;
                    y0 = top;
                    x1 = right + 1;
                    y1 = bottom + 1;
                }
                int cw = x1 - x0;
                int ch = y1 - y0;
                int[] pixels = new int[cw * ch];
                for (int row = 0; row < ch; row++) {
                    System.arraycopy(now, (y0 + row) * w + x0, pixels, row * cw, cw);
                }
                tiles.add(new Wire.Tile(x0, y0, cw, ch, pixels));
            }
        }
        return tiles;
    }

    @Override
    public void closed(String reason) {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }
}
