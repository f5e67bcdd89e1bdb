package org.tandemrc.session.remotecontrol.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.RemoteScreen;
import org.tandemrc.api.screen.ViewOptions;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;

/**
 * The Guest side: decodes the screen channel for a {@link RemoteScreen.Listener}, acknowledges each
 * picture once the listener has it, and sends keyboard and mouse on the input channel.
 */
final class Viewer implements RemoteScreen {

    private final HostConnection connection;
    private final Listener listener;
    private final FrameStream.Reader frames = new FrameStream.Reader();
    private final Object lock = new Object();
    private SessionContext screen;
    private SessionContext input;
    private String inputRefused;
    private boolean toldInputRefused;
    private volatile Display shown;
    private int width;
    private int height;
    /** The picture as the Host sent it so far: copies within the picture read from it. */
    private int[] mirror = new int[0];
    private int nextSync;
    private final Map<Integer, CompletableFuture<Void>> syncs = new HashMap<>();
    private final Map<Integer, Integer> syncsLeft = new HashMap<>();
    private Cursor cursorShape;
    private boolean closed;

    Viewer(HostConnection connection, Listener listener) {
        this.connection = connection;
        this.listener = listener;
    }

    /** Opens the screen channel, and the input channel when the role allows input. */
    void open(ViewOptions options) throws GuestException, InterruptedException {
        screen = connection.open(RemoteControl.ID, ChannelPriority.SCREEN, List.of(), ctx -> new ScreenHandler());
        if (connection.privileges().contains(Privilege.CONTROL_INPUT)) {
            openInput();
        }
        screen.channel().send(start(options));
    }

    private static ByteBuffer start(ViewOptions o) {
        byte[] id = o == null || o.display() == null ? new byte[0] : o.display().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + id.length);
        b.put((byte) Wire.START);
        if (o == null) {
            b.put((byte) Wire.MODE_LAYOUT).put((byte) 0).put((byte) 0).put((byte) 0);
        } else {
            b.put((byte) (o.stream() ? Wire.MODE_STREAM : Wire.MODE_ONCE)).put((byte) o.quality().ordinal())
                    .put((byte) o.colorDepth().ordinal()).put((byte) (o.followClipboard() ? 1 : 0));
        }
        return b.put(id).flip();
    }

    /** Opens the input channel; a refusal by the Host is kept and reported at the first input. */
    private SessionContext openInput() throws InterruptedException {
        synchronized (lock) {
            if (input != null || inputRefused != null) {
                return input;
            }
        }
        SessionContext opened = null;
        String refused = null;
        try {
            opened = connection.open(RemoteInput.ID, ChannelPriority.INPUT, List.of(), ctx -> new InputHandler());
        } catch (GuestException e) {
            refused = e.getMessage();
        }
        synchronized (lock) {
            input = opened;
            inputRefused = refused;
            return input;
        }
    }

    /** Sends on the input channel, opening it first if needed; a refusal reaches the listener once. */
    private void sendInput(ByteBuffer message) {
        SessionContext in;
        try {
            in = openInput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (in == null) {
            boolean tell;
            synchronized (lock) {
                tell = !toldInputRefused;
                toldInputRefused = true;
            }
            if (tell) {
                listener.refused(inputRefused);
            }
            return;
        }
        in.channel().send(message);
    }

    @Override
    public void key(int keysym, boolean pressed) {
        sendInput(ByteBuffer.allocate(6).put((byte) Wire.KEY).putInt(keysym).put((byte) (pressed ? 1 : 0)).flip());
    }

    @Override
    public void type(String text) {
        sendInput(Wire.text(Wire.TEXT, text));
    }

    @Override
    public void pointer(int x, int y) {
        Display d = shown;
        int ox = d == null ? 0 : d.x();
        int oy = d == null ? 0 : d.y();
        sendInput(Wire.message(Wire.MOVE, x + ox, y + oy));
    }

    @Override
    public void button(int button, boolean pressed) {
        sendInput(ByteBuffer.allocate(6).put((byte) Wire.BUTTON).putInt(button).put((byte) (pressed ? 1 : 0)).flip());
    }

    @Override
    public void wheel(int dx, int dy) {
        sendInput(Wire.message(Wire.WHEEL, dx, dy));
    }

    @Override
    public void setClipboard(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_CLIPBOARD) {
            listener.refused("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes is not sent");
            return;
        }
        screen.channel().send(Wire.text(Wire.CLIP_SET, text));
    }

    @Override
    public void requestClipboard() {
        screen.channel().send(Wire.message(Wire.CLIP_GET));
    }

    @Override
    public void change(ViewOptions options) {
        screen.channel().send(start(options));
    }

    @Override
    public void lockInput(boolean lock) {
        screen.channel().send(ByteBuffer.allocate(2).put((byte) Wire.LOCK_INPUT).put((byte) (lock ? 1 : 0)).flip());
    }

    @Override
    public void blankScreen(boolean blank) {
        screen.channel().send(ByteBuffer.allocate(2).put((byte) Wire.BLANK_SCREEN).put((byte) (blank ? 1 : 0)).flip());
    }

    @Override
    public CompletionStage<Void> sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SessionContext in;
        int id;
        synchronized (lock) {
            in = input;
            id = ++nextSync;
            syncs.put(id, done);
            syncsLeft.put(id, in == null ? 1 : 2);
        }
        screen.channel().send(Wire.message(Wire.SYNC, id));
        if (in != null) {
            in.channel().send(Wire.message(Wire.SYNC, id));
        }
        return done;
    }

    private void synced(int id) {
        CompletableFuture<Void> done = null;
        synchronized (lock) {
            Integer left = syncsLeft.get(id);
            if (left == null) {
                return;
            }
            if (left == 1) {
                syncsLeft.remove(id);
                done = syncs.remove(id);
            } else {
                syncsLeft.put(id, left - 1);
            }
        }
        if (done != null) {
            done.complete(null);
        }
    }

    @Override
    public void close() {
        SessionContext in;
        synchronized (lock) {
            in = input;
        }
        if (in != null) {
            in.channel().close("the Guest ended remote control");
        }
        screen.channel().close("the Guest ended remote control");
    }

    /** Ends the view once, telling the listener. */
    private void ended(String reason) {
        List<CompletableFuture<Void>> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = new ArrayList<>(syncs.values());
            syncs.clear();
        }
        for (CompletableFuture<Void> f : waiting) {
            f.completeExceptionally(new IllegalStateException(reason));
        }
        frames.close();
        listener.closed(reason);
    }

    /** The screen channel's messages, on the connection's thread, in order. */
    private final class ScreenHandler implements SessionHandler {
        @Override
        public void received(ByteBuffer m) {
            try {
                int type = m.get() & 0xff;
                switch (type) {
                    case Wire.INFO -> layout(m);
                    case Wire.FRAME -> frame(m);
                    case Wire.CURSOR -> cursor(m);
                    case Wire.CLIP -> listener.clipboard(StandardCharsets.UTF_8.decode(m).toString());
                    case Wire.REFUSED -> listener.refused(StandardCharsets.UTF_8.decode(m).toString());
                    case Wire.SYNCED -> synced(m.getInt());
                    default -> screen.channel().close("unexpected remote-control message " + type);
                }
            } catch (BufferUnderflowException | IOException | IllegalArgumentException e) {
                screen.channel().close("the Host sent a bad remote-control message: " + e.getMessage());
            }
        }

        @Override
        public void closed(String reason) {
            SessionContext in;
            synchronized (lock) {
                in = input;
            }
            if (in != null) {
                in.channel().close(reason);
            }
            ended(reason);
        }
    }

    private void layout(ByteBuffer m) throws IOException {
        byte[] bytes = new byte[m.remaining()];
        m.get(bytes);
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        String backend = in.readUTF();
        int n = in.readUnsignedShort();
        if (n == 0 || n > 64) {
            throw new IllegalArgumentException("a layout of " + n + " displays");
        }
        List<Display> displays = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            int x = in.readInt();
            int y = in.readInt();
            int w = in.readInt();
            int h = in.readInt();
            if (w <= 0 || h <= 0 || w > Wire.MAX_SIDE || h > Wire.MAX_SIDE) {
                throw new IllegalArgumentException("a display of " + w + "x" + h);
            }
            displays.add(new Display(id, x, y, w, h));
        }
        int index = in.readUnsignedShort();
        if (index >= n) {
            throw new IllegalArgumentException("display " + index + " of " + n + " shown");
        }
        Display d = displays.get(index);
        shown = d;
        width = d.width();
        height = d.height();
        mirror = new int[width * height];
        listener.layout(List.copyOf(displays), d, backend);
    }

    private void frame(ByteBuffer m) {
        if (width == 0) {
            throw new IllegalArgumentException("a picture came before the layout");
        }
        Wire.DecodedFrame f = Wire.decodeFrame(m, width, height, frames);
        long now = System.nanoTime();
        List<Frame> rectangles = new ArrayList<>(f.copies().size() + f.tiles().size());
        // The Guest's own copy of the picture: copies move its pixels first, then the tiles land.
        for (Scrolls.Copy c : f.copies()) {
            Scrolls.apply(mirror, width, c);
        }
        for (Wire.Tile t : f.tiles()) {
            for (int row = 0; row < t.height(); row++) {
                System.arraycopy(t.pixels(), row * t.width(), mirror, (t.y() + row) * width + t.x(), t.width());
            }
        }
        for (Scrolls.Copy c : f.copies()) {
            int[] pixels = new int[c.width() * c.height()];
            for (int row = 0; row < c.height(); row++) {
                System.arraycopy(mirror, (c.dstY() + row) * width + c.dstX(), pixels, row * c.width(), c.width());
            }
            rectangles.add(new Frame(c.dstX(), c.dstY(), c.width(), c.height(), pixels, now));
        }
        for (Wire.Tile t : f.tiles()) {
            rectangles.add(new Frame(t.x(), t.y(), t.width(), t.height(), t.pixels(), now));
        }
        listener.update(rectangles);
        screen.channel().send(Wire.message(Wire.ACK, f.sequence()));
    }

    private void cursor(ByteBuffer m) {
        int x = m.getInt();
        int y = m.getInt();
        long serial = m.getLong();
        boolean hasShape = m.get() != 0;
        Cursor shape = cursorShape;
        if (hasShape) {
            int hotX = m.getShort() & 0xffff;
            int hotY = m.getShort() & 0xffff;
            int w = m.getShort() & 0xffff;
            int h = m.getShort() & 0xffff;
            if (w > Wire.MAX_CURSOR_SIDE || h > Wire.MAX_CURSOR_SIDE || m.remaining() != w * h * 4) {
                throw new IllegalArgumentException("a pointer shape of " + w + "x" + h);
            }
            int[] argb = new int[w * h];
            for (int i = 0; i < argb.length; i++) {
                argb[i] = m.getInt();
            }
            shape = new Cursor(x, y, hotX, hotY, w, h, argb, serial);
        } else if (shape == null || shape.serial() != serial) {
            shape = new Cursor(x, y, 0, 0, 0, 0, new int[0], serial); // a shape too large to send: hidden
        }
        cursorShape = shape;
        listener.cursor(new Cursor(x, y, shape.hotX(), shape.hotY(), shape.width(), shape.height(), shape.argb(), serial));
    }

    /** The input channel's messages: only sync answers and refusals. */
    private final class InputHandler implements SessionHandler {
        @Override
        public void received(ByteBuffer m) {
            try {
                int type = m.get() & 0xff;
                switch (type) {
                    case Wire.SYNCED -> synced(m.getInt());
                    case Wire.REFUSED -> listener.refused(StandardCharsets.UTF_8.decode(m).toString());
                    default -> m.position(m.limit());
                }
            } catch (BufferUnderflowException e) {
                // ignore a malformed answer; the screen channel carries on
            }
        }

        @Override
        public void closed(String reason) {
            List<Integer> waiting;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                inputRefused = "the input channel closed: " + reason;
                input = null;
                waiting = new ArrayList<>(syncsLeft.keySet());
            }
            listener.refused(inputRefused);
            for (int id : waiting) {
                synced(id); // the input side of a pending sync will not answer any more
            }
        }
    }
}
