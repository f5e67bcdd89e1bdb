package org.tandemrc.session.remotecontrol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Clipboard;
import org.tandemrc.api.screen.client.ColorDepth;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.LocalInputLock;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.screen.client.Quality;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.screen.client.ViewOptions;
import org.tandemrc.api.security.Privilege;

/** The Guest API against the Host side, in one process, over a fake screen of two monitors. */
class RemoteScreenTest {

    private static final int W = 200;
    private static final int H = 100;
    private static final Display WHOLE = new Display(":0", 0, 0, W, H);
    private static final Display LEFT = new Display("left", 0, 0, 100, H);
    private static final Display RIGHT = new Display("right", 100, 0, 100, H);

    /** A screen of two monitors side by side whose pixels and pointer the test sets. */
    static final class FakeScreen implements ScreenSource, InputSink, Clipboard {
        volatile int[] pixels = new int[W * H];
        volatile Cursor cursor; // in whole-screen coordinates
        final List<InputEvent> injected = new CopyOnWriteArrayList<>();
        volatile String clipboard = "";
        /** Captures written into an array the Host handed back. */
        volatile int reused;

        @Override
        public List<Display> displays() {
            return List.of(WHOLE, LEFT, RIGHT);
        }

        @Override
        public Frame capture(Display d, int x, int y, int w, int h) {
            return capture(d, x, y, w, h, null);
        }

        /**
         * Writes into {@code reuse} as the X11 source does: a Host that handed over an array it still
         * compares against would find no change, and these tests' pictures would come out wrong.
         */
        @Override
        public Frame capture(Display d, int x, int y, int w, int h, int[] reuse) {
            int[] all = pixels;
            int[] out = reuse != null && reuse.length == w * h ? reuse : new int[w * h];
            if (out == reuse) {
                reused++;
            }
            for (int row = 0; row < h; row++) {
                System.arraycopy(all, (d.y() + y + row) * W + d.x() + x, out, row * w, w);
            }
            return new Frame(x, y, w, h, out, System.nanoTime());
        }

        @Override
        public Optional<Cursor> cursor(Display d) {
            Cursor c = cursor;
            return c == null ? Optional.empty() : Optional.of(new Cursor(c.x() - d.x(), c.y() - d.y(), c.hotX(), c.hotY(),
                    c.width(), c.height(), c.argb(), c.serial()));
        }

        @Override
        public String backend() {
            return "fake";
        }

        @Override
        public void inject(Display display, InputEvent event) throws java.io.IOException {
            assertEquals(WHOLE, display, "input goes to the whole screen");
            if (event instanceof InputEvent.Key k && k.keysym() == UNTYPABLE) {
                throw new java.io.IOException("the fake backend cannot press keysym 0x" + Integer.toHexString(UNTYPABLE));
            }
            injected.add(event);
        }

        @Override
        public Optional<String> text() {
            return Optional.of(clipboard);
        }

        @Override
        public void setText(String text) {
            clipboard = text;
        }

        int[] region(Display d) {
            return capture(d, 0, 0, d.width(), d.height()).pixels();
        }
    }

    /** A lock of the person's keyboard and mouse that counts its open holds, or refuses with {@code refusal}. */
    static final class FakeLock implements LocalInputLock {
        final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
        volatile String refusal;

        @Override
        public Hold lock() throws java.io.IOException {
            if (refusal != null) {
                throw new java.io.IOException(refusal);
            }
            open.incrementAndGet();
            java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
            return () -> {
                if (closed.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
            };
        }
    }

    /** Builds the picture from the updates and keeps everything else it hears. */
    static final class Picture implements RemoteScreen.Listener {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        volatile int[] image;
        volatile Display shown;
        volatile List<Display> displays;
        volatile String backend;
        final List<Boolean> exact = new CopyOnWriteArrayList<>();
        volatile int[] truth;

        @Override
        public synchronized void layout(List<Display> all, Display d, String b) {
            displays = all;
            shown = d;
            backend = b;
            image = new int[d.width() * d.height()];
            heard.add("layout " + d.id());
        }

        @Override
        public synchronized void update(List<Frame> rectangles) {
            for (Frame r : rectangles) {
                for (int row = 0; row < r.height(); row++) {
                    System.arraycopy(r.pixels(), row * r.width(), image, (r.y() + row) * shown.width() + r.x(), r.width());
                }
            }
            if (truth != null) {
                exact.add(Arrays.equals(image, truth));
            }
            heard.add("update");
        }

        @Override
        public void cursor(Cursor c) {
            heard.add(c);
        }

        @Override
        public void clipboard(String text) {
            heard.add("clipboard " + text);
        }

        @Override
        public void refused(String reason) {
            heard.add("refused " + reason);
        }

        @Override
        public void closed(String reason) {
            heard.add("closed " + reason);
        }

        /** The next thing heard that starts with a prefix (strings) or is a cursor, skipping others. */
        Object next(String prefix) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                Object o = heard.poll(100, TimeUnit.MILLISECONDS);
                if (o != null && (prefix == null ? o instanceof Cursor : o instanceof String s && s.startsWith(prefix))) {
                    return o;
                }
            }
            throw new AssertionError("never heard " + (prefix == null ? "a pointer" : "'" + prefix + "'"));
        }

        synchronized int[] image() {
            return image == null ? new int[0] : image.clone();
        }
    }

    private final FakeScreen screen = new FakeScreen();
    private final FakeLock inputLock = new FakeLock();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private Loopback connection;
    private RemoteControl lastControl;

    private RemoteScreen view(Set<Privilege> privileges, ViewOptions options, Picture picture) throws Exception {
        RemoteControl rc = new RemoteControl();
        lastControl = rc;
        rc.screens.add(screen);
        rc.clipboards.add(screen);
        rc.inputLocks.add(inputLock);
        rc.bindSink(events::add);
        RemoteInput ri = new RemoteInput();
        ri.screens.add(screen);
        ri.inputs.add(screen);
        connection = new Loopback(privileges, rc, ri);
        return rc.open(connection, options, picture);
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close("test over");
        }
    }

    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);
    /** A key the fake platform cannot press: ü. */
    private static final int UNTYPABLE = 0xfc;

    /** Smooth colours plus noise: thousands of colours per tile, as in a photo. */
    private static int[] photo(long seed) {
        Random r = new Random(seed);
        int[] p = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int red = Math.min(255, x + r.nextInt(20));
                int green = Math.min(255, y * 2 + r.nextInt(20));
                int blue = Math.min(255, (x + y) / 2 + r.nextInt(20));
                p[y * W + x] = red << 16 | green << 8 | blue;
            }
        }
        return p;
    }

    private static void awaitExact(Picture picture, int[] expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Arrays.equals(picture.image(), expected)) {
            if (System.nanoTime() > end) {
                assertArrayEquals(expected, picture.image(), "the Guest's picture");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theChosenMonitorIsShownExactlyAndInputLandsOnIt() throws Exception {
        screen.pixels = photo(1);
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, new ViewOptions("right", Quality.LOSSLESS, ColorDepth.TRUE_COLOR, true, false),
                picture);
        picture.next("layout right");
        assertEquals(List.of(WHOLE, LEFT, RIGHT), picture.displays);
        assertEquals("fake", picture.backend);
        picture.next("update");
        assertArrayEquals(screen.region(RIGHT), picture.image(), "the first picture of a lossless view is exact");
        int[] changed = screen.pixels.clone();
        Arrays.fill(changed, 150 * 1 + 50 * W, 150 + 50 * W + 10, 0xff0000); // ten red pixels on the right monitor
        screen.pixels = changed;
        awaitExact(picture, screen.region(RIGHT));

        view.pointer(10, 20);
        view.button(1, true);
        view.button(1, false);
        view.wheel(0, 2);
        view.keys(List.of(0xffe3, 0xffe9, 0xffff));
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new InputEvent.PointerMove(110, 20), new InputEvent.PointerButton(1, true),
                new InputEvent.PointerButton(1, false), new InputEvent.Wheel(0, 2), new InputEvent.Key(0xffe3, true),
                new InputEvent.Key(0xffe9, true), new InputEvent.Key(0xffff, true), new InputEvent.Key(0xffff, false),
                new InputEvent.Key(0xffe9, false), new InputEvent.Key(0xffe3, false)), screen.injected);

        view.change(new ViewOptions("left", Quality.LOSSLESS, ColorDepth.TRUE_COLOR, true, false));
        picture.next("layout left");
        awaitExact(picture, screen.region(LEFT));
    }

    /** Rows of distinct content, as if line {@code offset} were at the top. */
    private static int[] lines(int offset) {
        int[] p = new int[W * H];
        for (int y = 0; y < H; y++) {
            Random r = new Random(y + offset);
            for (int x = 0; x < W; x++) {
                p[y * W + x] = r.nextInt(4) == 0 ? 0 : 0xffffff; // dark "glyph" pixels on white
            }
        }
        return p;
    }

    @Test
    void aScrolledPictureArrivesExactlyThroughTheGuestsCopies() throws Exception {
        screen.pixels = lines(0);
        Picture picture = new Picture();
        view(ALL, ViewOptions.defaults(), picture);
        awaitExact(picture, screen.region(WHOLE));
        for (int offset = 7; offset <= 35; offset += 7) {
            assertFalse(ScrollsTest.detect(screen.pixels, lines(offset), W, H).isEmpty(), "the test scrolls");
            screen.pixels = lines(offset);
            awaitExact(picture, screen.region(WHOLE));
        }
        assertTrue(screen.reused > 0, "the Host captured into arrays it handed back");
    }

    @Test
    void aViewOnlyGuestsInputIsRefusedAndNothingReachesTheScreen() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(EnumSet.of(Privilege.VIEW_SCREEN), ViewOptions.defaults(), picture);
        picture.next("update");
        view.type("nope");
        view.pointer(1, 1);
        String refused = (String) picture.next("refused");
        assertTrue(refused.contains("does not allow Keyboard and Mouse"), refused);
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), screen.injected);
        view.lockInput(true);
        refused = (String) picture.next("refused");
        assertEquals("refused your role does not allow locking the Host's keyboard and mouse", refused);
    }

    @Test
    void inputThePlatformCannotDoIsRefusedAndTheSessionGoesOn() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        view.type("Grüße");
        String refused = (String) picture.next("refused");
        assertEquals("refused the fake backend cannot press keysym 0xfc", refused);
        view.type("ok");
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new InputEvent.Key('G', true), new InputEvent.Key('G', false), new InputEvent.Key('r', true),
                new InputEvent.Key('r', false), new InputEvent.Key('o', true), new InputEvent.Key('o', false),
                new InputEvent.Key('k', true), new InputEvent.Key('k', false)), screen.injected,
                "the rest of the refused text is dropped, later input arrives");
    }

    @Test
    void blankIsRefusedWithThePlatformsReason() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        view.blankScreen(true);
        assertTrue(((String) picture.next("refused")).contains("cannot blank its screen: on X11 a monitor powered off"));
    }

    @Test
    void aLockIsOneHoldPerGuestUntilItUnlocksAndBothAreRecorded() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        view.lockInput(true);
        view.lockInput(true); // again: still one hold
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, inputLock.open.get());
        assertEquals(List.of(EventCodes.HOST_KEYBOARD_LOCKED), events.stream().map(AuditEvent::code).toList());
        assertEquals("guest", events.get(0).user());
        view.lockInput(false);
        view.lockInput(false); // again: nothing more to let go
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, inputLock.open.get());
        assertEquals(List.of(EventCodes.HOST_KEYBOARD_LOCKED, EventCodes.HOST_KEYBOARD_UNLOCKED),
                events.stream().map(AuditEvent::code).toList());
        assertEquals("the Guest unlocked them", events.get(1).detail());
        assertTrue(picture.heard.stream().noneMatch(o -> o instanceof String s && s.startsWith("refused")), picture.heard.toString());
    }

    @Test
    void theLockEndsWithTheSession() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        view.lockInput(true);
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, inputLock.open.get());
        view.close(); // the channel ends as when the connection does (LockIT kills a real Guest)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // The Host side hears of the end on its own thread, and records the unlock just after releasing it.
        while ((inputLock.open.get() != 0 || events.isEmpty()
                || !events.get(events.size() - 1).code().equals(EventCodes.HOST_KEYBOARD_UNLOCKED))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, inputLock.open.get());
        AuditEvent unlocked = events.get(events.size() - 1);
        assertEquals(EventCodes.HOST_KEYBOARD_UNLOCKED, unlocked.code());
        assertTrue(unlocked.detail().startsWith("the session ended"), unlocked.detail());
    }

    @Test
    void aLockThePlatformCannotDoIsRefusedWithItsReasonAndNothingIsRecorded() throws Exception {
        inputLock.refusal = "this Host cannot lock its keyboard and mouse: the X server lacks XInput 2";
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        view.lockInput(true);
        assertEquals("refused " + inputLock.refusal, picture.next("refused"));
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), events);
    }

    @Test
    void aHostWhoseScreenOffersNoLockRefusesIt() throws Exception {
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, null, picture);
        picture.next("layout");
        lastControl.inputLocks.clear();
        view.lockInput(true);
        assertEquals("refused this Host cannot lock its keyboard and mouse: its screen backend (fake) offers no lock;"
                + " X11 with XInput 2 does", picture.next("refused"));
        assertEquals(0, inputLock.open.get());
    }

    @Test
    void photoTilesGoAsJpegAndAreReplacedExactlyOnceStill() throws Exception {
        screen.pixels = photo(2);
        Picture picture = new Picture();
        picture.truth = screen.region(WHOLE);
        view(ALL, new ViewOptions(null, Quality.BALANCED, ColorDepth.TRUE_COLOR, true, false), picture);
        awaitExact(picture, screen.region(WHOLE));
        assertFalse(picture.exact.get(0), "the first picture is JPEG, not exact");
        assertTrue(picture.exact.get(picture.exact.size() - 1), "the last picture is exact");
    }

    @Test
    void colourLimitsReduceThePicture() throws Exception {
        screen.pixels = photo(3);
        for (ColorDepth depth : new ColorDepth[] {ColorDepth.COLORS_256, ColorDepth.COLORS_16, ColorDepth.COLORS_2}) {
            Picture picture = new Picture();
            RemoteScreen view = view(ALL, new ViewOptions(null, Quality.LOSSLESS, depth, false, false), picture);
            picture.next("update");
            Set<Integer> colours = new HashSet<>();
            for (int p : picture.image()) {
                colours.add(p);
            }
            int limit = depth == ColorDepth.COLORS_256 ? 256 : depth == ColorDepth.COLORS_16 ? 16 : 2;
            assertTrue(colours.size() <= limit && colours.size() > 1, depth + ": " + colours.size() + " colours");
            if (depth == ColorDepth.COLORS_2) {
                assertEquals(Set.of(0, 0xffffff), colours);
            }
            view.close();
            connection.close("next");
        }
    }

    @Test
    void thePointerTravelsApartWithItsShapeOnce() throws Exception {
        int[] arrow = new int[4 * 6];
        Arrays.fill(arrow, 0xff000000);
        screen.cursor = new Cursor(150, 40, 1, 2, 4, 6, arrow, 7);
        Picture picture = new Picture();
        view(ALL, new ViewOptions("right", Quality.LOSSLESS, ColorDepth.TRUE_COLOR, true, false), picture);
        Cursor c = (Cursor) picture.next(null);
        assertEquals(new Cursor(50, 40, 1, 2, 4, 6, arrow, 7).toString().replaceAll("@\\w+", ""),
                c.toString().replaceAll("@\\w+", ""));
        assertArrayEquals(arrow, c.argb());
        screen.cursor = new Cursor(160, 45, 1, 2, 4, 6, arrow, 7);
        c = (Cursor) picture.next(null);
        assertEquals(60, c.x());
        assertEquals(45, c.y());
        assertArrayEquals(arrow, c.argb(), "the shape is kept by the Guest when only the position changes");
    }

    @Test
    void aFollowedClipboardArrivesWhenItChangesButIsNotEchoed() throws Exception {
        screen.clipboard = "before";
        Picture picture = new Picture();
        RemoteScreen view = view(ALL, new ViewOptions(null, Quality.LOSSLESS, ColorDepth.TRUE_COLOR, true, true), picture);
        assertEquals("clipboard before", picture.next("clipboard"));
        screen.clipboard = "Ωμέγα 日本語";
        assertEquals("clipboard Ωμέγα 日本語", picture.next("clipboard"));
        view.setClipboard("from the Guest");
        view.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals("from the Guest", screen.clipboard);
        screen.clipboard = "after";
        assertEquals("clipboard after", picture.next("clipboard"), "the Guest's own text is not sent back");
        List<Object> rest = new ArrayList<>(picture.heard);
        assertFalse(rest.contains("clipboard from the Guest"), rest.toString());
    }
}
