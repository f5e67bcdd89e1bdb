package org.tandemrc.screen.x11.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import org.tandemrc.api.screen.LocalInputLock;

/**
 * Locks the person's keyboard and mouse on an X display: an XInput 2 grab of every keyboard and pointer
 * attached to the display's masters except XTest's, on a connection of its own. The server floats a grabbed
 * slave (it no longer moves the pointer or types into the focused window) and sends its events to this
 * connection only, which selected none, so they reach nobody; XTest's slaves, through which
 * {@link X11Screen} injects the Guest's input, stay attached.
 *
 * <p>Grabs, not the {@code Device Enabled} property that {@code xinput disable} sets: the server ends a
 * client's grabs when its connection closes, which the kernel does however this process ends (even
 * SIGKILL or a crash), so a dead Host never leaves the person without keyboard and mouse. A disabled device
 * stays disabled until someone enables it, which nobody can do without a keyboard and mouse.
 *
 * <p>While locked, a watcher looks once a second for devices plugged in since, and grabs them too. Every X
 * error on the lock's connection is caught there, not given to Xlib's process-wide handler (which ends the
 * process, and which AWT owns).
 */
final class InputLock implements LocalInputLock {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.x11");
    private static final int XI_ALL_DEVICES = 0;
    private static final int XI_SLAVE_POINTER = 3;
    private static final int XI_SLAVE_KEYBOARD = 4;
    private static final int XI_FLOATING_SLAVE = 5;
    private static final int DEVICE_INFO_SIZE = 40;
    private static final int GRAB_MODE_ASYNC = 1;
    /** How often a locked display is looked at for devices plugged in (or attached again) since. */
    static final long WATCH_MILLIS = 1000;
    private static final String[] GRAB_STATUS = {"success", "another program holds it", "invalid time",
        "not viewable", "frozen by another grab"};
    private static final String CANNOT = "this Host cannot lock its keyboard and mouse: ";

    private final String displayName;
    private final Xlib.X11 x11;
    private final long watchMillis;
    private final Object lock = new Object();
    private int holds;
    /** The lock's connection while locked (holds > 0); closing it ends every grab. */
    private XiConnection connection;
    private Thread watcher;
    /** The last X error on the lock's connection, 0 for none; set by {@link #errors} on the calling thread. */
    private int lastError;
    /** Referenced as long as any connection may call it: JNA frees a callback nothing refers to. */
    private final Xlib.WireToError errors = (display, event, wire) -> {
        lastError = wire.getByte(1) & 0xff;
        return false; // dropped: the caller sees lastError
    };

    InputLock(String displayName, Xlib.X11 x11, long watchMillis) {
        this.displayName = displayName;
        this.x11 = x11;
        this.watchMillis = watchMillis;
    }

    @Override
    public Hold lock() throws IOException {
        synchronized (lock) {
            if (holds == 0) {
                engage();
            }
            holds++;
        }
        return new Hold() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (--holds == 0) {
                        release();
                    }
                }
            }
        };
    }

    /** Whether the keyboard and mouse are locked now. */
    boolean locked() {
        synchronized (lock) {
            return holds > 0;
        }
    }

    /** Gives keyboard and mouse back whatever holds are open: the screen is going away. */
    void close() {
        synchronized (lock) {
            if (holds > 0) {
                holds = 0;
                release();
            }
        }
    }

    /** Opens the lock's connection and grabs every local device, all or none. Under {@link #lock}. */
    private void engage() throws IOException {
        XiConnection c;
        try {
            c = XiConnection.open(displayName, x11);
        } catch (IOException e) {
            throw new IOException(CANNOT + e.getMessage(), e);
        }
        for (int code = 1; code < 256; code++) {
            x11.XESetWireToError(c.display(), code, errors);
        }
        connection = c;
        try {
            int grabbed = grabAttached(true);
            if (grabbed == 0) {
                throw new IOException(CANNOT + "X display " + displayName
                        + " has no keyboard or mouse of its own, only injected input");
            }
            LOG.log(System.Logger.Level.INFO, "keyboard and mouse of X display {0} locked: {1} devices grabbed",
                    displayName, String.valueOf(grabbed));
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        Thread t = new Thread(this::watch, "tandem-x11-input-lock");
        t.setDaemon(true);
        watcher = t;
        t.start();
    }

    /** Closes the lock's connection: the server ends its grabs and attaches the devices again. Under {@link #lock}. */
    private void release() {
        XiConnection c = connection;
        connection = null;
        watcher = null;
        lock.notifyAll();
        if (c != null) {
            x11.XCloseDisplay(c.display());
            LOG.log(System.Logger.Level.INFO, "keyboard and mouse of X display {0} unlocked", displayName);
        }
    }

    /** Grabs the devices plugged in while locked, until unlocked. */
    private void watch() {
        synchronized (lock) {
            while (watcher == Thread.currentThread()) {
                try {
                    lock.wait(watchMillis);
                } catch (InterruptedException e) {
                    return;
                }
                if (watcher != Thread.currentThread()) {
                    return;
                }
                try {
                    int more = grabAttached(false);
                    if (more > 0) {
                        LOG.log(System.Logger.Level.INFO, "{0} more devices of X display {1} locked",
                                String.valueOf(more), displayName);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a device plugged in while locked could not be locked: "
                            + e.getMessage());
                }
            }
        }
    }

    /**
     * Grabs every slave keyboard and pointer still attached to a master, except XTest's (a grabbed one
     * floats, so is not seen again). Under {@link #lock}.
     *
     * @param first whether a device that cannot be grabbed fails the whole lock
     * @return how many devices it grabbed
     */
    private int grabAttached(boolean first) throws IOException {
        Pointer d = connection.display();
        Xlib.Xi xi = connection.xi();
        NativeLong xtestProperty = x11.XInternAtom(d, "XTEST Device", 1);
        if (xtestProperty.longValue() == 0) {
            throw new IOException(CANNOT + "X display " + displayName + " does not mark its XTest devices, so locking"
                    + " could stop the Guest's input too");
        }
        record Device(int id, String name) {
        }
        List<Device> attached = new ArrayList<>();
        IntByReference count = new IntByReference();
        lastError = 0;
        Pointer info = xi.XIQueryDevice(d, XI_ALL_DEVICES, count);
        if (info == null) {
            throw new IOException(CANNOT + "X display " + displayName + " did not list its devices (X error "
                    + lastError + ")");
        }
        try {
            int n = Math.min(count.getValue(), 1024); // a server lists a few dozen at most
            for (int i = 0; i < n; i++) {
                Pointer device = info.share((long) i * DEVICE_INFO_SIZE);
                int use = device.getInt(16);
                if (use != XI_SLAVE_POINTER && use != XI_SLAVE_KEYBOARD && use != XI_FLOATING_SLAVE) {
                    continue; // a master
                }
                Pointer namePointer = device.getPointer(8);
                String name = namePointer == null ? "?" : namePointer.getString(0);
                if (name.startsWith("xwayland-")) {
                    // Grabbing XWayland's devices would only keep the person's input from X programs.
                    throw new IOException(CANNOT + "X display " + displayName + " is XWayland: the Wayland"
                            + " compositor, not the X server, owns the keyboard and mouse");
                }
                if (use != XI_FLOATING_SLAVE) {
                    attached.add(new Device(device.getInt(0), name));
                }
            }
        } finally {
            xi.XIFreeDeviceInfo(info);
        }
        NativeLong root = x11.XRootWindow(d, x11.XDefaultScreen(d));
        Memory none = new Memory(4);
        none.clear(); // selects no event: what the person types or clicks reaches nobody
        Memory mask = new Memory(16);
        mask.setPointer(8, none);
        int grabbed = 0;
        for (Device device : attached) {
            if (isXtest(xi, d, device.id(), xtestProperty)) {
                continue;
            }
            mask.setInt(0, device.id());
            mask.setInt(4, 4);
            lastError = 0;
            int status = xi.XIGrabDevice(d, device.id(), root, new NativeLong(0), new NativeLong(0), GRAB_MODE_ASYNC,
                    GRAB_MODE_ASYNC, 0, mask);
            if (status == 0 && lastError == 0) {
                grabbed++;
                continue;
            }
            String why = lastError != 0 ? "X error " + lastError
                    : status > 0 && status < GRAB_STATUS.length ? GRAB_STATUS[status] : "grab status " + status;
            if (first) {
                throw new IOException(CANNOT + "its device '" + device.name() + "' cannot be grabbed (" + why + ")");
            }
            LOG.log(System.Logger.Level.WARNING, "device ''{0}'' plugged in while locked cannot be grabbed ({1})",
                    device.name(), why);
        }
        return grabbed;
    }

    /** Whether the server marks a device as one of XTest's, through which injected input arrives. */
    private boolean isXtest(Xlib.Xi xi, Pointer d, int id, NativeLong property) {
        NativeLongByReference type = new NativeLongByReference();
        IntByReference format = new IntByReference();
        NativeLongByReference items = new NativeLongByReference();
        PointerByReference data = new PointerByReference();
        lastError = 0;
        int status = xi.XIGetProperty(d, id, property, new NativeLong(0), new NativeLong(1), 0, new NativeLong(0),
                type, format, items, new NativeLongByReference(), data);
        Pointer value = data.getValue();
        try {
            return status == 0 && lastError == 0 && items.getValue().longValue() > 0 && format.getValue() == 8
                    && value != null && value.getByte(0) != 0;
        } finally {
            if (value != null) {
                x11.XFree(value);
            }
        }
    }
}
