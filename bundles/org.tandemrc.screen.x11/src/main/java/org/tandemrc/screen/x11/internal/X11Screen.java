package org.tandemrc.screen.x11.internal;

import java.io.IOException;
import java.util.List;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;

/**
 * The X11 screen: capture through MIT-SHM ({@code XShmGetImage}) when the X server offers it and
 * shares memory with this process, else {@code XGetImage}; input through XTest. Registered by
 * {@link X11ScreenComponent} when there is a display.
 */
public class X11Screen implements ScreenSource, InputSink {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.x11");
    private static final int SHIFT_L = 0xffe1;

    private final Object lock = new Object();
    private Xlib.X11 x11;
    private Xlib.Xext xext;
    private Xlib.Xtst xtst;
    private Xlib.LibC libc;
    private Pointer display;
    private String displayName;
    private int screen;
    private NativeLong root;
    private Shm shm;
    /** Spare keycodes (no keysyms) for characters no key produces, and what each holds now. */
    private java.util.ArrayDeque<Integer> spareKeycodes;
    private final java.util.LinkedHashMap<Integer, Integer> remapped = new java.util.LinkedHashMap<>();

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
    }

    /** The capture path in use: {@code x11-shm} or {@code x11-getimage}. */
    public String backend() {
        synchronized (lock) {
            return shm != null ? "x11-shm" : "x11-getimage";
        }
    }

    /** Closes the display connection. */
    public void close() {
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

    @Override
    public List<Display> displays() throws IOException {
        synchronized (lock) {
            requireOpen();
            return List.of(new Display(displayName, 0, 0, width(), height()));
        }
    }

    @Override
    public Frame capture(Display d, int x, int y, int w, int h) throws IOException {
        synchronized (lock) {
            requireOpen();
            int sw = width();
            int sh = height();
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > sw || y + h > sh) {
                throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y
                        + " is not inside the " + sw + "x" + sh + " screen");
            }
            if (shm != null && (shm.width != sw || shm.height != sh)) {
                destroyShm();
                createShm(sw, sh);
            }
            int[] pixels = new int[w * h];
            if (shm != null && xext.XShmGetImage(display, root, shm.image, 0, 0, Xlib.ALL_PLANES)) {
                shm.image.read();
                copy(shm.image, x, y, w, h, pixels);
            } else {
                Xlib.XImage image = x11.XGetImage(display, root, x, y, w, h, Xlib.ALL_PLANES, Xlib.ZPIXMAP);
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

    @Override
    public void inject(Display d, InputEvent event) throws IOException {
        synchronized (lock) {
            requireOpen();
            NativeLong now = new NativeLong(0);
            if (event instanceof InputEvent.PointerMove m) {
                xtst.XTestFakeMotionEvent(display, -1, m.x(), m.y(), now);
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

    /** Where the pointer is, as {x, y}. */
    public int[] pointer() throws IOException {
        synchronized (lock) {
            requireOpen();
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
    }

    private void requireOpen() throws IOException {
        if (display == null) {
            throw new IOException("the X display is closed");
        }
    }
}
