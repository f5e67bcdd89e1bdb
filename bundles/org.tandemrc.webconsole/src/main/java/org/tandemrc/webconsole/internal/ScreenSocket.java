package org.tandemrc.webconsole.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
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
 * messages (type 1: x, y, width, height as 32-bit big-endian, then RGBA bytes; type 2: the pointer,
 * with its shape when it changed), everything else as JSON text; the page's keyboard, mouse and
 * clipboard come back as JSON text. The next picture is taken only once the browser has the last.
 */
@WebSocket
public class ScreenSocket {

    static final byte PICTURE = 1;
    static final byte POINTER = 2;

    private final Connections connections;
    private final Connections.Link link;
    private final String display;
    private final Quality quality;
    private Outbox out;
    private volatile RemoteScreen screen;
    private volatile boolean closed;
    private long cursorSerial = Long.MIN_VALUE;

    ScreenSocket(Connections connections, Connections.Link link, String display, String quality) {
        this.connections = connections;
        this.link = link;
        this.display = display == null || display.isBlank() ? null : display;
        this.quality = quality(quality);
    }

    static Quality quality(String name) {
        if (name == null || name.isBlank()) {
            return Quality.LOSSLESS;
        }
        return Quality.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
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
                RemoteScreen s = screens.open(link.connection,
                        new ViewOptions(display, quality, ColorDepth.TRUE_COLOR, true, false), new Viewer());
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
        RemoteScreen s = screen;
        if (s != null) {
            s.close();
        }
    }

    @OnWebSocketMessage
    public void message(Session session, String text) {
        RemoteScreen s = screen;
        Map<String, Object> m;
        try {
            m = Json.object(text);
        } catch (Json.Malformed e) {
            out.close(1003, e.getMessage());
            return;
        }
        if (s == null) {
            return; // still opening: input before the first picture has no meaning
        }
        String type = String.valueOf(m.get("t"));
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
                Object d = m.get("display");
                s.change(new ViewOptions(d instanceof String ds && !ds.isBlank() ? ds : null,
                        quality(m.get("quality") instanceof String q ? q : null), ColorDepth.TRUE_COLOR, true, false));
            }
            case "lock" -> s.lockInput(Boolean.TRUE.equals(m.get("on")));
            case "blank" -> s.blankScreen(Boolean.TRUE.equals(m.get("on")));
            case "sync" -> {
                Object id = m.get("id");
                s.sync().thenRun(() -> out.text(Json.write(Map.of("t", "synced", "id", String.valueOf(id)))));
            }
            default -> out.close(1003, "unknown input " + type);
        }
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
            for (Frame f : rectangles) {
                ByteBuffer b = ByteBuffer.allocate(17 + f.pixels().length * 4);
                b.put(PICTURE).putInt(f.x()).putInt(f.y()).putInt(f.width()).putInt(f.height());
                byte[] rgba = b.array();
                int at = 17;
                for (int p : f.pixels()) {
                    rgba[at] = (byte) (p >> 16);
                    rgba[at + 1] = (byte) (p >> 8);
                    rgba[at + 2] = (byte) p;
                    rgba[at + 3] = (byte) 0xff;
                    at += 4;
                }
                b.position(0);
                if (!out.binary(b)) {
                    return;
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
            out.text(Json.write(Map.of("t", "closed", "reason", reason)));
            out.close(1000, "the view ended");
        }
    }
}
