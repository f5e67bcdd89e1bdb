package org.tandemrc.screen.awt.internal;

import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.event.KeyEvent;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.MultiResolutionImage;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;

/**
 * The desktop through {@link Robot}: the portable fallback where no platform backend (the X11 bundle)
 * serves. Registered by {@link AwtScreenComponent} when Java has a desktop.
 *
 * <p>Coordinates are AWT's: the virtual desktop in user-space pixels, the space {@link Robot} works
 * in. {@link #displays()} follows the X11 backend: the whole desktop first, then, when AWT reports two
 * or more monitors, one display per monitor.
 *
 * <p>What Robot cannot do, this backend cannot either:
 * <ul>
 * <li>The pointer's shape is unknown, and {@link org.tandemrc.api.screen.Cursor} has no way to say
 * "somewhere, shape unknown" (a 0x0 shape means hidden), so {@link #cursor(Display)} stays empty; the
 * captured picture does not show the pointer either.</li>
 * <li>Keys follow a US keyboard layout ({@link UsKeyboard}); a keysym without a US key, and a
 * character a US keyboard does not type, are refused with an {@link IOException}, never dropped:
 * Robot cannot inject arbitrary Unicode.</li>
 * <li>Pointer buttons 1 to 3 only; the horizontal wheel ({@link InputEvent.Wheel#dx()}) is ignored,
 * as Robot has only the vertical one.</li>
 * <li>On a scaled (HiDPI) desktop the picture is the JDK's user-space image, scaled down from the
 * screen's pixels, so it is not pixel for pixel.</li>
 * </ul>
 */
public class AwtScreen implements ScreenSource, InputSink {

    /** What {@link #backend()} says. */
    static final String BACKEND = "awt-robot";
    /** The whole desktop's id. */
    static final String DESKTOP = "desktop";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.awt");

    private final Robot robot;
    /** Held around every injected event, so that a typed character's Shift wraps only its own key. */
    private final Object input = new Object();

    private AwtScreen(Robot robot) {
        this.robot = robot;
    }

    /**
     * Opens the desktop Java runs on.
     *
     * @throws AWTException when the platform does not allow input control
     * @throws java.awt.HeadlessException without a desktop
     * @throws java.awt.AWTError when the desktop (e.g. the X server) cannot be reached
     */
    public static AwtScreen open() throws AWTException {
        AwtScreen screen = new AwtScreen(new Robot());
        for (GraphicsDevice device : GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
            AffineTransform scale = device.getDefaultConfiguration().getDefaultTransform();
            if (scale.getScaleX() != 1 || scale.getScaleY() != 1) {
                LOG.log(System.Logger.Level.INFO, "screen {0} is scaled by {1}: the awt-robot backend captures the"
                        + " JDK''s scaled-down picture of it, not its own pixels", device.getIDstring(),
                        String.valueOf(scale.getScaleX()));
                break;
            }
        }
        return screen;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    /**
     * The whole desktop first, id {@value #DESKTOP}, the union of every screen device's bounds, so
     * callers that take the first display get all of it. (The X11 backend names it by its X display,
     * e.g. {@code :0}; AWT does not tell which display it uses, and {@code $DISPLAY} may name another
     * one, such as XQuartz's on macOS.) Then, when there are two or more monitors, one display per
     * monitor, left to right (then top to bottom), with the device's
     * {@link GraphicsDevice#getIDstring() IDstring} as id: stable while the monitor layout stays,
     * e.g. {@code :0.1} on X11 (the JDK's name for Xinerama screen 1, whatever the display),
     * {@code \Display1} on Windows, {@code Display 69733378} on macOS; {@code monitor-N}, N the
     * device's index, when it is blank or taken. As with X11, a device covering the whole desktop,
     * and a second one at the same place (a mirror), add nothing and are left out.
     *
     * @throws IOException when Java sees no screen device
     */
    @Override
    public List<Display> displays() throws IOException {
        GraphicsDevice[] devices = devices();
        Rectangle desktop = desktop(devices);
        List<Display> monitors = new ArrayList<>();
        Set<String> ids = new HashSet<>(Set.of(DESKTOP));
        for (int i = 0; i < devices.length; i++) {
            Rectangle b = devices[i].getDefaultConfiguration().getBounds();
            boolean whole = b.equals(desktop);
            boolean mirror = monitors.stream().anyMatch(
                    o -> o.x() == b.x && o.y() == b.y && o.width() == b.width && o.height() == b.height);
            if (b.isEmpty() || whole || mirror) {
                continue;
            }
            String id = devices[i].getIDstring();
            if (id == null || id.isBlank() || !ids.add(id)) {
                id = "monitor-" + i;
                ids.add(id);
            }
            monitors.add(new Display(id, b.x, b.y, b.width, b.height));
        }
        List<Display> all = new ArrayList<>();
        all.add(new Display(DESKTOP, desktop.x, desktop.y, desktop.width, desktop.height));
        if (monitors.size() >= 2) {
            monitors.sort(Comparator.comparingInt(Display::x).thenComparingInt(Display::y));
            all.addAll(monitors);
        }
        return List.copyOf(all);
    }

    private static GraphicsDevice[] devices() throws IOException {
        GraphicsDevice[] devices = GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
        if (devices.length == 0) {
            throw new IOException("Java sees no screen device");
        }
        return devices;
    }

    /** The virtual desktop: the union of the devices' bounds. */
    private static Rectangle desktop(GraphicsDevice[] devices) {
        Rectangle desktop = devices[0].getDefaultConfiguration().getBounds();
        for (GraphicsDevice d : devices) {
            desktop = desktop.union(d.getDefaultConfiguration().getBounds());
        }
        return desktop;
    }

    /**
     * Captures a region given relative to the display; the frame carries those display-relative
     * coordinates.
     *
     * @throws IllegalArgumentException when the region is not inside the display, or the display not
     *                                  (or no longer) inside the desktop
     * @throws IOException              when the JDK cannot return the region pixel for pixel
     */
    @Override
    public Frame capture(Display d, int x, int y, int w, int h) throws IOException {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || w > d.width() - x || h > d.height() - y) {
            throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y
                    + " is not inside display " + d.id() + " (" + d.width() + "x" + d.height() + ")");
        }
        Rectangle desktop = desktop(devices());
        Rectangle region = new Rectangle(d.x() + x, d.y() + y, w, h);
        if (!desktop.contains(region)) {
            throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y + " of display "
                    + d.id() + " (" + d.width() + "x" + d.height() + "+" + d.x() + "+" + d.y()
                    + ") is not inside the " + desktop.width + "x" + desktop.height + "+" + desktop.x + "+"
                    + desktop.y + " desktop");
        }
        BufferedImage image = robot.createScreenCapture(region);
        if (image.getWidth() != w || image.getHeight() != h) {
            image = variant(region);
        }
        return new Frame(x, y, w, h, pixels(image), System.nanoTime());
    }

    /** The variant of a multi-resolution capture that has the region's size, if the JDK offers one. */
    private BufferedImage variant(Rectangle region) throws IOException {
        MultiResolutionImage images = robot.createMultiResolutionScreenCapture(region);
        for (Image variant : images.getResolutionVariants()) {
            if (variant instanceof BufferedImage b && b.getWidth() == region.width && b.getHeight() == region.height) {
                return b;
            }
        }
        throw new IOException("the awt-robot backend cannot capture " + region.width + "x" + region.height + "+"
                + region.x + "+" + region.y + " pixel for pixel: the JDK returns no picture of that size"
                + " (a scaled desktop?)");
    }

    /**
     * An image's pixels as {@code 0x00RRGGBB}, row by row. A capture is {@code TYPE_INT_RGB} backed by
     * exactly its pixels, which are then taken as they are (the image is not used again); any other
     * layout is converted through {@link BufferedImage#getRGB}.
     */
    static int[] pixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = packedInts(image);
        if (pixels == null) {
            pixels = image.getRGB(0, 0, w, h, null, 0, w);
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xffffff;
        }
        return pixels;
    }

    /** The image's own int array when it holds exactly its pixels as 0x??RRGGBB, else null. */
    private static int[] packedInts(BufferedImage image) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_INT_ARGB) {
            return null;
        }
        WritableRaster raster = image.getRaster();
        if (!(raster.getDataBuffer() instanceof DataBufferInt buffer)
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel model)) {
            return null;
        }
        int[] data = buffer.getData();
        boolean exact = buffer.getNumBanks() == 1 && buffer.getOffset() == 0
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && model.getScanlineStride() == image.getWidth() && data.length == image.getWidth() * image.getHeight();
        return exact ? data : null;
    }

    /**
     * Injects an event; a pointer position is relative to the display. Buttons 1 (left), 2 (middle)
     * and 3 (right) only; a wheel's horizontal notches are ignored (Robot has no horizontal wheel).
     *
     * @throws IOException for another button, a keysym a US keyboard has no key for (the message says
     *                     which), or a key the platform refuses
     */
    @Override
    public void inject(Display d, InputEvent event) throws IOException {
        synchronized (input) {
            if (event instanceof InputEvent.PointerMove m) {
                robot.mouseMove(d.x() + m.x(), d.y() + m.y());
            } else if (event instanceof InputEvent.PointerButton b) {
                int mask = buttonMask(b.button());
                if (b.pressed()) {
                    robot.mousePress(mask);
                } else {
                    robot.mouseRelease(mask);
                }
            } else if (event instanceof InputEvent.Wheel wheel) {
                if (wheel.dy() != 0) {
                    robot.mouseWheel(wheel.dy());
                }
            } else if (event instanceof InputEvent.Key k) {
                int keyCode = UsKeyboard.keyCode(k.keysym());
                if (keyCode == KeyEvent.VK_UNDEFINED) {
                    throw new IOException(String.format("the awt-robot backend cannot press keysym 0x%x: java.awt.Robot"
                            + " presses only keys of a US keyboard layout", k.keysym()));
                }
                key(keyCode, k.pressed());
            }
        }
    }

    private static int buttonMask(int button) throws IOException {
        return switch (button) {
            case 1 -> java.awt.event.InputEvent.BUTTON1_DOWN_MASK;
            case 2 -> java.awt.event.InputEvent.BUTTON2_DOWN_MASK;
            case 3 -> java.awt.event.InputEvent.BUTTON3_DOWN_MASK;
            default -> throw new IOException("the awt-robot backend cannot press pointer button " + button
                    + ": only 1 (left), 2 (middle) and 3 (right)");
        };
    }

    private void key(int keyCode, boolean pressed) throws IOException {
        try {
            if (pressed) {
                robot.keyPress(keyCode);
            } else {
                robot.keyRelease(keyCode);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("this platform's java.awt.Robot refuses the key " + KeyEvent.getKeyText(keyCode)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Types one character as a US keyboard does: the key that produces it, with Shift when it is on the
     * shifted level; a line break is Enter, a tab Tab. That assumes the desktop's keyboard layout is
     * US too (elsewhere the same keys may type other characters).
     *
     * @throws IOException for a character a US keyboard does not type (java.awt.Robot cannot inject
     *                     arbitrary Unicode); nothing is typed then
     */
    @Override
    public void typeCharacter(Display d, int codePoint) throws IOException {
        UsKeyboard.Stroke stroke = UsKeyboard.stroke(codePoint).orElseThrow(() -> new IOException(
                "the awt-robot backend can only type characters of a US keyboard layout, not " + describe(codePoint)
                        + " (java.awt.Robot cannot inject arbitrary Unicode)"));
        synchronized (input) {
            if (stroke.shift()) {
                key(KeyEvent.VK_SHIFT, true);
            }
            try {
                key(stroke.keyCode(), true);
                key(stroke.keyCode(), false);
            } finally {
                if (stroke.shift()) {
                    key(KeyEvent.VK_SHIFT, false);
                }
            }
        }
    }

    /** {@code U+00E9 'é'}, or just {@code U+000D} for a control character or no character at all. */
    private static String describe(int codePoint) {
        String hex = String.format("U+%04X", codePoint);
        return Character.isValidCodePoint(codePoint) && !Character.isISOControl(codePoint)
                ? hex + " '" + Character.toString(codePoint) + "'" : hex;
    }
}
