package org.tandemrc.screen.awt.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The desktop AWT runs on in this test JVM: one Xvfb (the X11 bundle's fixture), 1280x800 with two
 * RandR monitors, {@code left} and {@code right}, of 640x800 each, which AWT sees as Xinerama screens.
 *
 * <p>AWT connects once per JVM, to the display named by {@code DISPLAY} in the C environment, which
 * Java cannot change; so {@link #get()} starts Xvfb and sets {@code DISPLAY} through libc before
 * anything opens the display. The Surefire fork may thus start without a display (or with the
 * developer's own, which the tests then never type into). Call {@link #get()} before any test touches
 * a screen device.
 *
 * <p>The server stops after the JVM has exited, from a process of its own: AWT never lets go of its
 * connection, and Xlib treats a server that goes away under it as fatal, exiting the JVM with status 1
 * (which fails the Surefire fork) if a shutdown hook stopped the server.
 */
final class XvfbDesktop {

    static final int WIDTH = 1280;
    static final int HEIGHT = 800;

    /** setenv(3). */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private static Xvfb xvfb;

    private XvfbDesktop() {
    }

    /** The server, started on first use. */
    static synchronized Xvfb get() throws IOException, InterruptedException {
        if (xvfb == null) {
            Path fbdir = Files.createTempDirectory("tandem-awt-xvfb");
            Xvfb x = Xvfb.start(WIDTH, HEIGHT, fbdir);
            stopAfterThisJvm(x);
            x.xrandr("--setmonitor", "left", "640/169x800/211+0+0", "none");
            x.xrandr("--setmonitor", "right", "640/169x800/211+640+0", "none");
            if (Native.load("c", LibC.class).setenv("DISPLAY", x.display, 1) != 0) {
                throw new IllegalStateException("cannot set DISPLAY to " + x.display);
            }
            System.setProperty("java.awt.headless", "false");
            xvfb = x;
        }
        return xvfb;
    }

    private static void stopAfterThisJvm(Xvfb x) throws IOException {
        long server = ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> a.length > 0 && a[0].equals(x.display)).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Xvfb process for " + x.display)).pid();
        new ProcessBuilder("sh", "-c",
                "while kill -0 \"$0\" 2>/dev/null; do sleep 0.2; done; kill \"$1\"; sleep 1; rm -rf \"$2\"",
                String.valueOf(ProcessHandle.current().pid()), String.valueOf(server), x.fbdir.toString())
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
    }
}
