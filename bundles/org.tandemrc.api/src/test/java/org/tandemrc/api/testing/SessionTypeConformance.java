package org.tandemrc.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;

/**
 * What every {@link SessionType} owes the Host and the Guest that run it, as one JUnit 5 suite a session
 * type's bundle runs by extending this class: a stable id it is registered under, a name and the
 * privileges it needs, both sides opening on a fresh channel within the channel's message size and
 * without blocking, and an end either side may start (a side may also end the session itself while it
 * opens), which both sides' handlers hear.
 */
public abstract class SessionTypeConformance {

    /** A fresh instance of the session type, as its component would be. */
    protected abstract SessionType sessionType();

    /**
     * The context one side opens with; override when the type needs arguments or a peer name. The default
     * has no arguments and every privilege.
     */
    protected SessionContext context(Side side, Channel channel) {
        return new FakeContext(side, channel, "guest", "host", List.of(), EnumSet.allOf(Privilege.class));
    }

    @Test
    void itDescribesItself() {
        SessionType type = sessionType();
        assertTrue(RemoteToolConformance.ID.matcher(type.id()).matches(),
                "id '" + type.id() + "' is not " + RemoteToolConformance.ID);
        assertFalse(type.title().isBlank(), "title");
        Set<Privilege> privileges = type.requiredPrivileges();
        assertNotNull(privileges, "requiredPrivileges");
        assertTrue(privileges.stream().allMatch(p -> p != null), "requiredPrivileges holds no null");
        assertEquals(privileges, type.requiredPrivileges(), "the same privileges every time");
    }

    @Test
    void itIsRegisteredUnderItsId() throws Exception {
        SessionType type = sessionType();
        ComponentDescription.of(type.getClass()).assertRegisters(SessionType.class, SessionType.ID_PROPERTY, type.id());
    }

    @Test
    void bothSidesOpenAndTheGuestEndsIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> openAndEnd(Side.GUEST), "open must not block");
    }

    @Test
    void bothSidesOpenAndTheHostEndsIt() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> openAndEnd(Side.HOST), "open must not block");
    }

    private void openAndEnd(Side closing) {
        FakeChannel[] pair = FakeChannel.pair();
        // The Host side opens first, as on a connection: it answers the Guest's open.
        pair[0].handler = opened(context(Side.HOST, pair[0]));
        pair[1].handler = opened(context(Side.GUEST, pair[1]));
        for (FakeChannel side : pair) {
            for (ByteBuffer m : side.sent) {
                assertTrue(m.remaining() <= side.maxMessageSize(), "a message beyond the channel's size");
            }
        }
        // A side may end the session itself while it opens; else the closing side's reason ends both.
        String end = pair[1].closedReason != null ? pair[1].closedReason : "closed by the " + closing;
        pair[closing == Side.GUEST ? 1 : 0].close("closed by the " + closing);
        assertEquals(end, pair[0].closedReason, "the Host side's end");
        assertEquals(end, pair[1].closedReason, "the Guest side's end");
    }

    private SessionHandler opened(SessionContext context) {
        SessionHandler handler = sessionType().open(context);
        assertNotNull(handler, "open returns the " + context.side() + " side's handler");
        return handler;
    }
}
