package org.tandemrc.terminal.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;

/**
 * The kernel's terminal as the person at this node: the {@code java.io.InputStream} registered with
 * {@code tandem.console=in} and the {@code java.io.PrintStream} with {@code tandem.console=out}.
 * Immediate, so one reader serves every user of the services as they come and go. The terminal is
 * read only from the first question or conversation on: until then its input belongs to whoever else
 * reads it (a Guest command reading a password from standard input, for one).
 */
@Component(service = {LocalUser.class, ConsentPrompt.class}, immediate = true)
public class TerminalComponent implements LocalUser, ConsentPrompt {

    private final ScheduledThreadPoolExecutor timer;
    private final Terminal terminal;

    @Activate
    public TerminalComponent(@Reference(name = "in", target = "(tandem.console=in)") InputStream in,
            @Reference(name = "out", target = "(tandem.console=out)") PrintStream out) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tandem-console-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        terminal = new Terminal(in, out, timer);
    }

    @Deactivate
    void deactivate() {
        terminal.close();
        timer.shutdownNow();
    }

    @Override
    public CompletionStage<ConsentDecision> ask(ConsentRequest request) {
        return terminal.ask(request);
    }

    @Override
    public CompletionStage<java.util.Optional<java.nio.file.Path>> save(org.tandemrc.api.consent.FileOffer offer) {
        return terminal.save(offer);
    }

    @Override
    public void showMessage(String from, String text) {
        terminal.showMessage(from, text);
    }

    @Override
    public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
        return terminal.converse(peer, typed, endedByPerson);
    }
}
