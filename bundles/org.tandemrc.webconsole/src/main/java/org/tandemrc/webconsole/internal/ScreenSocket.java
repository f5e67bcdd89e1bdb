package org.tandemrc.webconsole.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.screen.client.ColorDepth;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.client.Quality;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.client.RemoteScreens;
import org.tandemrc.api.screen.client.ViewOptions;

/**
 * {@code /ws/screen}: one remote-control view in the browser. The Host's pictures go out as binary
 * messages, one an update, encoded ({@link Pictures}, type 3); type 2 is the pointer, with its shape when
 * it changed; everything else is JSON text. The page's keyboard, mouse, clipboard and its "ack" of each
 * picture come back as JSON text: the next picture is taken only once the browser has shown the last.
 */
@WebSocket
public class ScreenSocket {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconsole");
    static final byte POINTER = 2;
    /** What the page may send besides "view" and "ack". */
    private static final java.util.Set<String> INPUTS = java.util.Set.of("key", "keys", "type", "pointer", "button",
            "wheel", "clipboard-set", "clipboard-get", "lock", "blank", "sync");
    /** Input messages waiting for the one before at most: a page that sends more is closed. */
    private static final int MAX_PENDING_INPUT = 4096;
    /** And at most this many characters of it: a text message may be 2 MB. */
    private static final long MAX_PENDING_CHARS = 4L * 1024 * 1024;
    /** How long the browser may take to show a picture before the view is given up. */
    private static final long ACK_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);

    private final Connections connections;
    private final Connections.Link link;
    private final String display;
    private final Quality quality;
    private final ColorDepth colors;
    private final boolean followClipboard;
    private final Pictures pictures = new Pictures();
    private final Object acks = new Object();
    private final java.util.concurrent.atomic.AtomicLong pendingChars = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ThreadPoolExecutor input = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(MAX_PENDING_INPUT), r -> {
                Thread t = new Thread(r, "tandem-console-input");
                t.setDaemon(true);
                return t;
            });
    private boolean unacked;
    private Outbox out;
    private volatile RemoteScreen screen;
    private volatile boolean closed;
    private long cursorSerial = Long.MIN_VALUE;

    /**
     * @throws IllegalArgumentException for a quality or colour limit the page cannot have chosen
     */
    ScreenSocket(Connections connections, Connections.Link link, String display, String quality, String colors,
            String clipboard) {
        this.connections = connections;
        this.link = link;
        this.display = display == null || display.isBlank() ? null : display;
        this.quality = quality(quality);
        this.colors = colors(colors);
        this.followClipboard = "on".equals(clipboard);
    }

    static Quality quality(String name) {
        if (name == null || name.isBlank()) {
            return Quality.LOSSLESS;
        }
        return Quality.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The colour limits as the CLI names them ({@code tandem guest view --colors true|256|16|2}). */
    static ColorDepth colors(String name) {
        if (name == null || name.isBlank()) {
            return ColorDepth.TRUE_COLOR;
        }
        return switch (name) {
            case "true" -> ColorDepth.TRUE_COLOR;
            case "256" -> ColorDepth.COLORS_256;
            case "16" -> ColorDepth.COLORS_16;
            case "2" -> ColorDepth.COLORS_2;
            default -> throw new IllegalArgumentException("no such colour limit: " + name);
        };
    }

    /** The JPEG quality of the lossy presets, as the Host's: 0 for lossless. */
    static int jpegQuality(Quality q) {
        return switch (q) {
            case LOSSLESS -> 0;
            case BALANCED -> 80;
            case LOW_BANDWIDTH -> 50;
        };
    }

    @OnWebSocketOpen
    public void open(Session session) {
        out = new Outbox(session);
        RemoteScreens screens = connections.remoteScreens;
        if (screens == null) {
            out.text(Json.write(Map.of("t", "closed", "reason", "remote control is not installed on this Guest")));
            out.close(1000, "remote control is not installed");
            return;
        }
        // Opening may wait for the Host's person to accept: not on Jetty's thread.
        connections.work.execute(() -> {
            try {
                pictures.jpegQuality(jpegQuality(quality));
                RemoteScreen s = screens.open(link.connection,
                        new ViewOptions(display, quality, colors, true, followClipboard), new Viewer());
                link.opened("Remote Control");
                if (closed) {
                    s.close();
                } else {
                    screen = s;
                }
            } catch (GuestException e) {
                out.text(Json.write(Map.of("t", "closed", "reason", e.getMessage())));
                out.close(1000, "refused");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @OnWebSocketClose
    public void close(int status, String reason) {
        closed = true;
        input.shutdownNow();
        synchronized (acks) {
            acks.notifyAll();
        }
        RemoteScreen s = screen;
        if (s != null) {
            s.close();
        }
    }

    @OnWebSocketMessage
    public void message(Session session, String text) {
        RemoteScreen s = screen;
        Map<String, Object> m = out.object(text);
        if (m == null) {
            return;
        }
        String type = String.valueOf(m.get("t"));
        if ("ack".equals(type)) {
            synchronized (acks) {
                unacked = false; // an ack nobody waits for changes nothing
                acks.notifyAll();
            }
            return;
        }
        // Checked before the view is open too: a hostile page learns nothing from the timing.
        ViewOptions view = null;
        if ("view".equals(type)) {
            try {
                Object d = m.get("display");
                view = new ViewOptions(d instanceof String ds && !ds.isBlank() ? ds : null,
                        quality(m.get("quality") instanceof String q ? q : null),
                        colors(m.get("colors") instanceof String c ? c : null), true, Boolean.TRUE.equals(m.get("clipboard")));
            } catch (IllegalArgumentException e) {
                out.close(1003, e.getMessage());
                return;
            }
        } else if (!INPUTS.contains(type)) {
            out.close(1003, "unknown input " + type);
            return;
        }
        if (s == null) {
            return; // still opening: input before the first picture has no meaning
        }
        // Input may wait (the first keystroke of a role with control on consent waits for the person at
        // the Host) while the Guest waits for this socket's next ack: input goes on its own thread, in
        // order, so that acks are read meanwhile.
        ViewOptions options = view;
        int size = text.length();
        if (pendingChars.addAndGet(size) > MAX_PENDING_CHARS) {
            out.close(1008, "too much input at once");
            return;
        }
        try {
            input.execute(() -> {
                try {
                    handle(s, type, m, options);
                } finally {
                    pendingChars.addAndGet(-size);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.close(1008, "too much input at once");
        }
    }

    private void handle(RemoteScreen s, String type, Map<String, Object> m, ViewOptions view) {
        switch (type) {
            case "key" -> s.key(integer(m, "keysym"), Boolean.TRUE.equals(m.get("down")));
            case "keys" -> {
                List<Integer> keys = new ArrayList<>();
                if (m.get("keysyms") instanceof List<?> l) {
                    for (Object o : l) {
                        if (o instanceof Number n) {
                            keys.add(n.intValue());
                        }
                    }
                }
                s.keys(keys);
            }
            case "type" -> s.type(String.valueOf(m.get("text")));
            case "pointer" -> s.pointer(integer(m, "x"), integer(m, "y"));
            case "button" -> s.button(integer(m, "button"), Boolean.TRUE.equals(m.get("down")));
            case "wheel" -> s.wheel(integer(m, "dx"), integer(m, "dy"));
            case "clipboard-set" -> s.setClipboard(String.valueOf(m.get("text")));
            case "clipboard-get" -> s.requestClipboard();
            case "view" -> {
                synchronized (acks) {
                    // The Guest's thread reads the quality while encoding: it changes between pictures.
                    pictures.jpegQuality(jpegQuality(view.quality()));
                }
                s.change(view);
            }
            case "lock" -> s.lockInput(Boolean.TRUE.equals(m.get("on")));
            case "blank" -> s.blankScreen(Boolean.TRUE.equals(m.get("on")));
            case "sync" -> {
                Object id = m.get("id");
                s.sync().thenRun(() -> out.text(Json.write(Map.of("t", "synced", "id", String.valueOf(id)))));
            }
            default -> throw new IllegalStateException(type); // INPUTS names every case
        }
    }

    /** The page sends no binary messages: one is a hostile page's. */
    @OnWebSocketMessage
    public void binary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        out.close(1003, "no binary input");
    }

    /** A browser gone mid-send, a message over the size limit: the socket closes; nothing to keep. */
    @OnWebSocketError
    public void error(Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "screen socket: " + cause);
    }

    private static int integer(Map<String, Object> m, String name) {
        return m.get(name) instanceof Number n ? n.intValue() : 0;
    }

    /** Hears the Host's screen and passes it on. */
    private final class Viewer implements RemoteScreen.Listener {

        @Override
        public void layout(List<Display> displays, Display shown, String backend) {
            List<Object> all = new ArrayList<>();
            displays.forEach(d -> all.add(display(d)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", "layout");
            m.put("displays", all);
            m.put("shown", display(shown));
            m.put("backend", backend);
            boolean onConsent = link.connection.controlOnConsent();
            m.put("viewOnly", !onConsent
                    && !link.connection.privileges().contains(org.tandemrc.api.security.Privilege.CONTROL_INPUT));
            m.put("controlOnConsent", onConsent);
            m.put("clipboard", link.connection.privileges().contains(org.tandemrc.api.security.Privilege.CLIPBOARD));
            synchronized (acks) {
                pictures.layout(shown.width(), shown.height());
            }
            out.text(Json.write(m));
        }

        private Map<String, Object> display(Display d) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("x", d.x());
            m.put("y", d.y());
            m.put("width", d.width());
            m.put("height", d.height());
            return m;
        }

        @Override
        public void update(List<Frame> rectangles) {
            byte[] message;
            synchronized (acks) {
                message = pictures.encode(rectangles);
            }
            if (message == null || closed) {
                return;
            }
            synchronized (acks) {
                unacked = true;
            }
            if (!out.binary(ByteBuffer.wrap(message))) {
                return;
            }
            // Backpressure: the Guest takes the Host's next picture once this returns.
            synchronized (acks) {
                long end = System.nanoTime() + ACK_TIMEOUT_NANOS;
                try {
                    while (unacked && !closed) {
                        long left = end - System.nanoTime();
                        if (left <= 0) {
                            out.close(1011, "the browser does not show the pictures");
                            return;
                        }
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(acks, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void cursor(Cursor c) {
            boolean shape = c.serial() != cursorSerial;
            cursorSerial = c.serial();
            int pixels = shape ? c.width() * c.height() : 0;
            ByteBuffer b = ByteBuffer.allocate(25 + pixels * 4);
            b.put(POINTER).putInt(c.x()).putInt(c.y()).putInt(c.hotX()).putInt(c.hotY())
                    .putInt(shape ? c.width() : -1).putInt(shape ? c.height() : -1);
            if (shape) {
                for (int p : c.argb()) {
                    b.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p).put((byte) (p >>> 24));
                }
            }
            b.flip();
            out.binary(b);
        }

        @Override
        public void clipboard(String text) {
            out.text(Json.write(Map.of("t", "clipboard", "text", text)));
        }

        @Override
        public void refused(String reason) {
            out.text(Json.write(Map.of("t", "refused", "reason", reason)));
        }

        @Override
        public void askingForControl() {
            out.text(Json.write(Map.of("t", "control", "state", "asking")));
        }

        @Override
        public void controlAnswered(boolean given) {
            out.text(Json.write(Map.of("t", "control", "state", given ? "given" : "refused")));
        }

        @Override
        public void closed(String reason) {
            link.ended("Remote Control");
            synchronized (acks) {
                pictures.close();
            }
            out.text(Json.write(Map.of("t", "closed", "reason", reason)));
            out.close(1000, "the view ended");
        }
    }
}
