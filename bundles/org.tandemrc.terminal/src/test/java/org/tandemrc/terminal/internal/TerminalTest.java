package org.tandemrc.terminal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.user.Conversation;

class TerminalTest {

    private static final long WAIT = 10;

    private final TypedInput input = new TypedInput();
    private final Screen screen = new Screen();
    private ScheduledExecutorService timer;
    private Terminal terminal;

    @BeforeEach
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor();
        terminal = new Terminal(input, screen.stream, timer);
        terminal.start();
    }

    @AfterEach
    void stop() {
        terminal.close();
        timer.shutdownNow();
    }

    private CompletableFuture<ConsentDecision> ask(String guest, String detail, Duration timeout) {
        return terminal.ask(new ConsentRequest(ConsentKind.ACCESS, guest, detail, timeout)).toCompletableFuture();
    }

    private static ConsentDecision decision(CompletableFuture<ConsentDecision> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    /** {@code question} waits for its answer until the user types {@code line}, which decides it so. */
    private void assertAnswer(CompletableFuture<ConsentDecision> question, String line, ConsentDecision expected)
            throws Exception {
        assertFalse(question.isDone(), "decided before the answer");
        input.type(line);
        assertEquals(expected, decision(question));
    }

    // --------------------------------------------------------------------------------- consent

    @Test
    void consentYes() throws Exception {
        CompletableFuture<ConsentDecision> answer = ask("alice", "chat session", Duration.ofSeconds(30));
        screen.await("Guest \"alice\" asks to start a session (chat session). Allow? [y/n] (answer within 30 s)");
        assertAnswer(answer, "YES\r\n", ConsentDecision.GRANTED);
        screen.await("Allowed.");
    }

    @Test
    void consentNo() throws Exception {
        CompletableFuture<ConsentDecision> answer = terminal.ask(new ConsentRequest(ConsentKind.FILE_PUSH, "alice",
                "", Duration.ofSeconds(30))).toCompletableFuture();
        screen.await("Guest \"alice\" asks to copy files to this computer. Allow? [y/n]");
        assertAnswer(answer, " n \n", ConsentDecision.DENIED);
        screen.await("Refused.");
    }

    @Test
    void anOfferedFileIsSavedWhereProposedOnYesAndNowhereOnNo() throws Exception {
        java.nio.file.Path proposed = java.nio.file.Path.of("/home/ann/Downloads/report (2).pdf");
        org.tandemrc.api.consent.FileOffer offer = new org.tandemrc.api.consent.FileOffer(new ConsentRequest(
                ConsentKind.FILE_PUSH, "bob\u001b[2J", "", Duration.ofSeconds(30), "192.0.2.7", null), "report.pdf", 1234,
                proposed);
        var saved = terminal.save(offer).toCompletableFuture();
        screen.await("Guest \"bob\\x1b[2J\" asks to copy files to this computer (offers report.pdf, 1234 bytes; yes saves it"
                + " as /home/ann/Downloads/report (2).pdf). Allow? [y/n]");
        input.type("y\n");
        assertEquals(java.util.Optional.of(proposed), saved.get(10, java.util.concurrent.TimeUnit.SECONDS));
        var refused = terminal.save(offer).toCompletableFuture();
        screen.await("offers report.pdf, 1234 bytes", 2);
        input.type("n\n");
        assertEquals(java.util.Optional.empty(), refused.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void consentReasksOnOtherAnswers() throws Exception {
        CompletableFuture<ConsentDecision> answer = ask("alice", "", Duration.ofSeconds(30));
        screen.await("Allow? [y/n]");
        input.type("maybe\n");
        screen.await("Please answer y or n (");
        input.type("\n");
        screen.await("Please answer y or n (", 2);
        assertAnswer(answer, "y\n", ConsentDecision.GRANTED);
    }

    @Test
    void consentTimesOut() throws Exception {
        CompletableFuture<ConsentDecision> answer = ask("alice", "", Duration.ofMillis(200));
        assertEquals(ConsentDecision.TIMED_OUT, decision(answer));
        screen.await("No answer in time: the request of Guest \"alice\" is refused.");
        // A late answer answers nothing.
        input.type("y\n");
        screen.await(Terminal.IGNORED);
    }

    @Test
    void questionsWaitForTheirTimeoutAtEndOfInput() throws Exception {
        input.eof();
        Thread reader = terminal.reader();
        reader.join(TimeUnit.SECONDS.toMillis(WAIT));
        assertFalse(reader.isAlive());
        CompletableFuture<ConsentDecision> answer = ask("alice", "", Duration.ofMillis(300));
        screen.await("Allow? [y/n]");
        assertEquals(ConsentDecision.TIMED_OUT, decision(answer));
    }

    @Test
    void concurrentRequestsAreAskedOneAtATime() throws Exception {
        CompletableFuture<ConsentDecision> first = ask("alice", "", Duration.ofSeconds(30));
        CompletableFuture<ConsentDecision> second = ask("bob", "remote control", Duration.ofSeconds(30));
        screen.await("Guest \"alice\" asks to start a session. Allow?");
        assertFalse(screen.text().contains("bob"), "the second question waits for the first");
        assertAnswer(first, "n\n", ConsentDecision.DENIED);
        screen.await("Guest \"bob\" asks to start a session (remote control). Allow? [y/n] (answer within ");
        assertAnswer(second, "y\n", ConsentDecision.GRANTED);
    }

    @Test
    void queuedRequestTimesOutWithoutBeingAsked() throws Exception {
        CompletableFuture<ConsentDecision> first = ask("alice", "", Duration.ofSeconds(30));
        CompletableFuture<ConsentDecision> second = ask("bob", "", Duration.ofMillis(200));
        assertEquals(ConsentDecision.TIMED_OUT, decision(second));
        screen.await("The request of Guest \"bob\" timed out before it could be asked");
        assertAnswer(first, "y\n", ConsentDecision.GRANTED);
        assertFalse(screen.text().contains("Guest \"bob\" asks"));
    }

    @Test
    void manyConcurrentRequestsAllComplete() throws Exception {
        CompletableFuture<?>[] answers = new CompletableFuture<?>[8];
        CountDownLatch go = new CountDownLatch(1);
        Thread[] askers = new Thread[answers.length];
        for (int i = 0; i < answers.length; i++) {
            int n = i;
            answers[n] = new CompletableFuture<ConsentDecision>();
            askers[n] = new Thread(() -> {
                try {
                    go.await();
                    ask("guest" + n, "", Duration.ofSeconds(30)).whenComplete((d, e) ->
                            ((CompletableFuture<ConsentDecision>) answers[n]).complete(d));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            askers[n].start();
        }
        go.countDown();
        for (Thread t : askers) {
            t.join();
        }
        for (int i = 0; i < answers.length; i++) {
            screen.await("Allow? [y/n]", i + 1);
            input.type(i % 2 == 0 ? "y\n" : "no\n");
        }
        int granted = 0;
        for (CompletableFuture<?> a : answers) {
            if (a.get(WAIT, TimeUnit.SECONDS) == ConsentDecision.GRANTED) {
                granted++;
            }
        }
        assertEquals(4, granted);
    }

    @Test
    void closingRefusesPendingQuestions() throws Exception {
        CompletableFuture<ConsentDecision> first = ask("alice", "", Duration.ofSeconds(30));
        CompletableFuture<ConsentDecision> second = ask("bob", "", Duration.ofSeconds(30));
        screen.await("Allow? [y/n]");
        terminal.close();
        assertEquals(ConsentDecision.TIMED_OUT, decision(first));
        assertEquals(ConsentDecision.TIMED_OUT, decision(second));
        assertEquals(ConsentDecision.TIMED_OUT, decision(ask("carol", "", Duration.ofSeconds(30))));
        Thread reader = terminal.reader();
        reader.join(TimeUnit.SECONDS.toMillis(WAIT));
        assertFalse(reader.isAlive(), "an interruptible read stops");
    }

    // --------------------------------------------------------------------------------- messages

    @Test
    void messagesAreShownSanitized() throws Exception {
        terminal.showMessage("al\u001b]0;pwned\u0007ice", "hi\u001b[2J\tthere\u009b31m\u202Egnp.exe\nsecond line");
        screen.await("Message from al\\x1b]0;pwned\\x07ice: hi\\x1b[2J\\tthere\\x9b31m\\u202egnp.exe\\nsecond line");
        String out = screen.text();
        assertFalse(out.contains("\u001b"));
        assertFalse(out.contains("\u0007"));
        assertFalse(out.contains("\u009b"));
        assertFalse(out.contains("\u202E"));
    }

    @Test
    void consentQuestionIsSanitized() throws Exception {
        ask("ev\u001b[1Ail", "x\u001b[0m", Duration.ofSeconds(30));
        screen.await("Guest \"ev\\x1b[1Ail\" asks to start a session (x\\x1b[0m).");
        assertFalse(screen.text().contains("\u001b"));
    }

    @Test
    void aLineWithNoOneToTalkToIsIgnored() throws Exception {
        input.type("hello?\n");
        screen.await("(no one to talk to; the line was ignored)");
    }

    // --------------------------------------------------------------------------------- chat

    @Test
    void chatBothWaysAndEnd() throws Exception {
        LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        CountDownLatch ended = new CountDownLatch(1);
        Conversation c = terminal.converse("alice", sent::add, ended::countDown);
        screen.await("Chat with alice started; type lines to send, /end to finish.");

        input.type("hello there\n");
        assertEquals("hello there", sent.poll(WAIT, TimeUnit.SECONDS));
        c.show("alice", "hi \u001b[31mred");
        screen.await("alice: hi \\x1b[31mred");

        input.type("/end\n");
        assertTrue(ended.await(WAIT, TimeUnit.SECONDS));
        screen.await("Chat ended: you ended it.");
        c.end("desk-1 ended the chat");
        c.show("alice", "late line");
        input.type("after\n");
        screen.await(Terminal.IGNORED);
        assertFalse(screen.text().contains("late line"));
        assertFalse(screen.text().contains("Chat ended: desk-1"), "the chat ended once");
        assertNull(sent.poll());
    }

    @Test
    void peerEndsTheChat() throws Exception {
        LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        Conversation c = terminal.converse("alice", sent::add, () -> sent.add("ENDED"));
        c.end("alice ended the chat");
        screen.await("Chat ended: alice ended the chat");
        input.type("anyone?\n");
        screen.await(Terminal.IGNORED);
        assertNull(sent.poll());
    }

    @Test
    void secondChatEndsTheFirst() throws Exception {
        CountDownLatch firstEnded = new CountDownLatch(1);
        LinkedBlockingQueue<String> first = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> second = new LinkedBlockingQueue<>();
        terminal.converse("alice", first::add, firstEnded::countDown);
        terminal.converse("bob", second::add, () -> { });
        assertTrue(firstEnded.await(WAIT, TimeUnit.SECONDS));
        screen.await("Chat ended: another chat started");
        screen.await("Chat with bob started");
        input.type("to bob\n");
        assertEquals("to bob", second.poll(WAIT, TimeUnit.SECONDS));
        assertNull(first.poll());
    }

    @Test
    void pendingQuestionTakesTheLineBeforeTheChat() throws Exception {
        LinkedBlockingQueue<String> sent = new LinkedBlockingQueue<>();
        terminal.converse("alice", sent::add, () -> { });
        CompletableFuture<ConsentDecision> answer = terminal.ask(new ConsentRequest(ConsentKind.TAKE_CONTROL,
                "alice", "", Duration.ofSeconds(30))).toCompletableFuture();
        screen.await("asks to take control of this computer's keyboard and mouse. Allow?");
        assertAnswer(answer, "y\n", ConsentDecision.GRANTED);
        input.type("thanks\n");
        assertEquals("thanks", sent.poll(WAIT, TimeUnit.SECONDS));
        assertNull(sent.poll());
    }

    @Test
    void closingEndsTheChat() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        terminal.converse("alice", line -> { }, ended::countDown);
        terminal.close();
        assertTrue(ended.await(WAIT, TimeUnit.SECONDS));
        screen.await("Chat ended: the console is closing");
        assertThrows(IllegalStateException.class, () -> terminal.converse("bob", line -> { }, () -> { }));
    }

    @Test
    void cleanKeepsTextAndEscapesTheRest() {
        assertEquals("Grüße\\t😀 日本", Terminal.clean("Grüße\t😀 日本"));
        assertEquals("a\\x7fb", Terminal.clean("a\u007fb"));
        assertEquals("\\ud800", Terminal.clean("\ud800"));
        assertEquals("", Terminal.clean(null));
    }
}
