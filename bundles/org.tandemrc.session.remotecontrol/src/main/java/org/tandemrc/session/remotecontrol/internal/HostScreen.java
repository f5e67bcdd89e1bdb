package org.tandemrc.session.remotecontrol.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.tandemrc.api.screen.Clipboard;
import org.tandemrc.api.screen.client.ColorDepth;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.LocalInputLock;
import org.tandemrc.api.screen.client.Quality;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.ProtocolException;

/**
 * The Host side of the screen channel: a thread captures the display the Guest chose, sends the
 * tiles that changed, and waits for the Guest's acknowledgement before capturing again, so frames
 * never pile up and the rate follows what the link carries; an unchanged screen sends nothing. At the
 * lossy presets, JPEG tiles are sent again exactly once the screen is still. The pointer travels in
 * its own small messages; the clipboard on request or, when followed, as it changes.
 *
 * <p>A Guest's lock of the person's keyboard and mouse is one {@link LocalInputLock.Hold}, kept until it
 * unlocks or this session ends for any reason (the Guest leaves, its link dies, the Host stops); another
 * Guest's lock is a hold of its own, so the devices stay locked until the last one lets go.
 */
final class HostScreen implements SessionHandler {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.remotecontrol");
    private static final long IDLE_POLL_MILLIS = 15;
    private static final long ACK_TIMEOUT_MILLIS = 30_000;
    private static final long CLIPBOARD_POLL_MILLIS = 500;

    private final SessionContext context;
    private final ScreenSource screen;
    private final Supplier<Clipboard> clipboard;
    private final Supplier<LocalInputLock> inputLock;
    private final Audit audit;
    private final Object lock = new Object();
    /** This Guest's lock of the person's keyboard and mouse, while it holds one. */
    private LocalInputLock.Hold inputHold;
    private Thread streamer;
    private boolean stream;
    private boolean ended;
    private int acked = -1;
    /** Settings from the latest START; {@code changed} tells the streamer to start over. */
    private Settings settings;
    private boolean changed;
    private boolean refusedClipboard;
    /** The clipboard text last seen or set, so a followed clipboard is sent only when it changes. */
    private String clipboardSeen;

    private record Settings(Display display, Quality quality, ColorDepth depth, boolean followClipboard) {
        int jpegQuality() {
            return switch (quality) {
                case LOSSLESS -> 0;
                case BALANCED -> 80;
                case LOW_BANDWIDTH -> 50;
            };
        }
    }

    /** Where a Host session records its events. */
    interface Audit {
        void record(SessionContext context, String code, Severity severity, String detail);
    }

    HostScreen(SessionContext context, ScreenSource screen, Supplier<Clipboard> clipboard,
            Supplier<LocalInputLock> inputLock, Audit audit) {
        this.context = context;
        this.screen = screen;
        this.clipboard = clipboard;
        this.inputLock = inputLock;
        this.audit = audit;
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
        if ((m.get(m.position()) & 0xff) == Wire.CLIP_SET && m.remaining() - 1 > Wire.MAX_CLIPBOARD) {
            context.channel().close("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes");
            return;
        }
        try {
            Messages.ToHost message = Messages.readScreen(m);
            if (message instanceof Messages.Start s) {
                start(s);
            } else if (message instanceof Messages.Ack a) {
                synchronized (lock) {
                    acked = Math.max(acked, a.sequence());
                    lock.notifyAll();
                }
            } else if (message instanceof Messages.Sync s) {
                send(new Messages.Synced(s.id()));
            } else if (message instanceof Messages.ClipGet) {
                Clipboard c = clipboardAllowed();
                if (c != null) {
                    String text = c.text().orElse("");
                    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
                    send(bytes > Wire.MAX_CLIPBOARD ? new Messages.Refused("the Host's clipboard holds " + bytes
                            + " bytes, more than " + Wire.MAX_CLIPBOARD) : new Messages.Clip(text));
                }
            } else if (message instanceof Messages.ClipSet set) {
                Clipboard c = clipboardAllowed();
                if (c != null) {
                    synchronized (lock) {
                        clipboardSeen = set.text(); // not echoed back to the Guest that set it
                    }
                    c.setText(set.text());
                }
            } else if (message instanceof Messages.LockInput l) {
                lockInput(l.on());
            } else if (message instanceof Messages.BlankScreen b) {
                if (b.on() && allowed(Privilege.BLANK_SCREEN)) {
                    // DPMS can power the monitor off while capture reads on, but every input event wakes it,
                    // the Guest's injected ones too; Xvfb has no DPMS at all.
                    send(new Messages.Refused("this Host cannot blank its screen: on X11 a monitor powered off"
                            + " (DPMS) wakes at the Guest's first keystroke or pointer move, and whatever covers"
                            + " the picture instead is captured too"));
                }
            }
        } catch (ProtocolException e) {
            context.channel().close(e.getMessage());
        } catch (IOException | RuntimeException e) {
            context.channel().close("the Host's screen failed: " + e.getMessage());
        }
    }

    private void send(Messages.ToGuest m) {
        context.channel().send(Messages.encode(m));
    }

    /** Whether the role allows lock or blank; refuses with the reason when not. */
    private boolean allowed(Privilege needed) {
        if (context.privileges().contains(needed)) {
            return true;
        }
        send(new Messages.Refused("your role does not allow "
                + (needed == Privilege.LOCK_INPUT ? "locking the Host's keyboard and mouse" : "blanking the Host's screen")));
        return false;
    }

    /** Locks the person's keyboard and mouse for this Guest, or lets go of its lock; a repeated request is a no-op. */
    private void lockInput(boolean on) {
        if (!on) {
            unlockInput("the Guest unlocked them");
            return;
        }
        if (!allowed(Privilege.LOCK_INPUT)) {
            return;
        }
        synchronized (lock) {
            if (inputHold != null || ended) {
                return;
            }
        }
        LocalInputLock locks = inputLock.get();
        if (locks == null) {
            send(new Messages.Refused("this Host cannot lock its keyboard and mouse: its screen backend ("
                    + screen.backend() + ") offers no lock; X11 with XInput 2 does"));
            return;
        }
        LocalInputLock.Hold hold;
        try {
            hold = locks.lock();
        } catch (IOException e) {
            send(new Messages.Refused(e.getMessage()));
            return;
        }
        synchronized (lock) {
            if (inputHold != null || ended) {
                hold.close(); // ended, or another message locked meanwhile: one hold per session
                return;
            }
            inputHold = hold;
        }
        audit.record(context, EventCodes.HOST_KEYBOARD_LOCKED, Severity.INFO, "");
    }

    private void unlockInput(String why) {
        LocalInputLock.Hold hold;
        synchronized (lock) {
            hold = inputHold;
            inputHold = null;
        }
        if (hold != null) {
            hold.close();
            audit.record(context, EventCodes.HOST_KEYBOARD_UNLOCKED, Severity.INFO, why);
        }
    }

    /** The clipboard when the role allows it and the Host has one; refuses plainly, once, otherwise. */
    private Clipboard clipboardAllowed() {
        Clipboard c = clipboard.get();
        if (context.privileges().contains(Privilege.CLIPBOARD) && c != null) {
            return c;
        }
        if (!refusedClipboard) {
            refusedClipboard = true;
            send(new Messages.Refused(c == null ? "this Host has no clipboard to share"
                    : "your role does not allow the clipboard"));
        }
        return null;
    }

    private void start(Messages.Start m) throws IOException {
        int mode = m.mode();
        int q = m.quality();
        int d = m.colorDepth();
        boolean follow = m.followClipboard();
        if (q >= Quality.values().length || d >= ColorDepth.values().length) {
            context.channel().close("unknown quality " + q + " or colour limit " + d);
            return;
        }
        String wanted = m.display();
        List<Display> displays = screen.displays();
        Display shown = displays.get(0);
        if (wanted != null) {
            Optional<Display> match = displays.stream().filter(x -> x.id().equals(wanted)).findFirst();
            if (match.isEmpty()) {
                context.channel().close("this Host has no display '" + wanted + "'; it has "
                        + String.join(", ", displays.stream().map(Display::id).toList()));
                return;
            }
            shown = match.get();
        }
        boolean followAllowed = follow && context.privileges().contains(Privilege.CLIPBOARD) && clipboard.get() != null;
        if (follow && !followAllowed) {
            clipboardAllowed(); // says why
        }
        synchronized (lock) {
            settings = new Settings(shown, Quality.values()[q], ColorDepth.values()[d], followAllowed);
            changed = true;
            stream = mode == Wire.MODE_STREAM;
            context.channel().send(info(displays, shown));
            if (mode == Wire.MODE_LAYOUT) {
                return; // input and clipboard only: no pictures
            }
            if (streamer == null) {
                acked = -1;
                streamer = new Thread(this::stream, "tandem-remote-control");
                streamer.setDaemon(true);
                streamer.start();
            }
            lock.notifyAll();
        }
    }

    private ByteBuffer info(List<Display> displays, Display shown) {
        return Messages.encode(new Messages.Info(screen.backend(), displays, Math.max(0, displays.indexOf(shown))));
    }

    private void stream() {
        FrameStream.Writer frames = new FrameStream.Writer();
        int[] previous = null;
        // The array of the frame before the previous one, which nothing reads any more: the next capture
        // is written into it, so that capturing many times a second makes no new picture-sized arrays.
        int[] spare = null;
        int sequence = 0;
        Settings current = null;
        List<Wire.Tile> lossy = new ArrayList<>();
        long cursorSerial = Long.MIN_VALUE;
        int cursorX = Integer.MIN_VALUE;
        int cursorY = Integer.MIN_VALUE;
        long nextClipboardCheck = 0;
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
                    if (ended || (!stream && sequence > 0 && !changed)) {
                        streamer = null; // under the lock: a START from now on starts a new streamer
                        return;
                    }
                    if (changed) {
                        current = settings;
                        changed = false;
                        previous = null; // a full picture in the new settings
                        lossy.clear();
                        cursorSerial = Long.MIN_VALUE;
                    }
                }
                Display d = current.display();
                if (current.followClipboard() && System.currentTimeMillis() >= nextClipboardCheck) {
                    nextClipboardCheck = System.currentTimeMillis() + CLIPBOARD_POLL_MILLIS;
                    followClipboard();
                }
                Optional<Cursor> cursor = screen.cursor(d);
                if (cursor.isPresent()) {
                    Cursor c = cursor.get();
                    if (c.serial() != cursorSerial || c.x() != cursorX || c.y() != cursorY) {
                        context.channel().send(cursorMessage(c, c.serial() != cursorSerial));
                        cursorSerial = c.serial();
                        cursorX = c.x();
                        cursorY = c.y();
                    }
                }
                Frame frame = screen.capture(d, 0, 0, d.width(), d.height(), spare);
                Colors.reduce(frame.pixels(), current.depth());
                List<Wire.Tile> changedTiles = changedTiles(previous, frame);
                // Copies move what the Guest has; while it has JPEG tiles, that is not what this Host has.
                List<Scrolls.Copy> copies = previous == null || !lossy.isEmpty() ? List.of()
                        : Scrolls.detect(previous, frame.pixels(), frame.width(), frame.height(), changedTiles);
                if (!copies.isEmpty()) {
                    int[] base = previous.clone(); // what the Guest will have once it applied the copies
                    for (Scrolls.Copy c : copies) {
                        Scrolls.apply(base, frame.width(), c);
                    }
                    changedTiles = changedTiles(base, frame);
                }
                spare = previous == frame.pixels() ? null : previous;
                previous = frame.pixels();
                List<Wire.Tile> send = changedTiles;
                int jpeg = current.jpegQuality();
                if (changedTiles.isEmpty() && copies.isEmpty()) {
                    if (lossy.isEmpty()) {
                        TimeUnit.MILLISECONDS.sleep(IDLE_POLL_MILLIS); // nothing changed: look again shortly
                        continue;
                    }
                    send = exactAgain(lossy, frame); // still: replace the JPEG tiles with exact ones
                    lossy.clear();
                    jpeg = 0;
                }
                context.channel().send(ByteBuffer.wrap(Wire.frame(sequence, copies, send, frames, jpeg, lossy)));
                sequence++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "remote control ended: " + e);
            context.channel().close("the Host's screen failed: " + e.getMessage());
        } finally {
            frames.close();
            synchronized (lock) {
                if (streamer == Thread.currentThread()) {
                    streamer = null;
                }
            }
        }
    }

    /** The current pixels of the tiles last sent as JPEG. */
    private static List<Wire.Tile> exactAgain(List<Wire.Tile> lossy, Frame frame) {
        List<Wire.Tile> exact = new ArrayList<>(lossy.size());
        int w = frame.width();
        java.util.Set<Long> sent = new java.util.HashSet<>();
        for (Wire.Tile t : lossy) {
            // A place sent as JPEG in several frames is replaced once: the tiles of a frame never overlap,
            // which is what lets the Guest bound a frame by its screen.
            if (!sent.add(((long) t.x() << 32) | t.y())) {
                continue;
            }
            int[] pixels = new int[t.width() * t.height()];
            for (int row = 0; row < t.height(); row++) {
                System.arraycopy(frame.pixels(), (t.y() + row) * w + t.x(), pixels, row * t.width(), t.width());
            }
            exact.add(new Wire.Tile(t.x(), t.y(), t.width(), t.height(), pixels));
        }
        return exact;
    }

    private void followClipboard() throws IOException {
        Clipboard c = clipboard.get();
        if (c == null) {
            return;
        }
        String text = c.text().orElse("");
        synchronized (lock) {
            if (text.equals(clipboardSeen)) {
                return;
            }
            boolean first = clipboardSeen == null;
            clipboardSeen = text;
            if (first && text.isEmpty()) {
                return;
            }
        }
        if (text.getBytes(StandardCharsets.UTF_8).length <= RemoteScreen.AUTO_CLIPBOARD_LIMIT) {
            send(new Messages.Clip(text));
        }
    }

    static ByteBuffer cursorMessage(Cursor c, boolean withShape) {
        boolean shape = withShape && c.width() <= Wire.MAX_CURSOR_SIDE && c.height() <= Wire.MAX_CURSOR_SIDE;
        return Messages.encode(new Messages.Pointer(c.x(), c.y(), c.serial(), shape ? c : null));
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
        List<Wire.Tile> tiles = new ArrayList<>(((w + Wire.TILE - 1) / Wire.TILE) * ((h + Wire.TILE - 1) / Wire.TILE));
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
        unlockInput("the session ended: " + reason);
    }
}
