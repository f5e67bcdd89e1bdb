package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The remote screen in the browser console ({@code src/test/browser/screen-test.mjs}): with lossless
 * quality the picture in the browser's canvas equals the X server's framebuffer pixel for pixel, from
 * encoded messages far smaller than the raw pixels; the toolbar fits at 1366 px; keyboard capture says
 * when it is on and lets go; the colour limit reaches the Host; the clipboard follows both ways; and
 * hostile messages on the screen socket close that socket, not the console.
 */
class ConsoleScreenIT {

    private static final String PASSWORD = "screen test host password";
    private static final int W = 1024;
    private static final int H = 768;

    @TempDir
    Path tmp;

    @Test
    void theBrowserShowsTheHostsScreenExactlyFromEncodedPictures() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        Path dir = ConsoleIT.browserTest();
        Files.copy(ConsoleIT.BROWSER_SOURCES.resolve("screen-test.mjs"), dir.resolve("screen-test.mjs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        // A photo-like area (ImageMagick's plasma: tens of thousands of colours) on a flat background,
        // as the root window's picture: every pixel of it must arrive exactly.
        Path picture = tmp.resolve("background.png");
        Process convert = new ProcessBuilder("convert", "-size", W + "x" + H, "xc:#3a6ea5", "(", "-size", "320x240",
                "-seed", "21", "plasma:fractal", ")", "-geometry", "+640+60", "-composite", "-depth", "8",
                picture.toString()).redirectErrorStream(true).start();
        String converted = new String(convert.getInputStream().readAllBytes());
        assertEquals(0, convert.waitFor(), "ImageMagick's convert (apt-get install imagemagick): " + converted);
        try (Xvfb x = Xvfb.start(W, H, fb)) {
            Process root = x.client("display", "-window", "root", picture.toString());
            root.waitFor(30, TimeUnit.SECONDS);
            Process logo = x.client("xlogo", "-geometry", "300x300+100+200");
            try (NodeProcess host = NodeProcess.host(tmp.resolve("host"), pw, Map.of("DISPLAY", x.display), true,
                    Map.of("org.tandemrc.host.desktop.cfg", "notices = false\n"))) {
                try (NodeProcess console = ConsoleIT.console(tmp)) {
                    java.util.function.Supplier<String> why = ConsoleIT.why(host, tmp);
                    String config = ConsoleIT.browserConfig(console, host.tcpAddress(), PASSWORD, shots, tmp);
                    try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""),
                            dir, "node", "screen-test.mjs")) {
                        String canvas = ConsoleIT.step(browser, "canvas", 120_000, why);
                        String[] words = canvas.split(" ");
                        assertEquals("STEP canvas " + W + "x" + H, words[0] + " " + words[1] + " " + words[2], canvas);
                        byte[] rgba = Files.readAllBytes(tmp.resolve("canvas.rgba"));
                        int[] got = new int[W * H];
                        for (int i = 0; i < got.length; i++) {
                            got[i] = (rgba[4 * i] & 0xff) << 16 | (rgba[4 * i + 1] & 0xff) << 8 | (rgba[4 * i + 2] & 0xff);
                        }
                        assertArrayEquals(x.framebuffer(), got, "the canvas differs from the X server's framebuffer");
                        long bytes = Long.parseLong(words[3]);
                        // Raw RGBA of one screen is 3 MB; a photo-like 320x240 area alone is 230 kB of RGB.
                        assertTrue(bytes > 0 && bytes < (long) W * H * 4 / 8,
                                "the browser got encoded pictures, " + bytes + " bytes for a " + W + "x" + H + " screen");
                        browser.type("go " + canvas.substring("STEP ".length()));

                        ConsoleIT.step(browser, "clipboard-sent", 30_000, why);
                        assertEquals("from the browser", awaitClipboard(x, "from the browser"), browser.output());
                        Process set = x.client("sh", "-c", "printf 'from the Host' | xclip -selection clipboard -i");
                        set.waitFor(10, TimeUnit.SECONDS);
                        browser.type("go clipboard-sent");

                        assertEquals(0, browser.awaitExit(180_000), browser.output() + "\n" + why.get());
                        assertTrue(browser.output().contains("STEP done"), browser.output());
                    }
                    // The hostile messages closed their sockets; the console node is still up.
                    assertTrue(console.process().isAlive(), console.output());
                }
            } finally {
                logo.destroy();
            }
        }
    }

    /** The Host's clipboard, read with xclip, once it is {@code expected} (or after 15 s, whatever it is). */
    private static String awaitClipboard(Xvfb x, String expected) throws Exception {
        String text = "";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            ProcessBuilder pb = new ProcessBuilder("xclip", "-selection", "clipboard", "-o");
            pb.environment().put("DISPLAY", x.display);
            Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            text = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            if (text.equals(expected)) {
                return text;
            }
            Thread.sleep(200); // the Host puts it there when the console passes it on
        }
        return text;
    }
}
