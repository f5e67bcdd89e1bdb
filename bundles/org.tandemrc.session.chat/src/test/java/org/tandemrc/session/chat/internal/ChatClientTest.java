package org.tandemrc.session.chat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.chat.RemoteChat;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.api.testing.FakeHostConnection;

/** A front end chats through the client as a person would through the chat session type. */
class ChatClientTest {

    private final ChatSessionTypeTest.FakeUser hostUser = new ChatSessionTypeTest.FakeUser();
    private final FakeHostConnection host = new FakeHostConnection(ChatSessionTypeTest.seated(hostUser), "desk-1");
    private final List<String> heard = new ArrayList<>();
    private final RemoteChat.Listener listener = new RemoteChat.Listener() {
        @Override
        public void line(String from, String text) {
            heard.add(from + ": " + text);
        }

        @Override
        public void ended(String reason) {
            heard.add("ended: " + reason);
        }
    };

    @Test
    void linesGoBothWaysUntilTheHostEnds() throws Exception {
        RemoteChat chat = new ChatClient().open(host, listener);
        assertEquals("desk-1", chat.hostName());
        chat.send("Hello, can you see my pointer?");
        chat.send("  ");
        chat.send("y".repeat(WireText.MAX_CHARS + 1));
        assertEquals(List.of("alice: Hello, can you see my pointer?", "alice: " + "y".repeat(WireText.MAX_CHARS),
                "alice: y"), hostUser.shown);
        hostUser.typed.accept("Yes, go ahead");
        assertEquals(List.of("desk-1: Yes, go ahead"), heard);

        hostUser.endedByPerson.run();
        assertEquals("ended: desk-1 ended the chat", heard.get(1));
        assertFalse(chat.isOpen());
        GuestException e = assertThrows(GuestException.class, () -> chat.send("still there?"));
        assertEquals(GuestException.Reason.CLOSED, e.reason());
    }

    @Test
    void theGuestEndsAndAHostWithoutAPersonRefuses() throws Exception {
        RemoteChat chat = new ChatClient().open(host, listener);
        chat.close("the Guest ended the chat");
        assertEquals(List.of("ended: the Guest ended the chat"), heard);
        assertEquals(List.of("the Guest ended the chat"), hostUser.ends);

        heard.clear();
        FakeHostConnection nobody = new FakeHostConnection(new ChatSessionType(), "desk-2");
        RemoteChat empty = new ChatClient().open(nobody, listener);
        assertFalse(empty.isOpen());
        assertEquals(List.of("ended: " + ChatSessionType.NOBODY), heard);
        assertTrue(nobody.hostChannels.get(0).closedReason.equals(ChatSessionType.NOBODY));
    }

    @Test
    void aChatThePersonAtTheHostOpensReachesTheFrontEndThatTakesIt() throws Exception {
        assertEquals(null, host.hostOpens(), "nothing takes it before the front end answers");
        List<RemoteChat> taken = new ArrayList<>();
        Runnable stop = new ChatClient().answer(host, chat -> {
            taken.add(chat);
            return listener;
        });
        host.hostOpens();
        assertEquals(1, taken.size());
        hostUser.typed.accept("Can I help?");
        taken.get(0).send("yes please");
        assertEquals(List.of("desk-1: Can I help?"), heard);
        assertEquals(List.of("alice: yes please"), hostUser.shown);
        hostUser.typed.accept("x".repeat(WireText.MAX_CHARS + 1));
        assertEquals("desk-1: " + "x".repeat(WireText.MAX_CHARS), heard.get(1), "bounded as in a chat the Guest opens");
        stop.run();
        assertEquals(null, host.hostOpens());

        // A front end that declines (one chat at a time) leaves the Host's channel closed.
        new ChatClient().answer(host, chat -> null);
        assertTrue(host.hostOpens().closedReason != null, "the Host hears the refusal");
    }
}
