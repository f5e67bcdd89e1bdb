package org.tandemrc.guest.cli.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.screen.client.ColorDepth;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.Keysyms;
import org.tandemrc.api.screen.client.Quality;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.client.RemoteScreens;
import org.tandemrc.api.screen.client.ViewOptions;

/**
 * The remote-control commands of {@code tandem guest}, written on the same {@link RemoteScreens} API a
 * graphical front end uses: screenshot, type, keys, clipboard, watch, latency.
 */
final class RemoteActions {

    private static final long WAIT_SECONDS = 30;

    private final RemoteScreens screens;
    private final HostConnection connection;
    private final View view;

    /** The display, quality and colours asked for on the command line. */
    record View(String display, Quality quality, ColorDepth colors) {
        /** Parses the options; null when one is not understood. */
        static View parse(String display, String quality, String colors) {
            Quality q = quality == null ? Quality.LOSSLESS : switch (quality) {
                case "lossless" -> Quality.LOSSLESS;
                case "balanced" -> Quality.BALANCED;
                case "low" -> Quality.LOW_BANDWIDTH;
                default -> null;
            };
            ColorDepth c = colors == null ? ColorDepth.TRUE_COLOR : switch (colors) {
                case "true" -> ColorDepth.TRUE_COLOR;
                case "256" -> ColorDepth.COLORS_256;
                case "16" -> ColorDepth.COLORS_16;
                case "2" -> ColorDepth.COLORS_2;
                default -> null;
            };
            return q == null || c == null ? null : new View(display, q, c);
        }
    }

    RemoteActions(RemoteScreens screens, HostConnection connection, View view) {
        this.screens = screens;
        this.connection = connection;
        this.view = view;
    }

    /** What a command hears; the command thread waits on it. */
    private static class Heard implements RemoteScreen.Listener {
        final CompletableFuture<Display> shown = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicReference<String> refused = new AtomicReference<>();
        final BlockingQueue<String> clipboard = new LinkedBlockingQueue<>();
        volatile BufferedImage image;

        @Override
        public void layout(List<Display> displays, Display display, String backend) {
            image = new BufferedImage(display.width(), display.height(), BufferedImage.TYPE_INT_RGB);
            shown.complete(display);
        }

        @Override
        public void update(List<Frame> rectangles) {
            BufferedImage i = image;
            for (Frame r : rectangles) {
                i.setRGB(r.x(), r.y(), r.width(), r.height(), r.pixels(), 0, r.width());
            }
        }

        @Override
        public void clipboard(String text) {
            clipboard.add(text);
        }

        @Override
        public void refused(String reason) {
            refused.compareAndSet(null, reason);
        }

        @Override
        public void closed(String reason) {
            closed.complete(reason);
        }
    }

    String run(String verb, List<String> args) throws GuestException, InterruptedException {
        return switch (verb) {
            case "screenshot" -> screenshot(Path.of(args.get(0)), view.display());
            case "type" -> input(v -> v.type(String.join(" ", args)),
                    "typed " + String.join(" ", args).codePoints().count() + " character(s)");
            case "keys" -> {
                List<Integer> keys;
                try {
                    keys = Keysyms.parse(String.join("", args));
                } catch (IllegalArgumentException e) {
                    throw new GuestException(e.getMessage());
                }
                yield input(v -> v.keys(keys), "pressed " + String.join("", args));
            }
            case "clipboard" -> clipboard(args);
            case "watch" -> watch(args.isEmpty() ? 10 : seconds("watch", args.get(0)));
            case "lock" -> lock(args.isEmpty() ? 60 : seconds("lock", args.get(0)));
            case "latency" -> latency(args.isEmpty() ? 30 : samples(args.get(0)));
            default -> throw new GuestException("unknown remote-control command " + verb);
        };
    }

    private static int seconds(String verb, String s) throws GuestException {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 86_400) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new GuestException(verb + " for 1 to 86400 seconds, not '" + s + "'");
    }

    private static int samples(String s) throws GuestException {
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new GuestException("measure 1 to 10000 keystrokes, not '" + s + "'");
    }

    private String screenshot(Path out, String display) throws GuestException, InterruptedException {
        CompletableFuture<Void> first = new CompletableFuture<>();
        Heard once = new Heard() {
            @Override
            public void update(List<Frame> rectangles) {
                super.update(rectangles);
                first.complete(null);
            }
        };
        try (RemoteScreen view = screens.open(connection,
                new ViewOptions(display, Quality.LOSSLESS, ColorDepth.TRUE_COLOR, false, false), once)) {
            await(CompletableFuture.anyOf(first, once.closed), "the Host's screen");
            if (!first.isDone()) {
                throw new GuestException(once.closed.join());
            }
            BufferedImage image = once.image;
            Path parent = out.toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
                Path tmp = Files.createTempFile(parent, ".screenshot", ".png");
                try {
                    if (!ImageIO.write(image, "png", tmp.toFile())) {
                        throw new IOException("no PNG writer");
                    }
                    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new GuestException("cannot write " + out + ": " + e.getMessage());
            }
            return "saved a " + image.getWidth() + "x" + image.getHeight() + " screenshot to " + out.toAbsolutePath();
        }
    }

    private interface Action {
        void on(RemoteScreen view);
    }

    /** Sends input, waits until the Host handled it, and reports a refusal as a failure. */
    private String input(Action action, String done) throws GuestException, InterruptedException {
        Heard heard = new Heard();
        try (RemoteScreen v = screens.open(connection, null, heard)) {
            action.on(v);
            awaitSync(v, heard);
            return done;
        }
    }

    private void awaitSync(RemoteScreen v, Heard heard) throws GuestException, InterruptedException {
        CompletableFuture<Void> synced = v.sync().toCompletableFuture();
        await(CompletableFuture.anyOf(synced, heard.closed), "the Host to handle the input");
        if (heard.refused.get() != null) {
            throw new GuestException(GuestException.Reason.SESSION_REFUSED, "refused: " + heard.refused.get());
        }
        if (!synced.isDone()) {
            throw new GuestException(heard.closed.join());
        }
    }

    private String clipboard(List<String> args) throws GuestException, InterruptedException {
        Heard heard = new Heard();
        try (RemoteScreen v = screens.open(connection, null, heard)) {
            if (args.get(0).equals("get")) {
                v.requestClipboard();
                awaitSync(v, heard);
                String text = heard.clipboard.poll();
                return text == null ? "" : text;
            }
            String text = String.join(" ", args.subList(1, args.size()));
            v.setClipboard(text);
            awaitSync(v, heard);
            return "clipboard set (" + text.codePoints().count() + " characters)";
        }
    }

    private String watch(int seconds) throws GuestException, InterruptedException {
        long[] counts = new long[2];
        StringBuilder layout = new StringBuilder();
        Heard heard = new Heard() {
            @Override
            public void layout(List<Display> displays, Display shown, String backend) {
                synchronized (counts) {
                    layout.setLength(0);
                    layout.append("Host screen through ").append(backend).append("; displays:");
                    for (Display d : displays) {
                        layout.append(String.format("%n  %s %dx%d+%d+%d%s", d.id(), d.width(), d.height(), d.x(), d.y(),
                                d.equals(shown) ? "  (shown)" : ""));
                    }
                    layout.append(System.lineSeparator());
                }
            }

            @Override
            public void update(List<Frame> rectangles) {
                synchronized (counts) {
                    counts[0]++;
                    counts[1] += rectangles.size();
                }
            }
        };
        long start = System.nanoTime();
        try (RemoteScreen v = screens.open(connection,
                new ViewOptions(view.display(), view.quality(), view.colors(), true, false), heard)) {
            stayOpen(heard, seconds);
        }
        double s = (System.nanoTime() - start) / 1e9;
        synchronized (counts) {
            return layout + String.format("%d frames, %d rectangles in %.1f s (%.1f frames/s)", counts[0], counts[1], s,
                    counts[0] / s);
        }
    }

    /** Waits {@code seconds} while the session stays open; fails with the Host's reason when it ends sooner. */
    private static void stayOpen(Heard heard, int seconds) throws GuestException, InterruptedException {
        try {
            heard.closed.get(seconds, TimeUnit.SECONDS);
            throw new GuestException(heard.closed.join());
        } catch (TimeoutException e) {
            // open for the whole time
        } catch (ExecutionException e) {
            throw new GuestException(String.valueOf(e.getCause()));
        }
    }

    /**
     * Locks the person's keyboard and mouse at the Host for {@code seconds}, then unlocks them. The Host lets go
     * by itself when this session ends: this Guest disconnecting, or its process dying.
     */
    private String lock(int seconds) throws GuestException, InterruptedException {
        Heard heard = new Heard();
        try (RemoteScreen v = screens.open(connection, null, heard)) {
            v.lockInput(true);
            awaitSync(v, heard);
            stayOpen(heard, seconds);
            v.lockInput(false);
            awaitSync(v, heard);
            return "kept the Host's keyboard and mouse locked for " + seconds + " s; unlocked them";
        }
    }

    /**
     * Presses a key (into whatever has the focus on the Host, e.g. a terminal) whenever the screen has
     * been still for a moment, and times how long until the next picture arrives: keystroke to pixels.
     */
    private String latency(int samples) throws GuestException, InterruptedException {
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        Heard heard = new Heard() {
            @Override
            public void update(List<Frame> rectangles) {
                arrivals.add(System.nanoTime());
            }
        };
        try (RemoteScreen v = screens.open(connection, ViewOptions.defaults(), heard)) {
            long[] times = new long[samples];
            for (int i = 0; i < samples; i++) {
                while (arrivals.poll(300, TimeUnit.MILLISECONDS) != null) {
                    // wait until the screen has been still for 300 ms
                }
                if (heard.closed.isDone()) {
                    throw new GuestException(heard.closed.join());
                }
                long t0 = System.nanoTime();
                v.key('x', true);
                v.key('x', false);
                Long arrived = arrivals.poll(5, TimeUnit.SECONDS);
                if (heard.refused.get() != null) {
                    throw new GuestException(GuestException.Reason.SESSION_REFUSED, "refused: " + heard.refused.get());
                }
                if (arrived == null) {
                    throw new GuestException("no picture arrived within 5 s of a keystroke; is a terminal focused?");
                }
                times[i] = arrived - t0;
            }
            Arrays.sort(times);
            return String.format("keystroke to pixels over %d keystrokes: median %.1f ms, p95 %.1f ms, max %.1f ms",
                    samples, times[samples / 2] / 1e6, times[Math.min(samples - 1, (int) Math.ceil(samples * 0.95) - 1)] / 1e6,
                    times[samples - 1] / 1e6);
        }
    }

    private static void await(CompletableFuture<?> f, String what) throws GuestException, InterruptedException {
        try {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new GuestException(String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new GuestException("timed out waiting for " + what);
        }
    }
}
