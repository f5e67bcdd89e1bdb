package org.tandemrc.session.remotecontrol.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;

/**
 * The Guest side for the command line: {@code screenshot FILE.png}, {@code type TEXT},
 * {@code keys COMBINATION}. It ends the session with "ok: ..." or the reason it failed.
 */
final class GuestAction implements SessionHandler {

    private final SessionContext context;
    private final String verb;
    private final List<String> args;
    private int width;
    private int height;
    private String refused;
    /** The session's zlib stream continues from frame to frame. */
    private final java.util.zip.Inflater inflater = new java.util.zip.Inflater();
    private final java.util.concurrent.BlockingQueue<Long> frameArrivals = new java.util.concurrent.LinkedBlockingQueue<>();
    private int watchSeconds;
    private long watchStart;
    private long frames;
    private long frameBytes;
    private long tiles;
    private String clip;

    GuestAction(SessionContext context) {
        this.context = context;
        List<String> a = context.arguments();
        this.verb = a.isEmpty() ? "" : a.get(0);
        this.args = a.isEmpty() ? List.of() : a.subList(1, a.size());
        try {
            switch (verb) {
                case "screenshot" -> send(ByteBuffer.wrap(new byte[] {(byte) Wire.START, (byte) Wire.MODE_ONCE,
                    (byte) Wire.QUALITY_LOSSLESS}));
                case "type" -> {
                    send(Wire.text(Wire.TEXT, String.join(" ", args)));
                    send(Wire.message(Wire.SYNC, 1));
                }
                case "keys" -> {
                    List<Integer> keys = Keys.parse(String.join("", args));
                    for (int k : keys) {
                        send(key(k, true));
                    }
                    for (int i = keys.size() - 1; i >= 0; i--) {
                        send(key(keys.get(i), false));
                    }
                    send(Wire.message(Wire.SYNC, 1));
                }
                case "watch" -> {
                    watchSeconds = args.isEmpty() ? 10 : Integer.parseInt(args.get(0));
                    if (watchSeconds < 1 || watchSeconds > 86_400) {
                        throw new IllegalArgumentException("watch for 1 to 86400 seconds");
                    }
                    watchStart = System.nanoTime();
                    // An unchanged screen sends nothing, so the end cannot wait for a frame.
                    java.util.Timer timer = new java.util.Timer("tandem-watch", true);
                    timer.schedule(new java.util.TimerTask() {
                        @Override
                        public void run() {
                            finishWatch();
                        }
                    }, watchSeconds * 1000L);
                    send(ByteBuffer.wrap(new byte[] {(byte) Wire.START, (byte) Wire.MODE_STREAM,
                        (byte) Wire.QUALITY_LOSSLESS}));
                }
                case "latency" -> {
                    int samples = args.isEmpty() ? 30 : Integer.parseInt(args.get(0));
                    if (samples < 1 || samples > 10_000) {
                        throw new IllegalArgumentException("measure 1 to 10000 keystrokes");
                    }
                    send(ByteBuffer.wrap(new byte[] {(byte) Wire.START, (byte) Wire.MODE_STREAM,
                        (byte) Wire.QUALITY_LOSSLESS}));
                    Thread t = new Thread(() -> measureLatency(samples), "tandem-latency");
                    t.setDaemon(true);
                    t.start();
                }
                case "clipboard" -> {
                    if (!args.isEmpty() && args.get(0).equals("get")) {
                        send(Wire.message(Wire.CLIP_GET));
                        send(Wire.message(Wire.SYNC, 1));
                    } else if (args.size() >= 2 && args.get(0).equals("set")) {
                        String text = String.join(" ", args.subList(1, args.size()));
                        if (text.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_CLIPBOARD) {
                            throw new IllegalArgumentException("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes");
                        }
                        send(Wire.text(Wire.CLIP_SET, text));
                        send(Wire.message(Wire.SYNC, 1));
                    } else {
                        throw new IllegalArgumentException("say 'clipboard get' or 'clipboard set TEXT'");
                    }
                }
                default -> context.channel().close("unknown remote-control action '" + verb + "'");
            }
        } catch (IllegalArgumentException e) {
            context.channel().close(e.getMessage());
        }
    }

    private void send(ByteBuffer message) {
        context.channel().send(message);
    }

    private static ByteBuffer key(int keysym, boolean pressed) {
        return ByteBuffer.allocate(6).put((byte) Wire.KEY).putInt(keysym).put((byte) (pressed ? 1 : 0)).flip();
    }

    @Override
    public void received(ByteBuffer m) {
        int type = m.get() & 0xff;
        switch (type) {
            case Wire.INFO -> {
                width = m.getInt();
                height = m.getInt();
                if (width <= 0 || height <= 0 || width > Wire.MAX_SIDE || height > Wire.MAX_SIDE) {
                    context.channel().close("the Host reported a screen of " + width + "x" + height);
                }
            }
            case Wire.FRAME -> {
                if (verb.equals("latency")) {
                    Wire.DecodedFrame f;
                    try {
                        f = Wire.decodeFrame(m, width, height, inflater);
                    } catch (IllegalArgumentException e) {
                        context.channel().close("the Host sent a bad frame: " + e.getMessage());
                        return;
                    }
                    frameArrivals.add(System.nanoTime());
                    context.channel().send(Wire.message(Wire.ACK, f.sequence()));
                } else if (verb.equals("watch")) {
                    watched(m);
                } else {
                    screenshot(m);
                }
            }
            case Wire.REFUSED -> refused = StandardCharsets.UTF_8.decode(m).toString();
            case Wire.CLIP -> clip = StandardCharsets.UTF_8.decode(m).toString();
            case Wire.SYNCED -> context.channel().close(refused != null ? "refused: " + refused : "ok: " + outcome());
            default -> context.channel().close("unexpected remote-control message " + type);
        }
    }

    /** Counts a streamed frame, acknowledges it, and ends after the requested time. */
    private synchronized void watched(ByteBuffer m) {
        int size = m.remaining() + 1;
        Wire.DecodedFrame frame;
        try {
            frame = Wire.decodeFrame(m, width, height, inflater);
        } catch (IllegalArgumentException e) {
            context.channel().close("the Host sent a bad frame: " + e.getMessage());
            return;
        }
        frames++;
        frameBytes += size;
        tiles += frame.tiles().size();
        context.channel().send(Wire.message(Wire.ACK, frame.sequence()));
        if ((System.nanoTime() - watchStart) / 1e9 >= watchSeconds) {
            finishWatch();
        }
    }

    private synchronized void finishWatch() {
        double seconds = (System.nanoTime() - watchStart) / 1e9;
        context.channel().close(String.format("ok: %d frames, %d tiles, %d bytes in %.1f s (%.1f frames/s)",
                frames, tiles, frameBytes, seconds, frames / seconds));
    }

    /**
     * Presses a key (into whatever has the focus on the Host, e.g. a terminal) whenever the screen has
     * been still for a moment, and times how long until the next frame arrives: keystroke to pixels.
     */
    private void measureLatency(int samples) {
        try {
            long[] times = new long[samples];
            for (int i = 0; i < samples; i++) {
                // Wait for stillness: no frame for 300 ms.
                while (frameArrivals.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
                    // keep draining while the screen still changes
                }
                long t0 = System.nanoTime();
                context.channel().send(key(0x78, true)); // 'x'
                context.channel().send(key(0x78, false));
                Long arrived = frameArrivals.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                if (arrived == null) {
                    context.channel().close("no frame arrived within 5 s of a keystroke; is a terminal focused?");
                    return;
                }
                times[i] = arrived - t0;
            }
            java.util.Arrays.sort(times);
            context.channel().close(String.format("ok: keystroke to pixels over %d keystrokes: median %.1f ms, "
                    + "p95 %.1f ms, max %.1f ms", samples, times[samples / 2] / 1e6,
                    times[Math.min(samples - 1, (int) Math.ceil(samples * 0.95) - 1)] / 1e6, times[samples - 1] / 1e6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String outcome() {
        String all = String.join(" ", args);
        return switch (verb) {
            case "type" -> "typed " + all.codePointCount(0, all.length()) + " character(s)";
            case "keys" -> "pressed " + String.join("", args);
            case "clipboard" -> args.get(0).equals("get") ? (clip == null ? "" : clip)
                    : "clipboard set (" + String.join(" ", args.subList(1, args.size())).codePoints().count()
                            + " characters)";
            default -> "done";
        };
    }

    private void screenshot(ByteBuffer m) {
        if (width == 0) {
            context.channel().close("a frame arrived before the screen size");
            return;
        }
        Wire.DecodedFrame frame;
        try {
            frame = Wire.decodeFrame(m, width, height, inflater);
        } catch (IllegalArgumentException e) {
            context.channel().close("the Host sent a bad frame: " + e.getMessage());
            return;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (Wire.Tile t : frame.tiles()) {
            image.setRGB(t.x(), t.y(), t.width(), t.height(), t.pixels(), 0, t.width());
        }
        context.channel().send(Wire.message(Wire.ACK, frame.sequence()));
        Path out = Path.of(args.isEmpty() ? "screenshot.png" : args.get(0));
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".screenshot", ".png");
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            context.channel().close("ok: saved a " + width + "x" + height + " screenshot to " + out.toAbsolutePath());
        } catch (IOException e) {
            context.channel().close("cannot write " + out + ": " + e.getMessage());
        }
    }

    @Override
    public void closed(String reason) {
        inflater.end(); // the Guest command reports the reason
    }
}
