package org.tandemrc.session.chat.internal;

import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;
import org.tandemrc.api.session.Channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;

class ChatSessionTypeTest {

    /** A person who types on demand and records what the conversation shows. */
    static final class FakeUser implements LocalUser {
        String peer;
        Consumer<String> typed;
        Runnable endedByPerson;
        final List<String> shown = new ArrayList<>();
        final List<String> ends = new ArrayList<>();

        @Override
        public void showMessage(String from, String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
            this.peer = peer;
            this.typed = typed;
            this.endedByPerson = endedByPerson;
            return new Conversation() {
                @Override
                public void show(String from, String text) {
                    shown.add(from + ": " + text);
                }

                @Override
                public void end(String reason) {
                    ends.add(reason);
                }
            };
        }
    }

    private final FakeUser guestUser = new FakeUser();
    private final FakeUser hostUser = new FakeUser();
    private final FakeChannel guest;
    private final FakeChannel host;

    ChatSessionTypeTest() {
        FakeChannel[] pair = FakeChannel.pair();
        guest = pair[0];
        host = pair[1];
    }

    private void openBoth() {
        host.handler = seated(hostUser).open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        guest.handler = seated(guestUser).open(context(Side.GUEST, guest, "alice", "desk-1", List.of()));
    }


    /** The session type with {@code person} at its node, as Declarative Services seats one. */
    static ChatSessionType seated(LocalUser person) {
        ChatSessionType type = new ChatSessionType();
        type.bindLocalUser(person);
        return type;
    }

    @Test
    void describesItself() {
        ChatSessionType type = new ChatSessionType();
        assertEquals("chat", type.id());
        assertEquals("Chat", type.title());
        assertEquals(Set.of(Privilege.CHAT), type.requiredPrivileges());
        assertTrue(type.needsConsent());
    }

    @Test
    void linesGoBothWays() {
        openBoth();
        assertEquals("desk-1", guestUser.peer);
        assertEquals("alice", hostUser.peer);

        guestUser.typed.accept("Hello, can you see my cursor?");
        hostUser.typed.accept("Yes — go ahead 😀");
        guestUser.typed.accept("");

        assertEquals(List.of("alice: Hello, can you see my cursor?", "alice: "), hostUser.shown);
        assertEquals(List.of("desk-1: Yes — go ahead 😀"), guestUser.shown);
        assertNull(host.closedReason);
        assertNull(guest.closedReason);
    }

    @Test
    void personEndingTheChatClosesBothSides() {
        openBoth();
        hostUser.endedByPerson.run();
        assertEquals("desk-1 ended the chat", host.closeReason);
        assertEquals(List.of("desk-1 ended the chat"), hostUser.ends);
        assertEquals(List.of("desk-1 ended the chat"), guestUser.ends);

        guestUser.typed.accept("too late");
        assertTrue(hostUser.shown.isEmpty());
    }

    @Test
    void guestEndingTheChatNamesTheGuest() {
        openBoth();
        guestUser.endedByPerson.run();
        assertEquals("alice ended the chat", guest.closeReason);
        assertEquals(List.of("alice ended the chat"), hostUser.ends);
    }

    @Test
    void longTypedLinesAreSentInPieces() {
        openBoth();
        String line = "é".repeat(3999) + "😀😀";
        guestUser.typed.accept(line);
        assertEquals(2, guest.sent.size());
        assertEquals(List.of("alice: " + "é".repeat(3999) + "😀", "alice: 😀"), hostUser.shown);
        assertNull(host.closedReason);
    }

    private SessionHandler hostAlone() {
        host.peer = null;
        SessionHandler h = seated(hostUser).open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        host.handler = h;
        return h;
    }

    @Test
    void invalidUtf8IsRefused() {
        SessionHandler h = hostAlone();
        h.received(ByteBuffer.wrap(new byte[] {'o', 'k', (byte) 0xFF}));
        assertEquals("a chat line is not valid UTF-8 text", host.closeReason);
        assertEquals(List.of("a chat line is not valid UTF-8 text"), hostUser.ends);
        assertTrue(hostUser.shown.isEmpty());
    }

    @Test
    void oversizedLineIsRefused() {
        SessionHandler h = hostAlone();
        h.received(ByteBuffer.wrap("x".repeat(4001).getBytes(StandardCharsets.UTF_8)));
        assertEquals("a chat line is longer than 4000 characters", host.closeReason);
        assertTrue(hostUser.shown.isEmpty());
    }

    @Test
    void closedEndsTheConversationOnce() {
        SessionHandler h = hostAlone();
        h.closed("the connection dropped");
        h.closed("again");
        assertEquals(List.of("the connection dropped"), hostUser.ends);
    }

    @Test
    void nobodyToChat() {
        FakeChannel alone = new FakeChannel();
        new ChatSessionType().open(context(Side.GUEST, alone, "alice", "desk-1", List.of()));
        assertEquals("nobody is at this node to chat", alone.closeReason);
    }

    private static FakeContext context(Side side, Channel channel, String guest, String host, List<String> args) {
        return new FakeContext(side, channel, guest, host, args, Set.of(Privilege.CHAT));
    }
}
