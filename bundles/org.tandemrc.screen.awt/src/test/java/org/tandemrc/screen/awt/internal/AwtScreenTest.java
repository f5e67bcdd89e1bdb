package org.tandemrc.screen.awt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.MouseInfo;
import java.awt.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/** Capture and input through java.awt.Robot against a real X server (Xvfb, see {@link XvfbDesktop}). */
class AwtScreenTest {

    private static final int W = XvfbDesktop.WIDTH;
    private static final int H = XvfbDesktop.HEIGHT;

    private static Xvfb x;
    private static AwtScreen screen;

    @TempDir
    Path tmp;

    @BeforeAll
    static void desktop() throws Exception {
        x = XvfbDesktop.get();
        screen = AwtScreen.open();
    }

    @Test
    void theWholeDesktopComesFirstThenEachMonitorLeftToRight() throws Exception {
        assertEquals("awt-robot", screen.backend());
        // Xinerama also lists the server's own whole-screen monitor (:0.2): it adds nothing, left out.
        assertEquals(List.of(new Display("desktop", 0, 0, W, H), new Display(":0.0", 0, 0, 640, H),
                new Display(":0.1", 640, 0, 640, H)), screen.displays());
    }

    @Test
    void aCaptureEqualsTheServersFramebufferPixelForPixel() throws Exception {
        Display whole = screen.displays().get(0);
        int[] server = x.framebuffer();
        Frame frame = screen.capture(whole, 0, 0, W, H);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Arrays.equals(server, x.framebuffer())) {
            // Another test's window was still going away: until the framebuffer holds still.
            assertTrue(System.nanoTime() < deadline, "the framebuffer keeps changing");
            Thread.sleep(50);
            server = x.framebuffer();
            frame = screen.capture(whole, 0, 0, W, H);
        }
        assertEquals(0, frame.x());
        assertEquals(0, frame.y());
        assertTrue(Arrays.stream(server).distinct().count() > 1, "the root window has a pattern to compare");
        assertArrayEquals(server, frame.pixels());

        Frame part = screen.capture(whole, 101, 50, 64, 33);
        assertEquals(101, part.x());
        assertEquals(50, part.y());
        assertArrayEquals(subRectangle(server, W, 101, 50, 64, 33), part.pixels());

        assertThrows(IllegalArgumentException.class, () -> screen.capture(whole, W - 10, 0, 20, 10));
        assertThrows(IllegalArgumentException.class, () -> screen.capture(whole, 0, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> screen.capture(whole, -1, 0, 10, 10));
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> screen.capture(new Display("gone", W - 100, 0, 200, 100), 0, 0, 150, 10));
        assertEquals("region 150x10+0+0 of display gone (200x100+1180+0) is not inside the 1280x800+0+0 desktop",
                beyond.getMessage());
    }

    @Test
    void eachMonitorIsCapturedAndControlledAtItsOffset() throws Exception {
        List<Display> displays = screen.displays();
        Display left = displays.get(1);
        Display right = displays.get(2);
        Process logo = x.client("xlogo", "-geometry", "300x300+700+100");
        try {
            // Wait for the logo (the stippled root repeats every 2 pixels, the logo does not) and for
            // the framebuffer to hold still (drawing finished).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int[] previous = null;
            int[] server = x.framebuffer();
            while (!Arrays.equals(previous, server) || Arrays.equals(subRectangle(server, W, 700, 100, 290, 290),
                    subRectangle(server, W, 702, 100, 290, 290))) {
                assertTrue(System.nanoTime() < deadline, "xlogo did not draw at 700,100: " + x.fbdir);
                Thread.sleep(50);
                previous = server;
                server = x.framebuffer();
            }

            Frame monitor = screen.capture(right, 0, 0, 640, H);
            assertEquals(0, monitor.x());
            assertArrayEquals(subRectangle(server, W, 640, 0, 640, H), monitor.pixels());
            Frame part = screen.capture(right, 60, 100, 300, 300);
            assertArrayEquals(subRectangle(server, W, 700, 100, 300, 300), part.pixels());
            assertFalse(Arrays.equals(part.pixels(), screen.capture(left, 60, 100, 300, 300).pixels()),
                    "the left monitor shows the root pattern where the right one shows the logo");
            // Inside the desktop but outside the monitor: refused.
            assertThrows(IllegalArgumentException.class, () -> screen.capture(right, 600, 0, 100, 10));

            screen.inject(right, new InputEvent.PointerMove(10, 20));
            assertEquals(new Point(650, 20), MouseInfo.getPointerInfo().getLocation());
            screen.inject(left, new InputEvent.PointerMove(10, 20));
            assertEquals(new Point(10, 20), MouseInfo.getPointerInfo().getLocation());
            assertEquals(Optional.empty(), screen.cursor(right), "Robot cannot tell the pointer's shape");
        } finally {
            logo.destroy();
            logo.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void typedTextAndKeysArriveExactlyInARealXClientAndWhatAUsKeyboardCannotTypeIsRefused() throws Exception {
        try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
            Display d = screen.displays().get(0);
            screen.inject(d, new InputEvent.PointerMove(200, 150));
            screen.inject(d, new InputEvent.PointerButton(1, true));
            screen.inject(d, new InputEvent.PointerButton(1, false));
            Thread.sleep(300); // let the window take the focus the click gave it

            String text = "Hello, World! 123\n~`!@#$%^&*()_+-=[]{}\\|;:'\",.<>/?\tend";
            for (int cp : text.codePoints().toArray()) {
                screen.typeCharacter(d, cp);
            }
            IOException accent = assertThrows(IOException.class, () -> screen.typeCharacter(d, 'é'));
            assertEquals("the awt-robot backend can only type characters of a US keyboard layout, not U+00E9 'é'"
                    + " (java.awt.Robot cannot inject arbitrary Unicode)", accent.getMessage());
            IOException euro = assertThrows(IOException.class, () -> screen.typeCharacter(d, '€'));
            assertTrue(euro.getMessage().contains("U+20AC '€'"), euro.getMessage());
            IOException keysym = assertThrows(IOException.class,
                    () -> screen.inject(d, new InputEvent.Key(0x010020ac, true)));
            assertEquals("the awt-robot backend cannot press keysym 0x10020ac: java.awt.Robot presses only keys of"
                    + " a US keyboard layout", keysym.getMessage());

            // Keys as a Guest sends them: its own Shift around a letter's keysym, a slip undone by BackSpace.
            key(d, 0xffe1, true);
            key(d, 'Z', true);
            key(d, 'Z', false);
            key(d, 0xffe1, false);
            key(d, 'q', true);
            key(d, 'q', false);
            key(d, 0xff08, true);
            key(d, 0xff08, false);
            key(d, 0x31, true); // the 1 key, no Shift held
            key(d, 0x31, false);

            String expected = text + "Z1";
            String got = target.awaitText(expected);
            assertEquals(expected, got);
        }
    }

    @Test
    void aPointerButtonRobotHasNotIsRefused() throws Exception {
        Display d = screen.displays().get(0);
        IOException e = assertThrows(IOException.class, () -> screen.inject(d, new InputEvent.PointerButton(8, true)));
        assertEquals("the awt-robot backend cannot press pointer button 8: only 1 (left), 2 (middle) and 3 (right)",
                e.getMessage());
    }

    private static void key(Display d, int keysym, boolean pressed) throws IOException {
        screen.inject(d, new InputEvent.Key(keysym, pressed));
    }

    private static int[] subRectangle(int[] pixels, int width, int x, int y, int w, int h) {
        int[] out = new int[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, (y + row) * width + x, out, row * w, w);
        }
        return out;
    }
}
