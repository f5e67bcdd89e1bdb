package org.tandemrc.screen.x11.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;


/**
 * The few Xlib, MIT-SHM, XTest, XFixes, RandR and System V shared-memory calls Tandem needs
 * (jna-platform lacks XGetImage and XShm). Displays, windows and visuals are opaque pointers or XIDs.
 */
final class Xlib {

    private Xlib() {
    }

    static final int ZPIXMAP = 2;
    static final NativeLong ALL_PLANES = new NativeLong(-1L);
    static final int IPC_PRIVATE = 0;
    static final int IPC_CREAT = 01000;
    static final int IPC_RMID = 0;

    /** libX11. */
    interface X11 extends Library {
        Pointer XOpenDisplay(String name);

        int XCloseDisplay(Pointer display);

        int XDefaultScreen(Pointer display);

        NativeLong XRootWindow(Pointer display, int screen);

        int XDisplayWidth(Pointer display, int screen);

        int XDisplayHeight(Pointer display, int screen);

        int XDefaultDepth(Pointer display, int screen);

        Pointer XDefaultVisual(Pointer display, int screen);

        XImage XGetImage(Pointer display, NativeLong drawable, int x, int y, int width, int height,
                NativeLong planeMask, int format);

        int XDestroyImage(XImage image);

        int XFlush(Pointer display);

        int XSync(Pointer display, int discard);

        byte XKeysymToKeycode(Pointer display, NativeLong keysym);

        Pointer XGetKeyboardMapping(Pointer display, byte firstKeycode, int count, IntByReference keysymsPerKeycode);

        int XChangeKeyboardMapping(Pointer display, int firstKeycode, int keysymsPerKeycode, NativeLong[] keysyms,
                int numCodes);

        int XDisplayKeycodes(Pointer display, IntByReference min, IntByReference max);

        int XFree(Pointer data);

        boolean XQueryPointer(Pointer display, NativeLong window, NativeLongByReference root,
                NativeLongByReference child, IntByReference rootX, IntByReference rootY, IntByReference winX,
                IntByReference winY, IntByReference mask);

        int XSetErrorHandler(Pointer handler);

        /** The atom's name, to be freed with {@link #XFree}; null when the atom does not exist. */
        Pointer XGetAtomName(Pointer display, NativeLong atom);

        boolean XQueryExtension(Pointer display, String name, IntByReference opcode, IntByReference event,
                IntByReference error);

        int XConnectionNumber(Pointer display);

        int XPending(Pointer display);

        /** {@code event}: an XEvent, 24 longs. */
        int XNextEvent(Pointer display, Pointer event);

        /** {@code cookie}: the XEvent of a GenericEvent; its data is valid until {@link #XFreeEventData}. */
        boolean XGetEventData(Pointer display, Pointer cookie);

        void XFreeEventData(Pointer display, Pointer cookie);

        /**
         * The atom named {@code name}, or 0 when {@code onlyIfExists} (1; a C Bool, which JNA would pass as
         * -1 for a Java true) and no client created it.
         */
        NativeLong XInternAtom(Pointer display, String name, int onlyIfExists);

        /**
         * Replaces, on this connection only, what Xlib does with X error {@code errorCode} (1..255); the
         * process-wide handler, which AWT owns in the same process, is left alone.
         */
        Pointer XESetWireToError(Pointer display, int errorCode, WireToError proc);
    }

    /**
     * Sees an X error on one connection: {@code wire} is the xError from the server (its second byte is
     * the error code). Returning false drops the error, where Xlib's default handler would end the process.
     */
    interface WireToError extends Callback {
        boolean invoke(Pointer display, Pointer event, Pointer wire);
    }

    /**
     * libXi: XInput 2, for raw key events (what every keyboard sends, taken from no client) and for the
     * local devices and their grabs.
     */
    interface Xi extends Library {
        int XIQueryVersion(Pointer display, IntByReference major, IntByReference minor);

        /** {@code masks}: {@code count} XIEventMask {int deviceid; int mask_len; unsigned char *mask}. */
        int XISelectEvents(Pointer display, NativeLong window, Pointer masks, int count);

        /**
         * {@code count} XIDeviceInfo of 40 bytes each {int deviceid; char *name; int use; int attachment;
         * Bool enabled; int num_classes; XIAnyClassInfo **classes}, freed with {@link #XIFreeDeviceInfo}.
         */
        Pointer XIQueryDevice(Pointer display, int deviceId, IntByReference count);

        void XIFreeDeviceInfo(Pointer info);

        /** Success is 0; {@code data} is freed with {@code XFree}. */
        int XIGetProperty(Pointer display, int deviceId, NativeLong property, NativeLong offset, NativeLong length,
                int delete, NativeLong type, NativeLongByReference typeReturn, IntByReference formatReturn,
                NativeLongByReference itemsReturn, NativeLongByReference bytesAfter, PointerByReference data);

        /** {@code mask}: one XIEventMask. GrabSuccess is 0. */
        int XIGrabDevice(Pointer display, int deviceId, NativeLong window, NativeLong time, NativeLong cursor,
                int grabMode, int pairedDeviceMode, int ownerEvents, Pointer mask);
    }

    /** libXext: MIT-SHM. */
    interface Xext extends Library {
        boolean XShmQueryExtension(Pointer display);

        XImage XShmCreateImage(Pointer display, Pointer visual, int depth, int format, Pointer data,
                XShmSegmentInfo shminfo, int width, int height);

        boolean XShmAttach(Pointer display, XShmSegmentInfo shminfo);

        boolean XShmDetach(Pointer display, XShmSegmentInfo shminfo);

        boolean XShmGetImage(Pointer display, NativeLong drawable, XImage image, int x, int y, NativeLong planeMask);
    }

    /** libXtst. */
    interface Xtst extends Library {
        boolean XTestQueryExtension(Pointer display, IntByReference event, IntByReference error,
                IntByReference major, IntByReference minor);

        int XTestFakeKeyEvent(Pointer display, int keycode, boolean press, NativeLong delay);

        int XTestFakeButtonEvent(Pointer display, int button, boolean press, NativeLong delay);

        int XTestFakeMotionEvent(Pointer display, int screen, int x, int y, NativeLong delay);
    }

    /** libXfixes: the pointer's shape and position. */
    interface Xfixes extends Library {
        boolean XFixesQueryExtension(Pointer display, IntByReference eventBase, IntByReference errorBase);

        /** An {@link XFixesCursorImage}, to be freed with {@code XFree}; null on failure. */
        Pointer XFixesGetCursorImage(Pointer display);
    }

    /** libXrandr: the monitors of a screen (RandR 1.5). */
    interface Xrandr extends Library {
        boolean XRRQueryExtension(Pointer display, IntByReference eventBase, IntByReference errorBase);

        int XRRQueryVersion(Pointer display, IntByReference major, IntByReference minor);

        /**
         * {@code count} {@link XRRMonitorInfo} in one block, to be freed with {@link #XRRFreeMonitors};
         * null (and {@code count} -1) when the server lacks RandR 1.5.
         */
        Pointer XRRGetMonitors(Pointer display, NativeLong window, boolean activeOnly, IntByReference count);

        void XRRFreeMonitors(Pointer monitors);
    }

    /** libc: System V shared memory. */
    interface LibC extends Library {
        int shmget(int key, NativeLong size, int flags);

        Pointer shmat(int id, Pointer address, int flags);

        int shmdt(Pointer address);

        int shmctl(int id, int command, Pointer buffer);

        /** {@code fds}: {@code count} struct pollfd {int fd; short events; short revents}. */
        int poll(Pointer fds, NativeLong count, int timeoutMillis);
    }

    /** XImage from Xlib.h (the fields read here, then the function table). */
    @Structure.FieldOrder({"width", "height", "xoffset", "format", "data", "byte_order", "bitmap_unit",
        "bitmap_bit_order", "bitmap_pad", "depth", "bytes_per_line", "bits_per_pixel", "red_mask", "green_mask",
        "blue_mask", "obdata", "create_image", "destroy_image", "get_pixel", "put_pixel", "sub_image",
        "add_pixel"})
    public static class XImage extends Structure {
        public int width;
        public int height;
        public int xoffset;
        public int format;
        public Pointer data;
        public int byte_order;
        public int bitmap_unit;
        public int bitmap_bit_order;
        public int bitmap_pad;
        public int depth;
        public int bytes_per_line;
        public int bits_per_pixel;
        public NativeLong red_mask;
        public NativeLong green_mask;
        public NativeLong blue_mask;
        public Pointer obdata;
        public Pointer create_image;
        public Pointer destroy_image;
        public Pointer get_pixel;
        public Pointer put_pixel;
        public Pointer sub_image;
        public Pointer add_pixel;
    }

    /** XShmSegmentInfo from XShm.h. */
    @Structure.FieldOrder({"shmseg", "shmid", "shmaddr", "readOnly"})
    public static class XShmSegmentInfo extends Structure {
        public NativeLong shmseg;
        public int shmid;
        public Pointer shmaddr;
        public int readOnly;
    }

    /**
     * XFixesCursorImage from Xfixes.h. {@code pixels} holds {@code width * height} C {@code unsigned
     * long}s (8 bytes on 64-bit Linux), each {@code 0xAARRGGBB} with premultiplied alpha in its low 32
     * bits. {@code atom} and {@code name} exist from XFixes 2 on; they are only declared here so the
     * layout is complete.
     */
    @Structure.FieldOrder({"x", "y", "width", "height", "xhot", "yhot", "cursor_serial", "pixels", "atom", "name"})
    public static class XFixesCursorImage extends Structure {
        public short x;
        public short y;
        /** unsigned short */
        public short width;
        /** unsigned short */
        public short height;
        /** unsigned short */
        public short xhot;
        /** unsigned short */
        public short yhot;
        public NativeLong cursor_serial;
        public Pointer pixels;
        public NativeLong atom;
        public Pointer name;

        public XFixesCursorImage(Pointer p) {
            super(p);
            read();
        }
    }

    /** XRRMonitorInfo from Xrandr.h. */
    @Structure.FieldOrder({"name", "primary", "automatic", "noutput", "x", "y", "width", "height", "mwidth",
        "mheight", "outputs"})
    public static class XRRMonitorInfo extends Structure {
        public NativeLong name;
        public int primary;
        public int automatic;
        public int noutput;
        public int x;
        public int y;
        public int width;
        public int height;
        public int mwidth;
        public int mheight;
        public Pointer outputs;

        public XRRMonitorInfo() {
        }

        public XRRMonitorInfo(Pointer p) {
            super(p);
        }
    }
}
