package org.tandemrc.screen.x11.internal;

import java.io.IOException;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * A connection of its own to an X display whose server speaks XInput 2.2, for the watchers that must never
 * wait on capture or input (the local Esc, the input lock).
 *
 * @param xi      libXi
 * @param display the connection; the owner closes it with {@code XCloseDisplay}
 * @param opcode  XInput's major opcode, which its GenericEvents carry
 */
record XiConnection(Xlib.Xi xi, Pointer display, int opcode) {

    /** @throws IOException when libXi, the display or the server's XInput 2 cannot be used */
    static XiConnection open(String name, Xlib.X11 x11) throws IOException {
        Xlib.Xi xi;
        try {
            xi = Native.load("Xi", Xlib.Xi.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("libXi is not installed: " + e.getMessage());
        }
        Pointer display = x11.XOpenDisplay(name);
        if (display == null) {
            throw new IOException("cannot open X display " + name);
        }
        IntByReference opcode = new IntByReference();
        if (!x11.XQueryExtension(display, "XInputExtension", opcode, new IntByReference(), new IntByReference())
                || xi.XIQueryVersion(display, new IntByReference(2), new IntByReference(2)) != 0) {
            x11.XCloseDisplay(display);
            throw new IOException("the X server lacks XInput 2");
        }
        return new XiConnection(xi, display, opcode.getValue());
    }
}
