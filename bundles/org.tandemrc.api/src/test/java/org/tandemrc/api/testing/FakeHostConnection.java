package org.tandemrc.api.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;

/**
 * A Guest's connection to a Host in memory, for tests of Guest-side client APIs: each session opens
 * the given session type's Host side on a {@link FakeChannel} pair. As on a real connection, nothing
 * the Host sends before the Guest's handler exists is lost.
 */
public final class FakeHostConnection extends DescribedHost {
    private final SessionType hostType;
    private final String hostName;
    /** The Host's channel of every session opened, in order. */
    public final List<FakeChannel> hostChannels = new ArrayList<>();
    /** When set, the Host refuses every session with this reason. */
    public volatile String refusal;
    /** When set, the Host accepts sessions and never reads or answers anything. */
    public volatile boolean silent;

    public FakeHostConnection(SessionType hostType, String hostName) {
        super("tcp:192.0.2.10:6502", hostName, "SHA256:fake", "matches the pinned key", "Full access",
                EnumSet.allOf(Privilege.class));
        this.hostType = hostType;
        this.hostName = hostName;
    }

    @Override
    public SessionContext open(String sessionType, ChannelPriority priority, List<String> arguments,
            Function<SessionContext, SessionHandler> handler) throws GuestException {
        if (!sessionType.equals(hostType.id()) || refusal != null) {
            throw new GuestException(GuestException.Reason.SESSION_REFUSED, "the Host refused the " + sessionType
                    + " session: " + (refusal != null ? refusal : "not offered"));
        }
        FakeChannel[] pair = FakeChannel.pair();
        Held held = new Held();
        pair[0].handler = held;
        hostChannels.add(pair[1]);
        if (!silent) {
            pair[1].handler = hostType.open(new FakeContext(Side.HOST, pair[1], "alice", hostName, arguments,
                    privileges()));
        }
        SessionContext context = new FakeContext(Side.GUEST, pair[0], "alice", hostName, arguments, privileges());
        held.attach(handler.apply(context));
        return context;
    }

    /** What takes the sessions the Host opens, or null. */
    private volatile Function<SessionContext, SessionHandler> answering;

    @Override
    public Runnable answer(String sessionType, Function<SessionContext, SessionHandler> handler) throws GuestException {
        if (!sessionType.equals(hostType.id())) {
            throw new GuestException(GuestException.Reason.INVALID_REQUEST, "a Host may not open " + sessionType);
        }
        answering = handler;
        return () -> answering = null;
    }

    /**
     * The person at the Host opens a session of the Host's type on this Guest, as a Guest's own session opens;
     * returns the Host's channel, or null when nothing on the Guest takes it.
     */
    public FakeChannel hostOpens() {
        Function<SessionContext, SessionHandler> guestSide = answering;
        if (guestSide == null) {
            return null;
        }
        FakeChannel[] pair = FakeChannel.pair();
        Held held = new Held();
        pair[0].handler = held;
        hostChannels.add(pair[1]);
        pair[1].handler = hostType.open(new FakeContext(Side.HOST, pair[1], "alice", hostName, List.of(), privileges()));
        SessionHandler taken = guestSide.apply(new FakeContext(Side.GUEST, pair[0], "alice", hostName, List.of(),
                privileges()));
        if (taken == null) {
            pair[0].close("the Guest did not take it");
            return pair[1];
        }
        held.attach(taken);
        return pair[1];
    }

    /** Holds what arrives until the Guest's handler exists. */
    private static final class Held implements SessionHandler {
        private final List<ByteBuffer> messages = new ArrayList<>();
        private String closedReason;
        private SessionHandler target;

        void attach(SessionHandler handler) {
            target = handler;
            messages.forEach(handler::received);
            messages.clear();
            if (closedReason != null) {
                handler.closed(closedReason);
            }
        }

        @Override
        public void received(ByteBuffer message) {
            if (target == null) {
                messages.add(message);
            } else {
                target.received(message);
            }
        }

        @Override
        public void closed(String reason) {
            if (target == null) {
                closedReason = reason;
            } else {
                target.closed(reason);
            }
        }
    }
}
