package org.tandemrc.session.remotecontrol.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.testing.DescribedHost;
import org.tandemrc.api.testing.FakeContext;

/**
 * A Guest's connection to a Host in the same process: the Host side refuses a session the role does
 * not allow, as the real Host does, and each side receives its messages on its own thread, in order.
 */
final class Loopback extends DescribedHost {

    private final List<SessionType> hostTypes;
    private final ExecutorService toHost = Executors.newSingleThreadExecutor();
    private final ExecutorService toGuest = Executors.newSingleThreadExecutor();

    Loopback(Set<Privilege> privileges, SessionType... hostTypes) {
        super("loopback", "host", "none", "in-process", "test",
                privileges.isEmpty() ? EnumSet.noneOf(Privilege.class) : EnumSet.copyOf(privileges));
        this.hostTypes = List.of(hostTypes);
    }

    private SessionContext context(Side side, Channel channel) {
        return new FakeContext(side, channel, "guest", "host", List.of(), privileges());
    }

    /** One direction of a channel: sends to the other side's handler on that side's thread. */
    private static final class End implements Channel {
        private final ExecutorService deliver;
        private final AtomicBoolean shut;
        End peer;
        volatile SessionHandler handler;

        End(ExecutorService deliver, AtomicBoolean shut) {
            this.deliver = deliver;
            this.shut = shut;
        }

        @Override
        public int maxMessageSize() {
            return 1024 * 1024;
        }

        @Override
        public CompletionStage<Void> send(ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            if (!shut.get()) {
                deliver.execute(() -> {
                    if (!shut.get()) {
                        peer.handler.received(copy);
                    }
                });
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            if (shut.compareAndSet(false, true)) {
                SessionHandler mine = handler;
                SessionHandler theirs = peer.handler;
                deliver.execute(() -> theirs.closed(reason));
                peer.deliver.execute(() -> mine.closed(reason));
            }
        }
    }

    @Override
    public SessionContext open(String sessionType, ChannelPriority priority, List<String> arguments,
            Function<SessionContext, SessionHandler> handler) throws GuestException {
        SessionType type = hostTypes.stream().filter(t -> t.id().equals(sessionType)).findFirst()
                .orElseThrow(() -> new GuestException("the Host offers no " + sessionType));
        if (!privileges().containsAll(type.requiredPrivileges())) {
            throw new GuestException("the Host refused the " + type.title() + " session: your role 'View only' does not allow "
                    + type.title());
        }
        AtomicBoolean shut = new AtomicBoolean();
        End guestEnd = new End(toHost, shut);
        End hostEnd = new End(toGuest, shut);
        guestEnd.peer = hostEnd;
        hostEnd.peer = guestEnd;
        guestEnd.handler = HostScreen.ignoring();
        hostEnd.handler = HostScreen.ignoring();
        hostEnd.handler = type.open(context(Side.HOST, hostEnd));
        SessionContext guest = context(Side.GUEST, guestEnd);
        guestEnd.handler = handler.apply(guest);
        return guest;
    }

    @Override
    public void close(String reason) {
        super.close(reason);
        toHost.shutdown();
        toGuest.shutdown();
    }
}
