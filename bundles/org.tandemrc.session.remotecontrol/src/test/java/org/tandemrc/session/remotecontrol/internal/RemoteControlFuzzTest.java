package org.tandemrc.session.remotecontrol.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.testing.DescribedHost;
import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;

/**
 * Remote-control messages in both directions: what a Guest sends the Host's screen and input, and what
 * a Host sends the Guest's viewer (layout, frames, pointer, clipboard). The handlers' declared refusal
 * is closing the channel; any exception that leaves {@code received} is a finding.
 */
class RemoteControlFuzzTest {

    private static final int[] HOST_TYPES = {Wire.START, Wire.ACK, Wire.SYNC, Wire.CLIP_GET, Wire.CLIP_SET,
        Wire.LOCK_INPUT, Wire.BLANK_SCREEN, 0, 99};
    private static final int[] INPUT_TYPES = {Wire.TEXT, Wire.KEY, Wire.MOVE, Wire.BUTTON, Wire.WHEEL, Wire.SYNC, 0};
    private static final int[] VIEWER_TYPES = {Wire.INFO, Wire.FRAME, Wire.FRAME, Wire.CURSOR, Wire.CLIP,
        Wire.REFUSED, Wire.SYNCED, 0};

    @FuzzTest(maxDuration = "5m")
    void hostReadsScreenMessages(FuzzedDataProvider data) {
        FakeChannel channel = new FakeChannel();
        RemoteScreenTest.FakeScreen screen = new RemoteScreenTest.FakeScreen();
        RemoteScreenTest.FakeLock lock = new RemoteScreenTest.FakeLock();
        HostScreen host = new HostScreen(context(channel, data), screen, () -> screen, () -> lock, (c, code, s, d) -> { });
        try {
            while (data.remainingBytes() > 0 && channel.closedReason == null) {
                host.received(message(data, HOST_TYPES));
            }
        } finally {
            host.closed("end of input");
        }
        if (lock.open.get() != 0) {
            throw new AssertionError("a lock of the person's keyboard and mouse outlived the session");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void hostReadsInput(FuzzedDataProvider data) {
        FakeChannel channel = new FakeChannel();
        RemoteScreenTest.FakeScreen screen = new RemoteScreenTest.FakeScreen();
        HostInput host = new HostInput(context(channel, data), screen, screen);
        while (data.remainingBytes() > 0 && channel.closedReason == null) {
            host.received(message(data, INPUT_TYPES));
        }
    }

    @FuzzTest(maxDuration = "5m")
    void guestReadsScreen(FuzzedDataProvider data) throws Exception {
        FakeHost host = new FakeHost();
        Viewer viewer = new Viewer(host, new Ignoring());
        viewer.open(null);
        SessionHandler screen = host.handlers.get(RemoteControl.ID);
        if (data.consumeBoolean()) {
            screen.received(layout(data.consumeInt(1, 400), data.consumeInt(1, 300)));
        }
        while (data.remainingBytes() > 0 && host.channels.get(RemoteControl.ID).closedReason == null) {
            screen.received(message(data, VIEWER_TYPES));
        }
        viewer.close();
    }

    private static ByteBuffer message(FuzzedDataProvider data, int[] types) {
        byte[] body = data.consumeBytes(data.consumeInt(0, 20_000));
        ByteBuffer b = ByteBuffer.allocate(body.length + 1);
        b.put((byte) data.pickValue(types)).put(body);
        return b.flip();
    }

    private static ByteBuffer layout(int w, int h) {
        return Messages.encode(new Messages.Info("fuzz", List.of(new Display(":0", 0, 0, w, h)), 0));
    }

    private static SessionContext context(Channel channel, FuzzedDataProvider data) {
        Set<Privilege> privileges = data.consumeBoolean() ? EnumSet.allOf(Privilege.class)
                : EnumSet.noneOf(Privilege.class);
        return new FakeContext(Side.HOST, channel, "guest", "host", List.of(), privileges);
    }

    /** A Host that accepts every session and lets the test play its side. */
    static final class FakeHost extends DescribedHost {
        final Map<String, SessionHandler> handlers = new HashMap<>();
        final Map<String, FakeChannel> channels = new HashMap<>();

        FakeHost() {
            super("fuzz", "host", "none", "fuzz", "fuzz", EnumSet.allOf(Privilege.class));
        }

        @Override
        public SessionContext open(String sessionType, ChannelPriority priority, List<String> arguments,
                Function<SessionContext, SessionHandler> handler) {
            FakeChannel channel = new FakeChannel();
            SessionContext ctx = new FakeContext(Side.GUEST, channel, "guest", "host", arguments,
                    EnumSet.allOf(Privilege.class));
            SessionHandler h = handler.apply(ctx);
            channel.handler = h;
            handlers.put(sessionType, h);
            channels.put(sessionType, channel);
            return ctx;
        }
    }

    static final class Ignoring implements RemoteScreen.Listener {
        @Override
        public void layout(List<Display> displays, Display shown, String backend) {
        }

        @Override
        public void update(List<Frame> rectangles) {
        }

        @Override
        public void closed(String reason) {
        }
    }
}
