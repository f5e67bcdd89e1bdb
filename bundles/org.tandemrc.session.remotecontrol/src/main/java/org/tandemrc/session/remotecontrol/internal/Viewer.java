package org.tandemrc.session.remotecontrol.internal;

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
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.client.ViewOptions;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.ProtocolException;

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
        return Messages.encode(o == null ? new Messages.Start(Wire.MODE_LAYOUT, 0, 0, false, null)
                : new Messages.Start(o.stream() ? Wire.MODE_STREAM : Wire.MODE_ONCE, o.quality().ordinal(),
                        o.colorDepth().ordinal(), o.followClipboard(), o.display()));
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
        // Only then does the Host wait for its person: say so while they decide.
        boolean asking = connection.controlOnConsent();
        if (asking) {
            listener.askingForControl();
        }
        try {
            opened = connection.open(RemoteInput.ID, ChannelPriority.INPUT, List.of(), ctx -> new InputHandler());
        } catch (GuestException e) {
            refused = e.getMessage();
        }
        if (asking) {
            listener.controlAnswered(opened != null);
        }
        synchronized (lock) {
            input = opened;
            inputRefused = refused;
            return input;
        }
    }

    /** Sends on the input channel, opening it first if needed; a refusal reaches the listener once. */
    private void sendInput(Messages.ToHost message) {
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
        in.channel().send(Messages.encode(message));
    }

    @Override
    public void key(int keysym, boolean pressed) {
        sendInput(new Messages.Key(keysym, pressed));
    }

    @Override
    public void type(String text) {
        sendInput(new Messages.Text(text));
    }

    @Override
    public void pointer(int x, int y) {
        Display d = shown;
        int ox = d == null ? 0 : d.x();
        int oy = d == null ? 0 : d.y();
        sendInput(new Messages.Move(x + ox, y + oy));
    }

    @Override
    public void button(int button, boolean pressed) {
        sendInput(new Messages.Button(button, pressed));
    }

    @Override
    public void wheel(int dx, int dy) {
        sendInput(new Messages.Wheel(dx, dy));
    }

    @Override
    public void setClipboard(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > Wire.MAX_CLIPBOARD) {
            listener.refused("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes is not sent");
            return;
        }
        screen.channel().send(Messages.encode(new Messages.ClipSet(text)));
    }

    @Override
    public void requestClipboard() {
        screen.channel().send(Messages.encode(new Messages.ClipGet()));
    }

    @Override
    public void change(ViewOptions options) {
        screen.channel().send(start(options));
    }

    @Override
    public void lockInput(boolean lock) {
        screen.channel().send(Messages.encode(new Messages.LockInput(lock)));
    }

    @Override
    public void blankScreen(boolean blank) {
        screen.channel().send(Messages.encode(new Messages.BlankScreen(blank)));
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
        ByteBuffer sync = Messages.encode(new Messages.Sync(id));
        screen.channel().send(sync.duplicate());
        if (in != null) {
            in.channel().send(sync);
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

    /** One of the Host's messages, on the connection's thread, in order. */
    private void handle(Messages.ToGuest message) {
        if (message instanceof Messages.Info i) {
            layout(i);
        } else if (message instanceof Messages.Picture p) {
            frame(p.body());
        } else if (message instanceof Messages.Pointer p) {
            cursor(p);
        } else if (message instanceof Messages.Clip c) {
            listener.clipboard(c.text());
        } else if (message instanceof Messages.Refused r) {
            listener.refused(r.reason());
        } else if (message instanceof Messages.Synced s) {
            synced(s.id());
        }
    }

    /** The screen channel's messages, on the connection's thread, in order. */
    private final class ScreenHandler implements SessionHandler {
        @Override
        public void received(ByteBuffer m) {
            try {
                handle(Messages.readToGuest(m));
            } catch (ProtocolException | IllegalArgumentException e) {
                screen.channel().close("the Host sent a bad remote-control message: " + e.getMessage());
            } catch (IllegalStateException e) {
                // The view was ended on another thread while this frame was on its way (its decoder refuses
                // frames once closed): the frame is dropped. Thrown on, it would end the whole connection.
                synchronized (lock) {
                    if (!closed) {
                        throw e;
                    }
                }
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

    private void layout(Messages.Info info) {
        List<Display> displays = info.displays();
        int index = info.shown();
        String backend = info.backend();
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
        screen.channel().send(Messages.encode(new Messages.Ack(f.sequence())));
    }

    private void cursor(Messages.Pointer m) {
        int x = m.x();
        int y = m.y();
        long serial = m.serial();
        Cursor shape = cursorShape;
        if (m.shape() != null) {
            shape = m.shape();
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
            Messages.ToGuest message;
            try {
                message = Messages.readToGuest(m);
            } catch (ProtocolException e) {
                return; // a malformed answer is ignored; the screen channel carries on
            }
            if (message instanceof Messages.Synced || message instanceof Messages.Refused) {
                handle(message);
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
            if (connection.controlOnConsent()) {
                // The person took control back, and the role has them give it: the next input asks them again.
                synchronized (lock) {
                    inputRefused = null;
                    toldInputRefused = false;
                }
            }
            for (int id : waiting) {
                synced(id); // the input side of a pending sync will not answer any more
            }
        }
    }
}
