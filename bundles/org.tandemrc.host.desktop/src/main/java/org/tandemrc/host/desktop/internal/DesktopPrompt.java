package org.tandemrc.host.desktop.internal;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.swing.SwingUtilities;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.consent.FileOffer;

/**
 * Asks the person at the Host on their desktop, one window per question. Ranked above the terminal's
 * prompt, so a Host with a desktop asks there. The Host never waits on the desktop: every answer
 * completes by the request's timeout even if the window could not be shown or the event thread hangs.
 */
@Component(service = ConsentPrompt.class, immediate = true, property = Constants.SERVICE_RANKING + ":Integer=100")
public class DesktopPrompt implements ConsentPrompt {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.desktop");

    private final Set<CompletableFuture<ConsentDecision>> pending = ConcurrentHashMap.newKeySet();
    private Texts texts;
    private Scale scale;

    @Activate
    void activate() {
        if (GraphicsEnvironment.isHeadless()) {
            // No service then: the Host asks on the terminal, as without this bundle.
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): the desktop cannot ask");
        }
        texts = new Texts(Locale.getDefault());
        scale = Scale.ofScreen();
    }

    @Deactivate
    void deactivate() {
        // Unanswered questions end as if nobody answered; their windows close with them.
        pending.forEach(a -> a.complete(ConsentDecision.TIMED_OUT));
    }

    @Override
    public CompletionStage<ConsentDecision> ask(ConsentRequest request) {
        CompletableFuture<ConsentDecision> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + request.timeout().toNanos();
        pending.add(answer);
        answer.whenComplete((d, e) -> pending.remove(answer));
        // The window counts down and times out itself; this is the guarantee when it cannot.
        answer.completeOnTimeout(ConsentDecision.TIMED_OUT, request.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        SwingUtilities.invokeLater(() -> {
            if (answer.isDone()) {
                return;
            }
            try {
                ConsentWindow window = new ConsentWindow(request, deadline, answer, texts, scale);
                answer.whenComplete((d, e) -> window.close());
                LOG.log(System.Logger.Level.INFO, "asking on the desktop: {0}", window.readAloud());
            } catch (AWTError | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the desktop could not ask; refused: " + e, e);
                answer.complete(ConsentDecision.DENIED);
            }
        });
        return answer;
    }

    /**
     * Asks in a window like any other question, with Save… and Cancel; Save… opens the save dialog in the
     * folder the Host proposes. The whole answer, choosing the place included, is due by the request's timeout.
     */
    @Override
    public CompletionStage<Optional<Path>> save(FileOffer offer) {
        ConsentRequest r = offer.request();
        CompletableFuture<Optional<Path>> where = new CompletableFuture<>();
        where.completeOnTimeout(Optional.empty(), r.timeout().toMillis(), TimeUnit.MILLISECONDS);
        ask(new ConsentRequest(ConsentKind.FILE_PUSH, r.guestName(), // the window escapes the detail, name included
                texts.get("file.detail", offer.name(),
                offer.size()), r.timeout(), r.address(), r.role())).whenComplete((d, e) -> {
                    if (d != ConsentDecision.GRANTED) {
                        where.complete(Optional.empty());
                        return;
                    }
                    SwingUtilities.invokeLater(() -> {
                        try {
                            SaveDialog.show(offer.proposed(), texts.get("product") + ": "
                                    + texts.get("file.save.title", Texts.peer(r.guestName())), texts, scale, where);
                        } catch (AWTError | RuntimeException x) {
                            LOG.log(System.Logger.Level.ERROR, "the desktop could not choose a place; refused: " + x, x);
                            where.complete(Optional.empty());
                        }
                    });
                });
        return where;
    }
}
