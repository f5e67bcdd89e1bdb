package org.tandemrc.screen.x11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

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
        try (Xvfb x = Xvfb.start(1280, 800, tmp)) {
            X11Screen screen = new X11Screen();
            screen.open(x.display);
            try {
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
            } finally {
                screen.close();
            }
        }
    }

    @Test
    void typedTextArrivesExactlyInARealXClient() throws Exception {
        try (Xvfb x = Xvfb.start(1024, 768, tmp)) {
            Path typed = tmp.resolve("typed.txt");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TypingTarget.class.getName(), typed.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("target.log").toFile());
            pb.environment().put("DISPLAY", x.display);
            Process target = pb.start();
            X11Screen screen = new X11Screen();
            screen.open(x.display);
            try {
                Path ready = tmp.resolve("typed.txt.ready");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!Files.exists(ready) && System.nanoTime() < deadline) {
                    Thread.sleep(50); // waiting for the other process's window
                }
                assertTrue(Files.exists(ready), "the typing target did not start: " + Files.readString(tmp.resolve("target.log")));
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
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String got = "";
                while (System.nanoTime() < deadline) {
                    got = Files.exists(typed) ? Files.readString(typed, StandardCharsets.UTF_8) : "";
                    if (got.equals(text)) {
                        break;
                    }
                    Thread.sleep(50); // the other process writes the file after each key
                }
                assertEquals(text, got);
            } finally {
                screen.close();
                target.destroy();
            }
        }
    }
}
