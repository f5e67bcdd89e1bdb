package org.tandemrc.screen.x11.internal;

import java.io.IOException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Esc pressed at the Host itself, not sent by a Guest: XInput 2 raw key presses on the root window (every
 * client may watch them, and watching takes them from no application), less the Esc presses this node
 * injected for a Guest a moment before. An Esc another local program injects (an on-screen keyboard,
 * xdotool) counts as the person's. Its own X connection and thread, so capture and input never wait on it.
 */
final class LocalEscape implements AutoCloseable {

    static final int ESCAPE = 0xff1b;
    private static final int GENERIC_EVENT = 35;
    private static final int XI_RAW_KEY_PRESS = 13;
    private static final int XI_ALL_MASTER_DEVICES = 1;
    /** How long an injected Esc waits to be matched with the raw event it causes. */
    private static final long INJECTED_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.x11");

    private final Xlib.X11 x11;
    private final Xlib.LibC libc;
    private final Pointer display;
    private final int opcode;
    private final int escapeKeycode;
    private final Runnable pressed;
    private final Deque<Long> injected = new ConcurrentLinkedDeque<>();
    private final Thread thread;
    private volatile boolean running = true;

    private LocalEscape(Xlib.X11 x11, Xlib.LibC libc, Pointer display, int opcode, Runnable pressed) {
        this.x11 = x11;
        this.libc = libc;
        this.display = display;
        this.opcode = opcode;
        this.pressed = pressed;
        this.escapeKeycode = x11.XKeysymToKeycode(display, new NativeLong(ESCAPE)) & 0xff;
        thread = new Thread(this::run, "tandem-x11-local-escape");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts watching display {@code name}; {@code pressed} runs on the watcher's thread for each Esc
     * the person presses.
     *
     * @throws IOException when the display or its XInput 2 cannot be used
     */
    static LocalEscape start(String name, Xlib.X11 x11, Xlib.LibC libc, Runnable pressed) throws IOException {
        XiConnection c = XiConnection.open(name, x11);
        Pointer display = c.display();
        Memory mask = new Memory(4);
        mask.clear();
        mask.setByte(XI_RAW_KEY_PRESS / 8, (byte) (1 << (XI_RAW_KEY_PRESS % 8)));
        Memory masks = new Memory(16);
        masks.setInt(0, XI_ALL_MASTER_DEVICES);
        masks.setInt(4, 4);
        masks.setPointer(8, mask);
        c.xi().XISelectEvents(display, x11.XRootWindow(display, x11.XDefaultScreen(display)), masks, 1);
        x11.XSync(display, 0);
        return new LocalEscape(x11, libc, display, c.opcode(), pressed);
    }

    /** Called just before this node injects an Esc press for a Guest: its raw event is not the person's. */
    void injected() {
        injected.add(System.nanoTime());
    }

    private boolean wasInjected() {
        long now = System.nanoTime();
        Long t;
        while ((t = injected.peekFirst()) != null && now - t > INJECTED_NANOS) {
            injected.pollFirst();
        }
        return injected.pollFirst() != null;
    }

    private void run() {
        Memory event = new Memory(24 * 8);
        Memory poll = new Memory(8);
        poll.setInt(0, x11.XConnectionNumber(display));
        try {
            while (running) {
                poll.setShort(4, (short) 1); // POLLIN
                poll.setShort(6, (short) 0);
                // Sleeps in the kernel until the server writes; wakes at least every 250 ms to see close().
                libc.poll(poll, new NativeLong(1), 250);
                while (running && x11.XPending(display) > 0) {
                    x11.XNextEvent(display, event);
                    if (event.getInt(0) == GENERIC_EVENT && event.getInt(32) == opcode && x11.XGetEventData(display, event)) {
                        try {
                            Pointer raw = event.getPointer(48);
                            if (raw != null && raw.getInt(36) == XI_RAW_KEY_PRESS && raw.getInt(56) == escapeKeycode
                                    && !wasInjected()) {
                                pressed.run();
                            }
                        } finally {
                            x11.XFreeEventData(display, event);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "watching for Esc at the Host stopped: " + e, e);
        } finally {
            x11.XCloseDisplay(display);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
