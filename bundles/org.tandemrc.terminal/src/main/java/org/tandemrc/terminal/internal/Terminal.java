package org.tandemrc.terminal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.FileOffer;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.support.text.PeerText;
import org.tandemrc.api.user.LocalUser;

/**
 * A terminal as the person at this node, without OSGi: lines typed on {@code in} answer consent
 * questions (one asked at a time, the others queued) or go to the active conversation; messages,
 * chat lines and questions are printed to {@code out}. Every peer-provided string is printed through
 * {@link #clean(String)} so a peer cannot drive the terminal.
 *
 * <p>A request's timeout counts from the call to {@link #ask}, as {@link ConsentRequest} says: a
 * queued question that times out before its turn is refused without being asked, and a question
 * shows the time it has left when it is asked.
 *
 * <p>Callbacks (typed lines, endedByPerson, completing an answer) run without the terminal's lock.
 */
public final class Terminal implements LocalUser, ConsentPrompt {

    /** Typed lines longer than this many chars are cut; the rest of the line is dropped. */
    static final int MAX_LINE = 16 * 1024;

    static final String IGNORED = "(no one to talk to; the line was ignored)";
    static final String REASK = "Please answer y or n";

    private final InputStream in;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();

    /** Guarded by lock. */
    private final ArrayDeque<Question> waiting = new ArrayDeque<>();
    private Question asked;
    private Chat chat;
    private boolean closed;
    private Thread reader;

    /** One consent question. Fields other than the final ones are guarded by lock. */
    private static final class Question {
        final ConsentRequest request;
        final long deadline;
        final CompletableFuture<ConsentDecision> answer = new CompletableFuture<>();
        Future<?> timeout;
        boolean decided;

        Question(ConsentRequest request, long deadline) {
            this.request = request;
            this.deadline = deadline;
        }
    }

    /** One conversation. {@code over} is guarded by lock. */
    private final class Chat implements Conversation {
        final String peer;
        final Consumer<String> typed;
        final Runnable endedByPerson;
        boolean over;

        Chat(String peer, Consumer<String> typed, Runnable endedByPerson) {
            this.peer = peer;
            this.typed = typed;
            this.endedByPerson = endedByPerson;
        }

        @Override
        public void show(String from, String text) {
            synchronized (lock) {
                if (!over) {
                    print(clean(from) + ": " + clean(text));
                }
            }
        }

        @Override
        public void end(String reason) {
            synchronized (lock) {
                if (over) {
                    return;
                }
                over = true;
                if (chat == this) {
                    chat = null;
                }
                print("Chat ended: " + clean(reason));
            }
        }
    }

    public Terminal(InputStream in, PrintStream out, ScheduledExecutorService timer) {
        this.in = in;
        this.out = out;
        this.timer = timer;
    }

    /** Starts reading what the person types, on a daemon thread. */
    public void start() {
        synchronized (lock) {
            if (reader != null || closed) {
                return;
            }
            reader = new Thread(this::readLines, "tandem-terminal-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * Stops: pending questions complete with {@link ConsentDecision#TIMED_OUT}, the conversation ends
     * (its endedByPerson runs, so the peer learns of it), the reader stops. Does not close the input:
     * it is not ours (it may be {@code System.in}); a reader blocked in read stays a daemon until the
     * next line, which it drops.
     */
    public void close() {
        List<Question> pending = new ArrayList<>();
        Chat ending;
        Thread r;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (asked != null) {
                pending.add(asked);
                asked = null;
            }
            pending.addAll(waiting);
            waiting.clear();
            for (Question q : pending) {
                q.decided = true;
            }
            if (!pending.isEmpty()) {
                print("The console is closing: unanswered requests are refused.");
            }
            ending = chat;
            chat = null;
            if (ending != null) {
                ending.over = true;
                print("Chat ended: the console is closing");
            }
            r = reader;
        }
        for (Question q : pending) {
            if (q.timeout != null) {
                q.timeout.cancel(false);
            }
            q.answer.complete(ConsentDecision.TIMED_OUT);
        }
        if (ending != null) {
            runQuietly(ending.endedByPerson);
        }
        if (r != null && r != Thread.currentThread()) {
            r.interrupt();
        }
    }

    /** The reader thread, once started (for tests). */
    Thread reader() {
        synchronized (lock) {
            return reader;
        }
    }

    // ------------------------------------------------------------------------------------- consent

    @Override
    public CompletionStage<ConsentDecision> ask(ConsentRequest request) {
        start();
        long nanos = saturatedNanos(request.timeout());
        Question q = new Question(request, System.nanoTime() + nanos);
        boolean refuse = false;
        synchronized (lock) {
            if (closed) {
                refuse = true;
            } else {
                try {
                    q.timeout = timer.schedule(() -> timedOut(q), nanos, TimeUnit.NANOSECONDS);
                    waiting.add(q);
                    if (asked == null) {
                        askNext();
                    }
                } catch (RejectedExecutionException e) {
                    refuse = true;
                }
            }
            if (refuse) {
                q.decided = true;
            }
        }
        if (refuse) {
            // Nobody can answer any more.
            q.answer.complete(ConsentDecision.TIMED_OUT);
        }
        return q.answer.minimalCompletionStage();
    }

    /**
     * Asks as any other question, and saves where the Host proposes: a terminal cannot browse folders, and
     * the person reads the place before answering.
     */
    @Override
    public CompletionStage<Optional<Path>> save(FileOffer offer) {
        ConsentRequest r = offer.request();
        return ask(new ConsentRequest(ConsentKind.FILE_PUSH, r.guestName(), "offers " + offer.name() + ", "
                + offer.size() + " bytes; yes saves it as " + offer.proposed(), r.timeout(), r.address(), r.role()))
                .thenApply(d -> d == ConsentDecision.GRANTED ? Optional.of(offer.proposed()) : Optional.empty());
    }

    /** Under lock: asks the next question still waiting, if any. */
    private void askNext() {
        asked = null;
        Question q;
        while ((q = waiting.poll()) != null) {
            if (!q.decided) {
                asked = q;
                print(question(q));
                return;
            }
        }
    }

    private void timedOut(Question q) {
        synchronized (lock) {
            if (q.decided) {
                return;
            }
            q.decided = true;
            String who = "Guest \"" + clean(q.request.guestName()) + "\"";
            if (asked == q) {
                print("No answer in time: the request of " + who + " is refused.");
                askNext();
            } else {
                waiting.remove(q);
                print("The request of " + who + " timed out before it could be asked: it is refused.");
            }
        }
        q.answer.complete(ConsentDecision.TIMED_OUT);
    }

    /** Under lock: the person's line answers the question being asked; returns what to run after. */
    private Runnable answer(String line) {
        Question q = asked;
        ConsentDecision decision;
        switch (line.strip().toLowerCase(Locale.ROOT)) {
            case "y":
            case "yes":
                decision = ConsentDecision.GRANTED;
                print("Allowed.");
                break;
            case "n":
            case "no":
                decision = ConsentDecision.DENIED;
                print("Refused.");
                break;
            default:
                print(REASK + " (" + secondsLeft(q) + " s left).");
                return null;
        }
        q.decided = true;
        askNext();
        return () -> {
            q.timeout.cancel(false);
            q.answer.complete(decision);
        };
    }

    private static String question(Question q) {
        ConsentRequest r = q.request;
        String what;
        switch (r.kind()) {
            case ACCESS:
                what = "asks to start a session";
                break;
            case TAKE_CONTROL:
                what = "asks to take control of this computer's keyboard and mouse";
                break;
            case FILE_PUSH:
                what = "asks to copy files to this computer";
                break;
            default:
                what = "asks for " + r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        String detail = r.detail().isBlank() ? "" : " (" + clean(r.detail().strip()) + ")";
        return "Guest \"" + clean(r.guestName()) + "\" " + what + detail + ". Allow? [y/n] (answer within "
                + secondsLeft(q) + " s)";
    }

    private static long secondsLeft(Question q) {
        long left = q.deadline - System.nanoTime();
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    // ------------------------------------------------------------------------------- person

    @Override
    public void showMessage(String from, String text) {
        synchronized (lock) {
            print("Message from " + clean(from) + ": " + clean(text));
        }
    }

    @Override
    public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
        start();
        Chat c = new Chat(peer, typed, endedByPerson);
        Chat previous;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the console is closed");
            }
            previous = chat;
            if (previous != null) {
                previous.over = true;
                print("Chat ended: another chat started");
            }
            chat = c;
            print("Chat with " + clean(peer) + " started; type lines to send, /end to finish.");
        }
        if (previous != null) {
            runQuietly(previous.endedByPerson);
        }
        return c;
    }

    // ------------------------------------------------------------------------------- input

    private void readLines() {
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        StringBuilder line = new StringBuilder();
        char[] buf = new char[1024];
        try {
            int n;
            while ((n = r.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char ch = buf[i];
                    if (ch == '\n') {
                        int end = line.length();
                        if (end > 0 && line.charAt(end - 1) == '\r') {
                            line.setLength(end - 1);
                        }
                        if (!typed(line.toString())) {
                            return;
                        }
                        line.setLength(0);
                    } else if (line.length() < MAX_LINE) {
                        line.append(ch);
                    }
                }
            }
            if (line.length() > 0) {
                typed(line.toString());
            }
        } catch (InterruptedIOException e) {
            // Closing.
        } catch (IOException e) {
            // The input is gone: like its end. Questions wait for their timeout.
        }
    }

    /** Dispatches one typed line; false once the terminal is closed. */
    boolean typed(String line) {
        Runnable after;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (asked != null) {
                after = answer(line);
            } else if (chat != null) {
                Chat c = chat;
                if (line.strip().equalsIgnoreCase("/end")) {
                    c.over = true;
                    chat = null;
                    print("Chat ended: you ended it.");
                    after = c.endedByPerson;
                } else {
                    after = () -> c.typed.accept(line);
                }
            } else {
                print(IGNORED);
                after = null;
            }
        }
        if (after != null) {
            runQuietly(after);
        }
        return true;
    }

    // ------------------------------------------------------------------------------- output

    /** Under lock. */
    private void print(String line) {
        out.println(line);
        out.flush();
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // A session's callback failed; the terminal goes on.
        }
    }

    /** A peer-provided string as it is printed: escaped, so a peer cannot drive the terminal. */
    static String clean(String s) {
        return PeerText.escape(s);
    }
}
