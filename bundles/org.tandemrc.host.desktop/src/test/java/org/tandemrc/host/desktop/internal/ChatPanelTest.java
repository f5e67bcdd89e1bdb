package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ChatPanelTest {

    private final List<String> sent = new ArrayList<>();
    private final AtomicInteger ended = new AtomicInteger();
    private final ChatPanel chat = new ChatPanel("alice", new Texts(Locale.ENGLISH), Scale.of(96), sent::add,
            ended::incrementAndGet);

    @Test
    void blankLinesAreNotSentAndNothingIsSentOnceTheChatIsOver() {
        chat.send("   ");
        chat.send("hello");
        assertEquals(List.of("hello"), sent);
        chat.ended("alice ended the chat");
        chat.send("too late");
        assertEquals(List.of("hello"), sent);
        assertEquals("You: hello\nThe chat ended: alice ended the chat", chat.transcript());
        assertEquals(0, ended.get(), "the Guest ended it: nothing to tell the Guest");
    }

    @Test
    void endingFromTheHostTellsTheSessionOnce() {
        chat.endChat("you ended it");
        chat.endChat("again");
        chat.ended("the chat channel closed");
        assertEquals(1, ended.get());
        assertTrue(chat.isOver());
        assertEquals("The chat ended: you ended it", chat.transcript());
    }
}
