package org.tandemrc.screen.x11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/** Capture and input against a real X server (Xvfb). */
class X11ScreenTest {

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
        try (Xvfb x = Xvfb.start(1024, 768, tmp)) {
            TypingTarget.Running target = TypingTarget.start(x.display, tmp);
            X11Screen screen = new X11Screen();
            screen.open(x.display);
            try {
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
            } finally {
                screen.close();
                target.close();
            }
        }
    }
}
