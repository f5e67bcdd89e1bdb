package org.tandemrc.screen.x11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * Capture, input, the pointer through XFixes and the monitors through RandR, against a real X server
 * (Xvfb).
 */
class X11ScreenTest {

    /** Another X client, to change the root window's cursor as a desktop application would. */
    interface OtherClient extends Library {
        Pointer XOpenDisplay(String name);

        NativeLong XDefaultRootWindow(Pointer display);

        int XDefineCursor(Pointer display, NativeLong window, NativeLong cursor);

        int XSync(Pointer display, int discard);

        int XCloseDisplay(Pointer display);
    }

    /** libXcursor, to make a colour cursor with known pixels (XcursorImage: 7 ints, then the pixels). */
    interface Xcursor extends Library {
        Pointer XcursorImageCreate(int width, int height);

        NativeLong XcursorImageLoadCursor(Pointer display, Pointer image);

        void XcursorImageDestroy(Pointer image);
    }

    /** A 3x2 colour cursor, hot spot 2,1, as the X server stores it: premultiplied alpha. */
    private static final int[] PREMULTIPLIED = {
        0xffff0000, 0x80008000, 0x00000000,
        0x40202020, 0xff0000ff, 0x7f7f7f7f};
    /** The same pixels as Cursor carries them. */
    private static final int[] STRAIGHT = {
        0xffff0000, 0x8000ff00, 0x00000000,
        0x40808080, 0xff0000ff, 0x7fffffff};
    /** Another 3x2 shape, opaque, so the same either way. */
    private static final int[] OPAQUE = {
        0xff000000, 0xffffffff, 0xff000000,
        0xffffffff, 0xff000000, 0xffffffff};

    @TempDir
    Path tmp;

    @Test
    void aCaptureEqualsTheServersFramebufferPixelForPixel() throws Exception {
        try (Xvfb x = Xvfb.start(1280, 800, tmp); OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            assertEquals("x11-shm", screen.backend());
            Display d = screen.displays().get(0);
            assertEquals(1280, d.width());
            assertEquals(800, d.height());
            Frame frame = screen.capture(d, 0, 0, 1280, 800);
            int[] server = x.framebuffer();
            assertTrue(Arrays.stream(server).distinct().count() > 1, "the root window has a pattern to compare");
            assertArrayEquals(server, frame.pixels());

            Frame part = screen.capture(d, 100, 50, 64, 32);
            for (int row = 0; row < 32; row++) {
                for (int col = 0; col < 64; col++) {
                    assertEquals(server[(50 + row) * 1280 + 100 + col], part.pixels()[row * 64 + col]);
                }
            }
            assertThrows(IllegalArgumentException.class, () -> screen.capture(d, 1270, 0, 20, 10));
        }
    }

    @Test
    void typedTextArrivesExactlyInARealXClient() throws Exception {
        try (Xvfb x = Xvfb.start(1024, 768, tmp); TypingTarget.Running target = TypingTarget.start(x.display, tmp);
                OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            Display d = screen.displays().get(0);
            screen.inject(d, new InputEvent.PointerMove(200, 150));
            screen.inject(d, new InputEvent.PointerButton(1, true));
            screen.inject(d, new InputEvent.PointerButton(1, false));
            assertArrayEquals(new int[] {200, 150}, screen.pointer());
            String text = "Hello, World! 123 ~{}|:\"<>? ÄÖü é €";
            Thread.sleep(300); // let the window take the focus the click gave it
            for (int cp : text.codePoints().toArray()) {
                screen.typeCharacter(cp);
            }
            String got = target.awaitText(text);
            assertEquals(text, got);
        }
    }

    @Test
    void theCursorIsWhereXTestPutItWithAShapeWhoseSerialChangesOnlyWithTheShape() throws Exception {
        try (Xvfb x = Xvfb.start(1024, 768, tmp); OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            Display d = screen.displays().get(0);
            screen.inject(d, new InputEvent.PointerMove(300, 200));
            Cursor first = screen.cursor(d).orElseThrow();
            assertEquals(300, first.x());
            assertEquals(200, first.y());
            assertTrue(first.width() > 0 && first.height() > 0, "a shape: " + first.width() + "x" + first.height());
            assertEquals(first.width() * first.height(), first.argb().length);
            assertTrue(first.hotX() >= 0 && first.hotX() < first.width()
                    && first.hotY() >= 0 && first.hotY() < first.height(),
                    "hot spot " + first.hotX() + "," + first.hotY() + " inside " + first.width() + "x" + first.height());
            // The retro root cursor is a core (two-colour) cursor: opaque black and white on a
            // fully transparent background, so every pixel is one of exactly three values.
            long opaque = Arrays.stream(first.argb()).filter(p -> p >>> 24 == 0xff).count();
            assertTrue(opaque > 0, "the shape has visible pixels");
            assertTrue(opaque < first.argb().length, "the shape has transparent pixels");
            for (int p : first.argb()) {
                assertTrue(p == 0 || p == 0xff000000 || p == 0xffffffff, "unexpected pixel " + Integer.toHexString(p));
            }

            // How long one call (one XFixesGetCursorImage round trip) takes, for the record.
            long start = System.nanoTime();
            int calls = 2000;
            for (int i = 0; i < calls; i++) {
                screen.cursor(d);
            }
            System.out.printf("cursor(): %.1f us per call over %d calls%n",
                    (System.nanoTime() - start) / 1000.0 / calls, calls);

            screen.inject(d, new InputEvent.PointerMove(50, 60));
            Cursor moved = screen.cursor(d).orElseThrow();
            assertEquals(50, moved.x());
            assertEquals(60, moved.y());
            assertEquals(first.serial(), moved.serial(), "same shape, same serial");
            assertArrayEquals(first.argb(), moved.argb());
            assertEquals(first.hotX(), moved.hotX());
            assertEquals(first.hotY(), moved.hotY());

            // Another client gives the root window a colour shape: a new serial, exactly its pixels
            // without premultiplied alpha, its hot spot, the position unchanged. Then another shape
            // of the same size: only the serial tells them apart.
            Cursor colour;
            OtherClient other = Native.load("X11", OtherClient.class);
            Xcursor xcursor = Native.load("Xcursor", Xcursor.class);
            Pointer connection = other.XOpenDisplay(x.display);
            try {
                defineRootCursor(other, xcursor, connection, OPAQUE, 0, 0);
                Cursor blackAndWhite = screen.cursor(d).orElseThrow();
                assertNotEquals(first.serial(), blackAndWhite.serial());
                assertArrayEquals(OPAQUE, blackAndWhite.argb());

                defineRootCursor(other, xcursor, connection, PREMULTIPLIED, 2, 1);
                colour = screen.cursor(d).orElseThrow();
                assertNotEquals(first.serial(), colour.serial());
                assertNotEquals(blackAndWhite.serial(), colour.serial());
                assertEquals(3, colour.width());
                assertEquals(2, colour.height());
                assertEquals(2, colour.hotX());
                assertEquals(1, colour.hotY());
                assertArrayEquals(STRAIGHT, colour.argb());
                assertEquals(50, colour.x());
                assertEquals(60, colour.y());
                assertEquals(colour.serial(), screen.cursor(d).orElseThrow().serial());
            } finally {
                other.XCloseDisplay(connection);
            }

            // Its creator gone, the server refuses the shape (BadAccess): the position stays
            // current and the last shape read stands in.
            screen.inject(d, new InputEvent.PointerMove(400, 500));
            Cursor orphan = screen.cursor(d).orElseThrow();
            assertEquals(400, orphan.x());
            assertEquals(500, orphan.y());
            assertEquals(colour.serial(), orphan.serial());
            assertArrayEquals(STRAIGHT, orphan.argb());
            assertEquals(2, orphan.hotX());
            assertEquals(1, orphan.hotY());
        }
    }

    @Test
    void withoutXFixesThereIsNoCursorButEverythingElseWorks() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp, "-extension", "XFIXES"); OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            Display d = screen.displays().get(0);
            assertEquals(Optional.empty(), screen.cursor(d));
            screen.inject(d, new InputEvent.PointerMove(30, 40));
            assertArrayEquals(new int[] {30, 40}, screen.pointer());
            assertEquals(640 * 480, screen.capture(d, 0, 0, 640, 480).pixels().length);
            collectGarbage(); // a library unloaded now would crash XCloseDisplay, which calls its hook
        }
    }

    /** Through MIT-SHM (the whole screen read, the monitor copied out) and through XGetImage. */
    @ParameterizedTest(name = "MIT-SHM {0}")
    @ValueSource(booleans = {true, false})
    void twoMonitorsAreOfferedAfterTheWholeScreenAndCapturedAndControlledAtTheirOffset(boolean shm) throws Exception {
        try (Xvfb x = shm ? Xvfb.start(1920, 1080, tmp) : Xvfb.start(1920, 1080, tmp, "-extension", "MIT-SHM")) {
            x.xrandr("--setmonitor", "left", "960/254x1080/286+0+0", "none");
            x.xrandr("--setmonitor", "right", "960/254x1080/286+960+0", "none");
            X11Screen screen = new X11Screen();
            screen.open(x.display);
            assertEquals(shm ? "x11-shm" : "x11-getimage", screen.backend());
            Process logo = x.client("xlogo", "-geometry", "300x300+1000+100");
            try {
                Display whole = new Display(x.display, 0, 0, 1920, 1080);
                Display left = new Display("left", 0, 0, 960, 1080);
                Display right = new Display("right", 960, 0, 960, 1080);
                assertEquals(List.of(whole, left, right), screen.displays());

                // Wait, on the whole screen, for the logo (the stippled root repeats every 2 pixels, the
                // logo does not) and for two captures in a row to agree (drawing finished).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                int[] previous = null;
                Frame full = screen.capture(whole, 0, 0, 1920, 1080);
                while (!Arrays.equals(previous, full.pixels())
                        || Arrays.equals(subRectangle(full.pixels(), 1920, 1000, 100, 290, 290),
                                subRectangle(full.pixels(), 1920, 1002, 100, 290, 290))) {
                    assertTrue(System.nanoTime() < deadline, "xlogo did not draw at 1000,100: " + tmp);
                    Thread.sleep(50); // waiting for the other process to draw
                    previous = full.pixels();
                    full = screen.capture(whole, 0, 0, 1920, 1080);
                }

                Frame mon = screen.capture(right, 0, 0, 960, 1080);
                assertEquals(0, mon.x());
                assertEquals(0, mon.y());
                assertArrayEquals(subRectangle(full.pixels(), 1920, 960, 0, 960, 1080), mon.pixels());
                assertArrayEquals(subRectangle(x.framebuffer(), 1920, 960, 0, 960, 1080), mon.pixels());
                Frame part = screen.capture(right, 40, 100, 300, 300);
                assertArrayEquals(subRectangle(full.pixels(), 1920, 1000, 100, 300, 300), part.pixels());
                assertTrue(Arrays.stream(part.pixels()).distinct().count() > 1, "the logo has detail to compare");
                assertFalse(Arrays.equals(part.pixels(), screen.capture(left, 40, 100, 300, 300).pixels()),
                        "the left monitor shows the root pattern where the right one shows the logo");

                // Inside the screen but outside the monitor: refused.
                assertThrows(IllegalArgumentException.class, () -> screen.capture(right, 900, 0, 100, 10));

                screen.inject(right, new InputEvent.PointerMove(10, 20));
                assertArrayEquals(new int[] {970, 20}, screen.pointer());
                assertEquals(10, screen.cursor(right).orElseThrow().x());
                assertEquals(20, screen.cursor(right).orElseThrow().y());
                assertEquals(970, screen.cursor(whole).orElseThrow().x());
                assertEquals(970, screen.cursor(left).orElseThrow().x(), "outside the left monitor, to its right");
                screen.inject(left, new InputEvent.PointerMove(10, 20));
                assertArrayEquals(new int[] {10, 20}, screen.pointer());

                // One monitor left besides the server's own whole-screen one: nothing to choose from.
                x.xrandr("--delmonitor", "right");
                assertEquals(List.of(whole), screen.displays());
            } finally {
                logo.destroy();
                screen.close();
            }
        }
    }

    @Test
    void withoutMonitorsThereIsJustTheWholeScreen() throws Exception {
        try (Xvfb x = Xvfb.start(1024, 768, tmp); OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            assertEquals(List.of(new Display(x.display, 0, 0, 1024, 768)), screen.displays());
        }
    }

    @Test
    void withoutRandRThereIsJustTheWholeScreen() throws Exception {
        try (Xvfb x = Xvfb.start(800, 600, tmp, "-extension", "RANDR"); OpenScreen open = new OpenScreen(x.display)) {
            X11Screen screen = open.screen;
            assertEquals(List.of(new Display(x.display, 0, 0, 800, 600)), screen.displays());
            collectGarbage(); // a library unloaded now would crash XCloseDisplay, which calls its hook
        }
    }

    @Test
    void premultipliedCursorPixelsBecomeStraightArgb() {
        assertEquals(0xff123456, X11Screen.unpremultiply(0xff123456));
        assertEquals(0, X11Screen.unpremultiply(0x00000000));
        assertEquals(0x80808080, X11Screen.unpremultiply(0x80404040));
        assertEquals(0x40ff0000, X11Screen.unpremultiply(0x40400000));
        assertEquals(0x01ffffff, X11Screen.unpremultiply(0x01010101));
    }

    /** Makes a colour cursor through libXcursor and shows it on the root window, as another client. */
    private static void defineRootCursor(OtherClient other, Xcursor xcursor, Pointer connection, int[] premultiplied,
            int hotX, int hotY) {
        Pointer image = xcursor.XcursorImageCreate(3, 2);
        image.setInt(16, hotX); // XcursorImage: version, size, width, height, xhot, yhot, delay, pixels
        image.setInt(20, hotY);
        image.getPointer(32).write(0, premultiplied, 0, premultiplied.length);
        NativeLong shape = xcursor.XcursorImageLoadCursor(connection, image);
        xcursor.XcursorImageDestroy(image);
        other.XDefineCursor(connection, other.XDefaultRootWindow(connection), shape);
        other.XSync(connection, 0);
    }

    /**
     * Lets the garbage collector and JNA's cleaner run, which unload a library nothing refers to.
     * Xlib keeps close-display hooks in libXfixes and libXrandr even when the server lacks the
     * extension, so X11Screen must keep them loaded until the display is closed.
     */
    private static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // JNA's cleaner thread unloads in the background
        }
    }

    private static int[] subRectangle(int[] pixels, int stride, int x, int y, int w, int h) {
        int[] out = new int[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, (y + row) * stride + x, out, row * w, w);
        }
        return out;
    }
}
