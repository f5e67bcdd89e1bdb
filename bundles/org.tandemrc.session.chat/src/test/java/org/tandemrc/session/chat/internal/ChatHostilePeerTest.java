package org.tandemrc.session.chat.internal;

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

/** The chat session against a malicious peer that speaks the real protocol, on either side. */
class ChatHostilePeerTest {

    private static final String ESCAPING = "mallory\nHSES+ forged\u001b[2J";
    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);

    private final ChatSessionTypeTest.FakeUser user = new ChatSessionTypeTest.FakeUser();
    private final ChatSessionType type = ChatSessionTypeTest.seated(user);

    @Test
    void escapingLinesAreShownAsOneLineOfThatPeer() {
        HostilePeer peer = HostilePeer.guestAgainst(type, ALL, ESCAPING, new Random(1));
        peer.open(1, 0, "chat");
        peer.data(1, utf8("hi\r\nHSES+ forged\u001b[31m"));
        assertEquals(List.of(ESCAPING + ": hi\r\nHSES+ forged\u001b[31m"), user.shown);
        assertEquals(ESCAPING, user.peer);
        assertTrue(peer.victimConnected());
        assertStaysUp(peer);
    }

    @Test
    void oversizedAndMalformedLinesEndTheChat() {
        HostilePeer peer = HostilePeer.guestAgainst(type, ALL, "mallory", new Random(2));
        peer.open(1, 0, "chat");
        peer.data(1, utf8("y".repeat(4001)));
        assertEquals(ChatSessionType.TOO_LONG, peer.sessionEnded(1));
        peer.open(3, 0, "chat");
        peer.data(3, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertEquals(ChatSessionType.NOT_UTF8, peer.sessionEnded(3));
        assertEquals(List.of(), user.shown);
        assertTrue(peer.victimConnected(), "a refused chat leaves the connection up");
        assertStaysUp(peer);
    }

    @Test
    void linesAfterTheChatEndedAreNeverShown() {
        HostilePeer peer = HostilePeer.guestAgainst(type, ALL, "mallory", new Random(3));
        peer.open(1, 0, "chat");
        peer.data(1, utf8("one"));
        user.endedByPerson.run();
        peer.data(1, utf8("after the end"));
        peer.credit(1, 1 << 20);
        peer.closeChannel(1, "bye");
        assertEquals(List.of("mallory: one"), user.shown);
        assertStaysUp(peer);
    }

    @Test
    void aHostileHostSendsOutOfOrderAndOversizedFrames() {
        HostilePeer host = HostilePeer.hostAgainst(type, ALL, ESCAPING, new Random(4));
        int channel = host.openOnVictim(List.of());
        host.data(channel, utf8("from the host\u001b]0;title\u0007"));
        assertEquals(List.of(ESCAPING + ": from the host\u001b]0;title\u0007"), user.shown);
        // An answer to an open request the Guest never made.
        host.frame(HostilePeer.OPEN_OK, 41, new byte[0]);
        assertFalse(host.victimConnected());
        assertTrue(host.victimCloseReason().startsWith("protocol error: answer for channel 41"),
                host.victimCloseReason());
        assertEquals(List.of(), host.sessionFailures());
        assertEquals(1, user.ends.size(), "the person is told once that the chat ended");
    }

    private void assertStaysUp(HostilePeer peer) {
        peer.assertVictimUnharmed();
        HostilePeer honest = HostilePeer.guestAgainst(type, ALL, "alice", new Random(9));
        honest.open(1, 0, "chat");
        honest.data(1, utf8("still here"));
        assertEquals("alice: still here", user.shown.get(user.shown.size() - 1));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
