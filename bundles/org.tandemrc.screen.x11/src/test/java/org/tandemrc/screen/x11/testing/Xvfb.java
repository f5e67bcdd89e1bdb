package org.tandemrc.screen.x11.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real X server for tests: Xvfb on a free display number, its framebuffer mapped to a file
 * ({@code -fbdir}) so a test can read the server's own pixels. Fails with a clear message when Xvfb
 * is not installed (.ci/run installs it). Shared with other modules' tests through this module's test jar.
 */
public final class Xvfb implements AutoCloseable {

    /** The server's own keyboard and pointer, which stand for the person's (XInput 2 slave devices). */
    public static final String KEYBOARD = "Xvfb keyboard";
    public static final String MOUSE = "Xvfb mouse";
    /** The devices XTest input arrives through. */
    public static final String XTEST_KEYBOARD = "Virtual core XTEST keyboard";
    public static final String XTEST_POINTER = "Virtual core XTEST pointer";

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
        return start(width, height, fbdir, new String[0]);
    }

    /**
     * Starts Xvfb as {@link #start(int, int, Path)} does, with more server options, e.g.
     * {@code "-extension", "XFIXES"} to run without an extension.
     */
    public static Xvfb start(int width, int height, Path fbdir, String... serverOptions)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/Xvfb"))) {
            throw new IllegalStateException("Xvfb is not installed (apt-get install xvfb); .ci/run installs it");
        }
        for (int n = 90; n < 190; n++) {
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            List<String> command = new ArrayList<>(List.of("/usr/bin/Xvfb", ":" + n, "-screen", "0",
                    width + "x" + height + "x24", "-fbdir", fbdir.toString(), "-noreset", "-nolisten", "tcp", "-retro",
                    "-nocursor"));
            command.addAll(List.of(serverOptions));
            Process p = new ProcessBuilder(command)
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

    /**
     * Runs {@code xrandr} on this display with the given arguments, e.g. {@code --setmonitor left
     * 960/254x1080/286+0+0 none}, and returns what it printed. Fails with a clear message when xrandr
     * is not installed (apt-get install x11-xserver-utils) or refuses the arguments.
     */
    public String xrandr(String... args) throws IOException, InterruptedException {
        return tool("xrandr", "x11-xserver-utils", args);
    }

    /**
     * Runs {@code xinput} on this display with the given arguments, e.g. {@code list}, and returns what it
     * printed. Fails with a clear message when xinput is not installed (apt-get install xinput).
     */
    public String xinput(String... args) throws IOException, InterruptedException {
        return tool("xinput", "xinput", args);
    }

    /**
     * Whether the X server has the device named {@code name} attached to a master now (per {@code xinput
     * list}); false when it floats, as a grabbed or detached device does.
     */
    public boolean attached(String name) throws IOException, InterruptedException {
        for (String line : xinput("list").split("\n")) {
            if (line.contains(name + " ") && line.contains("id=")) {
                return !line.contains("floating slave");
            }
        }
        throw new IOException("the X server has no device '" + name + "'");
    }

    /** Runs the X client tool {@code program} (from Debian package {@code pkg}) on this display. */
    private String tool(String program, String pkg, String... args) throws IOException, InterruptedException {
        Path path = Path.of("/usr/bin", program);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(program + " is not installed (apt-get install " + pkg + "); .ci/run installs it");
        }
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(program + " " + String.join(" ", args) + " did not finish within 10 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(program + " " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                    + output);
        }
        return output;
    }

    /**
     * Starts an X client on this display, e.g. {@code xlogo -geometry 200x200+1000+100}; its output
     * goes to {@code NAME.log} in {@link #fbdir}. The caller destroys the process.
     */
    public Process client(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(fbdir.resolve(Path.of(command[0]).getFileName() + ".log").toFile());
        pb.environment().put("DISPLAY", display);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the X client " + command[0]
                    + " (is it installed? .ci/run installs the ones the tests use): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
