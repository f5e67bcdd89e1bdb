package org.tandemrc.session.message.internal;

import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;
import org.tandemrc.api.session.Channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;

class MessageSessionTypeTest {

    static final class FakeUser implements LocalUser {
        final List<String> shown = new ArrayList<>();

        @Override
        public void showMessage(String from, String text) {
            shown.add(from + ": " + text);
        }

        @Override
        public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
            throw new UnsupportedOperationException();
        }
    }

    private final FakeUser user = new FakeUser();
    private final MessageSessionType type = seated(user);


    /** The session type with {@code person} at its node, as Declarative Services seats one. */
    static MessageSessionType seated(LocalUser person) {
        MessageSessionType type = new MessageSessionType();
        type.bindLocalUser(person);
        return type;
    }

    @Test
    void describesItself() {
        assertEquals("message", type.id());
        assertEquals("Send Message", type.title());
        assertEquals(Set.of(Privilege.SEND_MESSAGE), type.requiredPrivileges());
        assertFalse(type.needsConsent());
    }

    @Test
    void messageIsDeliveredAndAcknowledged() {
        FakeChannel[] pair = FakeChannel.pair();
        FakeChannel guest = pair[0];
        FakeChannel host = pair[1];
        host.handler = type.open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        guest.handler = type.open(context(Side.GUEST, guest, "alice", "desk-1",
                List.of("Hello", "Grüße", "😀")));

        assertEquals(List.of("alice: Hello Grüße 😀"), user.shown);
        assertEquals(1, guest.sent.size());
        assertEquals("Hello Grüße 😀", StandardCharsets.UTF_8.decode(guest.sent.get(0)).toString());
        assertEquals(List.of(ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII))), host.sent);
        assertEquals("message delivered", host.closeReason);
        assertNull(guest.closeReason, "the Guest accepts ok and waits for the Host's close");
        assertEquals("message delivered", guest.closedReason);
    }

    /** A desktop: it shows the message on another thread and says when it is on screen. */
    static final class LaterUser implements LocalUser {
        final CompletableFuture<Void> onScreen = new CompletableFuture<>();

        @Override
        public void showMessage(String from, String text) {
            throw new UnsupportedOperationException("a desktop says when it shows a message");
        }

        @Override
        public CompletionStage<Void> deliverMessage(String from, String text) {
            return onScreen;
        }

        @Override
        public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theHostAnswersOkOnlyOnceTheMessageIsOnScreen() {
        LaterUser desktop = new LaterUser();
        MessageSessionType later = seated(desktop);
        FakeChannel host = new FakeChannel();
        SessionHandler h = later.open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        h.received(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        assertTrue(host.sent.isEmpty(), "no ok before the window is shown");
        assertNull(host.closeReason);
        desktop.onScreen.complete(null);
        assertEquals(List.of(ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII))), host.sent);
        assertEquals("message delivered", host.closeReason);

        LaterUser broken = new LaterUser();
        FakeChannel refused = new FakeChannel();
        SessionHandler r = seated(broken).open(context(Side.HOST, refused, "alice", "desk-1", List.of()));
        r.received(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        broken.onScreen.completeExceptionally(new IllegalStateException("no window"));
        assertTrue(refused.sent.isEmpty(), "no ok for a message nobody saw");
        assertEquals("this Host cannot show messages", refused.closeReason);
    }

    @Test
    void guestRefusesEmptyText() {
        FakeChannel guest = new FakeChannel();
        type.open(context(Side.GUEST, guest, "alice", "desk-1", List.of()));
        assertEquals("no message text", guest.closeReason);
        assertTrue(guest.sent.isEmpty());

        FakeChannel blank = new FakeChannel();
        type.open(context(Side.GUEST, blank, "alice", "desk-1", List.of(" ", "")));
        assertEquals("no message text", blank.closeReason);
        assertTrue(blank.sent.isEmpty());
    }

    @Test
    void guestRefusesOversizedText() {
        FakeChannel guest = new FakeChannel();
        type.open(context(Side.GUEST, guest, "alice", "desk-1", List.of("x".repeat(4001))));
        assertEquals("the message has 4001 characters; at most 4000 are allowed", guest.closeReason);
        assertTrue(guest.sent.isEmpty());

        FakeChannel exact = new FakeChannel();
        type.open(context(Side.GUEST, exact, "alice", "desk-1", List.of("😀".repeat(4000))));
        assertNull(exact.closeReason, "4000 characters of 4 bytes each are allowed");
        assertEquals(16000, exact.sent.get(0).remaining());
    }

    private FakeChannel hostReceives(byte[] message) {
        FakeChannel host = new FakeChannel();
        SessionHandler h = type.open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        host.handler = h;
        h.received(ByteBuffer.wrap(message).asReadOnlyBuffer());
        return host;
    }

    @Test
    void hostRefusesOversizedText() {
        assertEquals("the message is longer than 4000 characters",
                hostReceives("y".repeat(4001).getBytes(StandardCharsets.UTF_8)).closeReason);
        assertEquals("the message is longer than 4000 characters",
                hostReceives(new byte[2_000_000]).closeReason);
        assertTrue(user.shown.isEmpty());
        FakeChannel ok = hostReceives("😀".repeat(4000).getBytes(StandardCharsets.UTF_8));
        assertEquals("message delivered", ok.closeReason);
    }

    @Test
    void hostRefusesInvalidUtf8() {
        byte[][] invalid = {
            {(byte) 0xC3, 0x28},                           // bad continuation
            {(byte) 0xC0, (byte) 0xAF},                    // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},       // encoded surrogate
            {'h', 'i', (byte) 0xF0, (byte) 0x9F},          // truncated
        };
        for (byte[] bytes : invalid) {
            FakeChannel host = hostReceives(bytes);
            assertEquals("the message is not valid UTF-8 text", host.closeReason);
            assertTrue(host.sent.isEmpty());
        }
        assertTrue(user.shown.isEmpty());
    }

    @Test
    void hostRefusesEmptyText() {
        FakeChannel host = hostReceives(new byte[0]);
        assertEquals("no message text", host.closeReason);
        assertTrue(user.shown.isEmpty());
    }

    @Test
    void hostWithoutPersonRefuses() {
        MessageSessionType alone = new MessageSessionType();
        FakeChannel host = new FakeChannel();
        SessionHandler h = alone.open(context(Side.HOST, host, "alice", "desk-1", List.of()));
        h.received(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        assertEquals("this Host cannot show messages", host.closeReason);
        assertTrue(host.sent.isEmpty());
    }

    @Test
    void guestClosesOnUnexpectedReply() {
        FakeChannel guest = new FakeChannel();
        SessionHandler h = type.open(context(Side.GUEST, guest, "alice", "desk-1", List.of("hi")));
        h.received(ByteBuffer.wrap("nope".getBytes(StandardCharsets.UTF_8)));
        assertEquals("unexpected reply from the Host", guest.closeReason);
    }

    private static FakeContext context(Side side, Channel channel, String guest, String host, List<String> args) {
        return new FakeContext(side, channel, guest, host, args, Set.of(Privilege.SEND_MESSAGE));
    }
}
