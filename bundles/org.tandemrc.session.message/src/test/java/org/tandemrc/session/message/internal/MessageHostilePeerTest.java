package org.tandemrc.session.message.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.protocol.HostilePeer;

/**
 * The message session against a malicious peer that speaks the real protocol: each attack is refused
 * by closing the session (or, for frames the connection itself refuses, the connection with a protocol
 * error), no handler throws, and the Host serves the next Guest as before.
 */
class MessageHostilePeerTest {

    private static final String ESCAPING = "mallory\r\nHSES+ 10.0.0.9 admin logged on\u001b[2J\u001b]0;owned\u0007";
    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);

    private final MessageSessionTypeTest.FakeUser user = new MessageSessionTypeTest.FakeUser();
    private final MessageSessionType type = MessageSessionTypeTest.seated(user);

    private HostilePeer guest(long seed) {
        return HostilePeer.guestAgainst(type, ALL, ESCAPING, new Random(seed));
    }

    @Test
    void escapingNameAndTextAreOneMessageOfThatGuest() {
        HostilePeer peer = guest(1);
        assertEquals(MessageSessionType.DELIVERED, send(peer, 1, utf8("line one\r\nHSES+ forged\u001b[31m")));
        assertEquals(List.of(ESCAPING + ": line one\r\nHSES+ forged\u001b[31m"), user.shown);
        assertHostStaysUp(peer);
    }

    @Test
    void oversizedTextAndOversizedMessageAreRefused() {
        HostilePeer peer = guest(2);
        assertEquals(MessageSessionType.TOO_LONG, send(peer, 1, utf8("x".repeat(4001))));
        assertTrue(peer.victimConnected(), "a refused session leaves the connection up");

        // A channel message over the protocol's 1 MiB limit, in fragments of the largest allowed size.
        peer.open(3, 0, "message");
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 17 && peer.victimConnected(); i++) {
            peer.fragment(3, false, chunk);
        }
        assertFalse(peer.victimConnected());
        assertTrue(peer.victimCloseReason().startsWith("protocol error: channel message larger than"),
                peer.victimCloseReason());
        assertEquals(List.of(), user.shown);
        assertHostStaysUp(peer);
    }

    @Test
    void malformedAndOutOfOrderMessagesAreRefused() {
        HostilePeer peer = guest(3);
        assertEquals(MessageSessionType.NOT_UTF8, send(peer, 1, new byte[] {(byte) 0xc3, 0x28}));

        // An empty message, then one of blanks and control characters only.
        assertEquals(MessageSessionType.NO_TEXT, send(peer, 3, new byte[0]));
        assertEquals(MessageSessionType.NO_TEXT, send(peer, 5, utf8(" \t\r\n ")));
        assertEquals(List.of(), user.shown);
        assertTrue(peer.victimConnected());

        // An open request for a channel id that belongs to the Host is refused as a protocol error.
        peer.open(4, 0, "message");
        assertFalse(peer.victimConnected());
        assertTrue(peer.victimCloseReason().startsWith("protocol error: channel id 4 belongs to this side"),
                peer.victimCloseReason());
        assertHostStaysUp(peer);
    }

    @Test
    void aMessageAfterTheSessionClosedIsNeverShown() {
        HostilePeer peer = guest(4);
        assertEquals(MessageSessionType.DELIVERED, send(peer, 1, utf8("hello")));
        peer.data(1, utf8("late"));
        peer.closeChannel(1, "again");
        assertEquals(List.of(ESCAPING + ": hello"), user.shown);
        // Data that crosses the Host's close is dropped; it never ends the whole connection (item 10).
        assertEquals(MessageSessionType.DELIVERED, send(peer, 3, utf8("after")));
        assertTrue(peer.victimConnected(), peer.victimCloseReason());
        assertHostStaysUp(peer);
    }

    /** A Host that answers the Guest's message with anything but "ok" ends that session, nothing more. */
    @Test
    void aHostileHostCannotHarmTheGuestSide() {
        HostilePeer host = HostilePeer.hostAgainst(type, ALL, ESCAPING, new Random(5));
        int channel = host.openOnVictim(List.of("hi"));
        host.data(channel, new byte[60_000]);
        assertEquals("unexpected reply from the Host", host.sessionEnded(channel));
        int again = host.openOnVictim(List.of("hi"));
        host.data(again, utf8("ok"));
        host.closeChannel(again, "message delivered");
        assertEquals("message delivered", host.sessionEnded(again));
        host.assertVictimUnharmed();
    }

    /** No handler threw; and the same session type serves an honest Guest on a new connection. */
    private void assertHostStaysUp(HostilePeer peer) {
        peer.assertVictimUnharmed();
        int shown = user.shown.size();
        HostilePeer honest = HostilePeer.guestAgainst(type, ALL, "alice", new Random(99));
        assertEquals(MessageSessionType.DELIVERED, send(honest, 1, utf8("still here")));
        assertEquals("alice: still here", user.shown.get(shown));
    }

    /** Sends {@code message} as the one message of a new session on {@code channel}; how the Host ended it. */
    private static String send(HostilePeer peer, int channel, byte[] message) {
        peer.open(channel, 0, "message");
        peer.data(channel, message);
        return peer.sessionEnded(channel);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
