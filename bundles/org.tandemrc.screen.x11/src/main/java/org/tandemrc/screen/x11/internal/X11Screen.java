package org.tandemrc.screen.x11.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;

/**
 * The X11 screen: capture through MIT-SHM ({@code XShmGetImage}) when the X server offers it and
 * shares memory with this process, else {@code XGetImage}; input through XTest; the pointer's
 * position and shape through XFixes; the monitors through RandR 1.5. Registered by
 * {@link X11ScreenComponent} when there is a display.
 *
 * <p>{@link #displays()} lists the whole X screen first, then, when RandR reports two or more
 * monitors, one {@link Display} per monitor. Every method takes coordinates relative to the display
 * it is given and works on any of them; XFixes and RandR are optional (without XFixes
 * {@link #cursor(Display)} is empty, without RandR there is only the whole screen).
 */
public class X11Screen implements ScreenSource, InputSink {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.x11");
    private static final int SHIFT_L = 0xffe1;

    private final Object lock = new Object();
    private Xlib.X11 x11;
    private Xlib.Xext xext;
    private Xlib.Xtst xtst;
    private Xlib.LibC libc;
    /** Tells the Guest's Esc from the person's, once {@link #watchEscape} started it. */
    private volatile LocalEscape escape;
    /** Locks the person's keyboard and mouse; created by {@link #open}. */
    private volatile InputLock inputLock;
    /**
     * libXfixes, or null when it does not load. It stays referenced, like libXrandr, even when the
     * server lacks the extension: asking for an extension hangs a close-display hook from the library
     * on the connection either way, XCloseDisplay calls it, and JNA unloads a library nothing refers
     * to (the JVM then crashes in XCloseDisplay).
     */
    private Xlib.Xfixes xfixes;
    /** Whether the pointer can be read: libXfixes loaded and the server has XFIXES. */
    private boolean hasXfixes;
    /** libXrandr, or null when it does not load. */
    private Xlib.Xrandr xrandr;
    /** Whether monitors can be listed: libXrandr loaded and the server has RandR 1.5 or later. */
    private boolean hasMonitors;
    private Pointer display;
    private String displayName;
    private int screen;
    private NativeLong root;
    private Shm shm;
    /** Spare keycodes (no keysyms) for characters no key produces, and what each holds now. */
    private java.util.ArrayDeque<Integer> spareKeycodes;
    private final java.util.LinkedHashMap<Integer, Integer> remapped = new java.util.LinkedHashMap<>();
    /** The last pointer shape read, kept by its XFixes serial so an unchanged shape is not converted again. */
    private CursorShape cursorShape;
    /** Whether the log already says that the server refused a pointer shape. */
    private boolean cursorRefusalLogged;

    /** A pointer shape as {@link Cursor} carries it: non-premultiplied ARGB. */
    private record CursorShape(long serial, int width, int height, int hotX, int hotY, int[] argb) {
    }

    /** No shape known yet; XFixes serials start at 1, so 0 never names a real shape. */
    private static final CursorShape NO_SHAPE = new CursorShape(0, 0, 0, 0, 0, new int[0]);

    /** A full-screen shared-memory image, re-created when the screen size changes. */
    private static final class Shm {
        Xlib.XShmSegmentInfo info;
        Xlib.XImage image;
        int width;
        int height;
    }

    /** Opens a display; public for tests and benchmarks outside a framework. */
    public void open(String name) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IOException("no X display: set DISPLAY or the tandem.display property");
        }
        x11 = Native.load("X11", Xlib.X11.class);
        xext = Native.load("Xext", Xlib.Xext.class);
        xtst = Native.load("Xtst", Xlib.Xtst.class);
        libc = Native.load("c", Xlib.LibC.class);
        display = x11.XOpenDisplay(name);
        if (display == null) {
            throw new IOException("cannot open X display " + name);
        }
        displayName = name;
        inputLock = new InputLock(name, x11, InputLock.WATCH_MILLIS);
        screen = x11.XDefaultScreen(display);
        root = x11.XRootWindow(display, screen);
        boolean shmOk = false;
        try {
            shmOk = xext.XShmQueryExtension(display) && createShm(width(), height());
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.WARNING, "MIT-SHM unavailable: " + e);
        }
        LOG.log(System.Logger.Level.INFO, "X11 screen {0}: {1}x{2}, capture through {3}", name, String.valueOf(width()), String.valueOf(height()),
                shmOk ? "MIT-SHM" : "XGetImage");
        openXfixes();
        openXrandr();
        cursorShape = null;
        cursorRefusalLogged = false;
    }

    /** Loads libXfixes and asks for XFIXES; says once in the log when either is missing. */
    private void openXfixes() {
        hasXfixes = false;
        try {
            xfixes = Native.load("Xfixes", Xlib.Xfixes.class);
            if (xfixes.XFixesQueryExtension(display, new IntByReference(), new IntByReference())) {
                hasXfixes = true;
                return;
            }
            LOG.log(System.Logger.Level.INFO, "X display {0} has no XFIXES extension: the pointer''s position and shape"
                    + " are not reported (viewers see the pointer only if it is part of the picture)", displayName);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.INFO, "libXfixes cannot be loaded ({0}): the pointer''s position and shape"
                    + " are not reported (viewers see the pointer only if it is part of the picture)", e.getMessage());
        }
    }

    /** Loads libXrandr and asks for RandR 1.5 or later; says once in the log when either is missing. */
    private void openXrandr() {
        hasMonitors = false;
        try {
            xrandr = Native.load("Xrandr", Xlib.Xrandr.class);
            IntByReference major = new IntByReference();
            IntByReference minor = new IntByReference();
            if (!xrandr.XRRQueryExtension(display, new IntByReference(), new IntByReference())) {
                LOG.log(System.Logger.Level.INFO, "X display {0} has no RandR extension: only the whole screen is"
                        + " offered, not its monitors", displayName);
            } else if (xrandr.XRRQueryVersion(display, major, minor) == 0
                    || major.getValue() < 1 || (major.getValue() == 1 && minor.getValue() < 5)) {
                LOG.log(System.Logger.Level.INFO, "X display {0} has RandR {1}.{2}, monitors need 1.5: only the whole"
                        + " screen is offered", displayName, String.valueOf(major.getValue()), String.valueOf(minor.getValue()));
            } else {
                hasMonitors = true;
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.INFO, "libXrandr cannot be loaded ({0}): only the whole screen is offered,"
                    + " not its monitors", e.getMessage());
        }
    }

    /** The capture path in use: {@code x11-shm} or {@code x11-getimage}. */
    @Override
    public String backend() {
        synchronized (lock) {
            return shm != null ? "x11-shm" : "x11-getimage";
        }
    }

    /**
     * Runs {@code pressed} whenever Esc is pressed at this display's own keyboard, not injected by this
     * screen for a Guest.
     *
     * @throws IOException when the display offers no XInput 2 (then no Esc is noticed)
     */
    public void watchEscape(Runnable pressed) throws IOException {
        escape = LocalEscape.start(displayName, x11, libc, pressed);
    }

    /** Locks the keyboard and mouse of this display's person while XTest input still arrives. */
    public InputLock inputLock() {
        return inputLock;
    }

    /** A lock of this display's keyboard and mouse that looks for new devices every {@code watchMillis}, for tests. */
    InputLock inputLock(long watchMillis) {
        return new InputLock(displayName, x11, watchMillis);
    }

    /** Closes the display connection, and gives back the keyboard and mouse if locked. */
    public void close() {
        InputLock l = inputLock;
        if (l != null) {
            l.close();
        }
        LocalEscape e = escape;
        if (e != null) {
            e.close();
            escape = null;
        }
        synchronized (lock) {
            if (display == null) {
                return;
            }
            destroyShm();
            x11.XCloseDisplay(display);
            display = null;
        }
    }

    private int width() {
        return x11.XDisplayWidth(display, screen);
    }

    private int height() {
        return x11.XDisplayHeight(display, screen);
    }

    private boolean createShm(int width, int height) {
        Shm s = new Shm();
        s.info = new Xlib.XShmSegmentInfo();
        Pointer visual = x11.XDefaultVisual(display, screen);
        int depth = x11.XDefaultDepth(display, screen);
        s.image = xext.XShmCreateImage(display, visual, depth, Xlib.ZPIXMAP, null, s.info, width, height);
        if (s.image == null) {
            return false;
        }
        s.info.shmid = libc.shmget(Xlib.IPC_PRIVATE, new NativeLong((long) s.image.bytes_per_line * height),
                Xlib.IPC_CREAT | 0600);
        if (s.info.shmid < 0) {
            x11.XDestroyImage(s.image);
            return false;
        }
        s.info.shmaddr = libc.shmat(s.info.shmid, null, 0);
        s.image.data = s.info.shmaddr;
        s.image.writeField("data");
        s.info.readOnly = 0;
        s.info.write();
        boolean attached = xext.XShmAttach(display, s.info);
        x11.XSync(display, 0);
        // Marked for removal now: the segment goes away with its last user, even if we crash.
        libc.shmctl(s.info.shmid, Xlib.IPC_RMID, null);
        if (!attached) {
            libc.shmdt(s.info.shmaddr);
            return false;
        }
        s.width = width;
        s.height = height;
        shm = s;
        return true;
    }

    private void destroyShm() {
        if (shm != null) {
            xext.XShmDetach(display, shm.info);
            x11.XSync(display, 0);
            libc.shmdt(shm.info.shmaddr);
            shm = null;
        }
    }

    /**
     * The whole X screen first (id the display name, e.g. {@code :0}, at 0,0), so callers that take
     * the first display get all of it. Then, when RandR 1.5 reports two or more monitors, one display
     * per monitor, left to right (then top to bottom), with the monitor's name as id (e.g.
     * {@code DP-1}, or what {@code xrandr --setmonitor} named it), or {@code monitor-N} for an unnamed
     * one, N its index in RandR's list. Monitors are clipped to the screen; one that covers the whole
     * screen, and a second one at the same place (a mirror), add nothing and are left out.
     */
    @Override
    public List<Display> displays() throws IOException {
        synchronized (lock) {
            requireOpen();
            int sw = width();
            int sh = height();
            List<Display> all = new ArrayList<>();
            all.add(new Display(displayName, 0, 0, sw, sh));
            all.addAll(monitors(sw, sh));
            return List.copyOf(all);
        }
    }

    /** The monitors as displays when there are two or more, else none; under the lock. */
    private List<Display> monitors(int sw, int sh) {
        if (!hasMonitors) {
            return List.of();
        }
        IntByReference count = new IntByReference();
        Pointer infos;
        try {
            infos = xrandr.XRRGetMonitors(display, root, true, count);
        } catch (UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.INFO, "libXrandr has no XRRGetMonitors ({0}): only the whole screen is"
                    + " offered, not its monitors", e.getMessage());
            hasMonitors = false;
            return List.of();
        }
        if (infos == null) {
            return List.of();
        }
        try {
            List<Display> monitors = new ArrayList<>();
            int n = count.getValue();
            Xlib.XRRMonitorInfo[] array = n <= 0 ? new Xlib.XRRMonitorInfo[0]
                    : (Xlib.XRRMonitorInfo[]) new Xlib.XRRMonitorInfo(infos).toArray(n);
            for (int i = 0; i < array.length; i++) {
                Xlib.XRRMonitorInfo m = array[i];
                m.read();
                int x0 = Math.max(0, m.x);
                int y0 = Math.max(0, m.y);
                int x1 = Math.min(sw, m.x + m.width);
                int y1 = Math.min(sh, m.y + m.height);
                if (x1 <= x0 || y1 <= y0 || (x0 == 0 && y0 == 0 && x1 == sw && y1 == sh)) {
                    continue; // off the screen, or the whole screen, which comes first anyway
                }
                boolean mirror = monitors.stream().anyMatch(
                        o -> o.x() == x0 && o.y() == y0 && o.width() == x1 - x0 && o.height() == y1 - y0);
                if (!mirror) {
                    monitors.add(new Display(monitorName(m.name, i), x0, y0, x1 - x0, y1 - y0));
                }
            }
            if (monitors.size() < 2) {
                return List.of();
            }
            monitors.sort(Comparator.comparingInt(Display::x).thenComparingInt(Display::y));
            return monitors;
        } finally {
            xrandr.XRRFreeMonitors(infos);
        }
    }

    private String monitorName(NativeLong atom, int index) {
        if (atom.longValue() != 0) {
            Pointer name = x11.XGetAtomName(display, atom);
            if (name != null) {
                try {
                    String s = name.getString(0, StandardCharsets.UTF_8.name());
                    if (!s.isEmpty()) {
                        return s;
                    }
                } finally {
                    x11.XFree(name);
                }
            }
        }
        return "monitor-" + index;
    }

    /**
     * Captures a region given relative to the display; the frame carries those display-relative
     * coordinates. The whole screen is read in one {@code XShmGetImage} and the region copied out of
     * it, for a monitor as for the whole screen.
     *
     * @throws IllegalArgumentException when the region is not inside the display, or the display not
     *                                  (or no longer) inside the screen
     */
    @Override
    public Frame capture(Display d, int x, int y, int w, int h) throws IOException {
        return capture(d, x, y, w, h, null);
    }

    @Override
    public Frame capture(Display d, int x, int y, int w, int h, int[] reuse) throws IOException {
        synchronized (lock) {
            requireOpen();
            int sw = width();
            int sh = height();
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > d.width() || y + h > d.height()) {
                throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y
                        + " is not inside display " + d.id() + " (" + d.width() + "x" + d.height() + ")");
            }
            int rx = d.x() + x;
            int ry = d.y() + y;
            if (rx < 0 || ry < 0 || rx + w > sw || ry + h > sh) {
                throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y + " of display "
                        + d.id() + " (" + d.width() + "x" + d.height() + "+" + d.x() + "+" + d.y()
                        + ") is not inside the " + sw + "x" + sh + " screen");
            }
            if (shm != null && (shm.width != sw || shm.height != sh)) {
                destroyShm();
                createShm(sw, sh);
            }
            int[] pixels = reuse != null && reuse.length == w * h ? reuse : new int[w * h];
            if (shm != null && xext.XShmGetImage(display, root, shm.image, 0, 0, Xlib.ALL_PLANES)) {
                shm.image.read();
                copy(shm.image, rx, ry, w, h, pixels);
            } else {
                Xlib.XImage image = x11.XGetImage(display, root, rx, ry, w, h, Xlib.ALL_PLANES, Xlib.ZPIXMAP);
                if (image == null) {
                    throw new IOException("XGetImage failed on " + displayName);
                }
                try {
                    copy(image, 0, 0, w, h, pixels);
                } finally {
                    x11.XDestroyImage(image);
                }
            }
            return new Frame(x, y, w, h, pixels, System.nanoTime());
        }
    }

    private static void copy(Xlib.XImage image, int x, int y, int w, int h, int[] out) throws IOException {
        if (image.bits_per_pixel != 32) {
            throw new IOException("unsupported X visual: " + image.bits_per_pixel + " bits per pixel");
        }
        for (int row = 0; row < h; row++) {
            long offset = (long) (y + row) * image.bytes_per_line + (long) x * 4;
            image.data.read(offset, out, row * w, w);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
    }

    /** Injects an event; a pointer position is relative to the display, as everywhere here. */
    @Override
    public void inject(Display d, InputEvent event) throws IOException {
        synchronized (lock) {
            requireOpen();
            NativeLong now = new NativeLong(0);
            if (event instanceof InputEvent.PointerMove m) {
                xtst.XTestFakeMotionEvent(display, -1, d.x() + m.x(), d.y() + m.y(), now);
            } else if (event instanceof InputEvent.PointerButton b) {
                xtst.XTestFakeButtonEvent(display, b.button(), b.pressed(), now);
            } else if (event instanceof InputEvent.Wheel wheel) {
                click(wheel.dy() < 0 ? 4 : 5, Math.abs(wheel.dy()), now);
                click(wheel.dx() < 0 ? 6 : 7, Math.abs(wheel.dx()), now);
            } else if (event instanceof InputEvent.Key k) {
                key(k.keysym(), k.pressed(), now);
            }
            x11.XFlush(display);
        }
    }

    private void click(int button, int times, NativeLong now) {
        for (int i = 0; i < times; i++) {
            xtst.XTestFakeButtonEvent(display, button, true, now);
            xtst.XTestFakeButtonEvent(display, button, false, now);
        }
    }

    @Override
    public void typeCharacter(Display d, int codePoint) throws IOException {
        typeCharacter(codePoint);
    }

    /**
     * Types one character: the key that produces it, with Shift when it sits on the shifted level, or
     * a spare key mapped to it for the moment when no key produces it.
     */
    public void typeCharacter(int codePoint) throws IOException {
        synchronized (lock) {
            requireOpen();
            int keysym = codePoint < 0x100 ? codePoint : 0x01000000 | codePoint;
            if (codePoint == '\n') {
                keysym = 0xff0d; // Return
            } else if (codePoint == '\t') {
                keysym = 0xff09; // Tab
            }
            NativeLong now = new NativeLong(0);
            int keycode = x11.XKeysymToKeycode(display, new NativeLong(keysym)) & 0xff;
            int level = keycode == 0 ? -1 : level(keycode, keysym);
            if (keycode == 0 || level < 0 || level > 1) {
                keycode = remap(keysym);
                level = 0;
            }
            int shift = x11.XKeysymToKeycode(display, new NativeLong(SHIFT_L)) & 0xff;
            if (level == 1) {
                xtst.XTestFakeKeyEvent(display, shift, true, now);
            }
            xtst.XTestFakeKeyEvent(display, keycode, true, now);
            xtst.XTestFakeKeyEvent(display, keycode, false, now);
            if (level == 1) {
                xtst.XTestFakeKeyEvent(display, shift, false, now);
            }
            x11.XSync(display, 0);
        }
    }

    private void key(int keysym, boolean pressed, NativeLong now) {
        LocalEscape watcher = escape;
        if (watcher != null && pressed && keysym == LocalEscape.ESCAPE) {
            watcher.injected(); // the Guest's Esc: not the person's, which would end its control
        }
        int keycode = x11.XKeysymToKeycode(display, new NativeLong(keysym)) & 0xff;
        if (keycode == 0) {
            keycode = remap(keysym);
        }
        xtst.XTestFakeKeyEvent(display, keycode, pressed, now);
    }

    /** Which shift level of a key holds a keysym: 0, 1, or -1 when neither. */
    private int level(int keycode, int keysym) {
        IntByReference per = new IntByReference();
        Pointer syms = x11.XGetKeyboardMapping(display, (byte) keycode, 1, per);
        try {
            for (int i = 0; i < Math.min(2, per.getValue()); i++) {
                if (syms.getNativeLong((long) i * NativeLong.SIZE).longValue() == keysym) {
                    return i;
                }
            }
            return -1;
        } finally {
            x11.XFree(syms);
        }
    }

    /**
     * Maps a keysym to a spare keycode. Each character keeps its own keycode while spare ones last:
     * a client reads the mapping when it handles the key, so re-mapping one keycode for the next
     * character at once would change what the previous key meant.
     */
    private int remap(int keysym) {
        Integer known = remapped.get(keysym);
        if (known != null) {
            return known;
        }
        if (spareKeycodes == null) {
            spareKeycodes = new java.util.ArrayDeque<>();
            IntByReference min = new IntByReference();
            IntByReference max = new IntByReference();
            x11.XDisplayKeycodes(display, min, max);
            IntByReference per = new IntByReference();
            int count = max.getValue() - min.getValue() + 1;
            Pointer syms = x11.XGetKeyboardMapping(display, (byte) min.getValue(), count, per);
            try {
                for (int k = count - 1; k >= 0; k--) {
                    boolean empty = true;
                    for (int i = 0; i < per.getValue(); i++) {
                        if (syms.getNativeLong(((long) k * per.getValue() + i) * NativeLong.SIZE).longValue() != 0) {
                            empty = false;
                            break;
                        }
                    }
                    if (empty) {
                        spareKeycodes.add(min.getValue() + k);
                    }
                }
            } finally {
                x11.XFree(syms);
            }
            if (spareKeycodes.isEmpty()) {
                spareKeycodes.add(max.getValue()); // no spare key: borrow the last one
            }
        }
        int keycode;
        if (remapped.size() < spareKeycodes.size()) {
            keycode = spareKeycodes.stream().filter(k -> !remapped.containsValue(k)).findFirst().orElseThrow();
        } else {
            // All spare keys in use: take the one used longest ago, after clients caught up.
            Integer oldest = remapped.keySet().iterator().next();
            keycode = remapped.remove(oldest);
            x11.XSync(display, 0);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        x11.XChangeKeyboardMapping(display, keycode, 2,
                new NativeLong[] {new NativeLong(keysym), new NativeLong(keysym)}, 1);
        x11.XSync(display, 0);
        remapped.put(keysym, keycode);
        return keycode;
    }

    /**
     * The pointer through XFixes: its position relative to the display and its shape, both read in
     * one round trip ({@code XFixesGetCursorImage}) on every call; the shape is converted only when its
     * serial changed. Empty without XFixes.
     *
     * <p>The X server refuses the shape (BadAccess, which Xlib turns into a null image without calling
     * an error handler) when the client that created the cursor has disconnected, e.g. a root window
     * cursor set by {@code xsetroot -cursor_name}. Then the position comes from {@code XQueryPointer}
     * and the shape is the last one read (none, 0x0 with serial 0, if none was read yet).
     */
    @Override
    public Optional<Cursor> cursor(Display d) throws IOException {
        synchronized (lock) {
            requireOpen();
            if (!hasXfixes) {
                return Optional.empty();
            }
            Pointer p = xfixes.XFixesGetCursorImage(display);
            if (p == null) {
                if (!cursorRefusalLogged) {
                    cursorRefusalLogged = true;
                    LOG.log(System.Logger.Level.INFO, "X display {0} refuses the pointer''s current shape (its"
                            + " owner has disconnected): the last shape read stands in for it", displayName);
                }
                CursorShape shape = cursorShape != null ? cursorShape : NO_SHAPE;
                int[] at = rootPointer();
                return Optional.of(new Cursor(at[0] - d.x(), at[1] - d.y(), shape.hotX(), shape.hotY(),
                        shape.width(), shape.height(), shape.argb().clone(), shape.serial()));
            }
            try {
                Xlib.XFixesCursorImage image = new Xlib.XFixesCursorImage(p);
                int width = image.width & 0xffff;
                int height = image.height & 0xffff;
                long serial = image.cursor_serial.longValue();
                CursorShape shape = cursorShape;
                if (shape == null || shape.serial() != serial || shape.width() != width || shape.height() != height) {
                    // The server keeps the hot spot inside the shape; clamped so a bad one cannot break polling.
                    int hotX = width == 0 ? 0 : Math.min(image.xhot & 0xffff, width - 1);
                    int hotY = height == 0 ? 0 : Math.min(image.yhot & 0xffff, height - 1);
                    shape = new CursorShape(serial, width, height, hotX, hotY, argb(image.pixels, width * height));
                    cursorShape = shape;
                }
                return Optional.of(new Cursor(image.x - d.x(), image.y - d.y(), shape.hotX(), shape.hotY(),
                        width, height, shape.argb().clone(), serial));
            } finally {
                x11.XFree(p);
            }
        }
    }

    /** XFixes pixels (C {@code unsigned long}s, premultiplied 0xAARRGGBB) as non-premultiplied ARGB. */
    private static int[] argb(Pointer pixels, int count) {
        int[] out = new int[count];
        if (count == 0) {
            return out;
        }
        if (NativeLong.SIZE == 8) {
            long[] longs = pixels.getLongArray(0, count);
            for (int i = 0; i < count; i++) {
                out[i] = unpremultiply((int) longs[i]);
            }
        } else {
            pixels.read(0, out, 0, count);
            for (int i = 0; i < count; i++) {
                out[i] = unpremultiply(out[i]);
            }
        }
        return out;
    }

    /** One premultiplied 0xAARRGGBB pixel as non-premultiplied; fully transparent becomes 0. */
    static int unpremultiply(int pixel) {
        int a = pixel >>> 24;
        if (a == 0xff) {
            return pixel;
        }
        if (a == 0) {
            return 0;
        }
        int r = Math.min(0xff, (((pixel >>> 16) & 0xff) * 0xff + a / 2) / a);
        int g = Math.min(0xff, (((pixel >>> 8) & 0xff) * 0xff + a / 2) / a);
        int b = Math.min(0xff, ((pixel & 0xff) * 0xff + a / 2) / a);
        return a << 24 | r << 16 | g << 8 | b;
    }

    /** Where the pointer is, as {x, y} on the whole screen (root window coordinates). */
    public int[] pointer() throws IOException {
        synchronized (lock) {
            requireOpen();
            return rootPointer();
        }
    }

    /** Where the pointer is on the whole screen, as {x, y}; under the lock. */
    private int[] rootPointer() {
        NativeLongByReference r = new NativeLongByReference();
        NativeLongByReference c = new NativeLongByReference();
        IntByReference rx = new IntByReference();
        IntByReference ry = new IntByReference();
        IntByReference wx = new IntByReference();
        IntByReference wy = new IntByReference();
        IntByReference mask = new IntByReference();
        x11.XQueryPointer(display, root, r, c, rx, ry, wx, wy, mask);
        return new int[] {rx.getValue(), ry.getValue()};
    }

    private void requireOpen() throws IOException {
        if (display == null) {
            throw new IOException("the X display is closed");
        }
    }
}
