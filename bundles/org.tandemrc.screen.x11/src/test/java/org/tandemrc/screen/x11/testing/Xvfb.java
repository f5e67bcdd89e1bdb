package org.tandemrc.screen.x11.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real X server for tests: Xvfb on a free display number, its framebuffer mapped to a file
 * ({@code -fbdir}) so a test can read the server's own pixels. Fails with a clear message when Xvfb
 * is not installed (.ci/run installs it). Shared with other modules' tests through this module's test jar.
 */
public final class Xvfb implements AutoCloseable {

    /** The display name, e.g. {@code :90}. */
    public final String display;
    /** Where Xvfb maps its framebuffer. */
    public final Path fbdir;
    private final Process process;

    private Xvfb(String display, Path fbdir, Process process) {
        this.display = display;
        this.fbdir = fbdir;
        this.process = process;
    }

    /**
     * Starts Xvfb with the classic stippled root window, so every capture has detail to compare, and
     * without a drawn cursor: the cursor travels apart from the picture.
     */
    public static Xvfb start(int width, int height, Path fbdir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/Xvfb"))) {
            throw new IllegalStateException("Xvfb is not installed (apt-get install xvfb); .ci/run installs it");
        }
        for (int n = 90; n < 190; n++) {
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            Process p = new ProcessBuilder("/usr/bin/Xvfb", ":" + n, "-screen", "0", width + "x" + height + "x24",
                    "-fbdir", fbdir.toString(), "-noreset", "-nolisten", "tcp", "-retro", "-nocursor")
                    .redirectErrorStream(true).redirectOutput(fbdir.resolve("xvfb.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && Files.exists(fbdir.resolve("Xvfb_screen0"))) {
                    return new Xvfb(":" + n, fbdir, p);
                }
                Thread.sleep(20); // waiting for another process to create its socket
            }
            p.destroy();
        }
        throw new IOException("could not start Xvfb; see " + fbdir.resolve("xvfb.log"));
    }

    /** The server's framebuffer, read from its XWD file, as 0x00RRGGBB. */
    public int[] framebuffer() throws IOException {
        byte[] file = Files.readAllBytes(fbdir.resolve("Xvfb_screen0"));
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(file));
        int[] h = new int[25];
        for (int i = 0; i < h.length; i++) {
            h[i] = in.readInt();
        }
        int headerSize = h[0];
        int width = h[4];
        int height = h[5];
        int byteOrder = h[7];
        int bitsPerPixel = h[11];
        int bytesPerLine = h[12];
        int ncolors = h[19];
        if (bitsPerPixel != 32) {
            throw new IOException("unexpected XWD depth " + bitsPerPixel);
        }
        ByteBuffer data = ByteBuffer.wrap(file, headerSize + ncolors * 12, bytesPerLine * height)
                .order(byteOrder == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int[] pixels = new int[width * height];
        int base = headerSize + ncolors * 12;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = data.getInt(base + y * bytesPerLine + x * 4) & 0xffffff;
            }
        }
        return pixels;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
