package org.tandemrc.host.desktop.internal;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import javax.swing.SwingUtilities;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.countdown.Countdown;
import org.tandemrc.api.countdown.CountdownNotice;

/**
 * Shows a coming restart, shut down, log off or lock to the person at the Host in a
 * {@link CountdownWindow}. No service without a display, as for {@link DesktopPrompt}. The countdown's
 * owner keeps its own time: a window that cannot be shown never delays or hastens what comes.
 */
@Component(service = CountdownNotice.class, immediate = true)
public class DesktopCountdown implements CountdownNotice {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.desktop");

    private final Set<CompletableFuture<Answer>> pending = ConcurrentHashMap.newKeySet();
    private Texts texts;
    private Scale scale;

    @Activate
    void activate() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): no countdown window");
        }
        texts = new Texts(Locale.getDefault());
        scale = Scale.ofScreen();
    }

    @Deactivate
    void deactivate() {
        pending.forEach(a -> a.cancel(false));
    }

    @Override
    public CompletableFuture<Answer> show(Countdown countdown) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + countdown.left().toNanos();
        pending.add(answer);
        answer.whenComplete((a, e) -> pending.remove(answer));
        SwingUtilities.invokeLater(() -> {
            if (answer.isDone()) {
                return;
            }
            try {
                CountdownWindow window = new CountdownWindow(countdown, deadline, answer, texts, scale);
                answer.whenComplete((a, e) -> SwingUtilities.invokeLater(window::close));
                LOG.log(System.Logger.Level.INFO, "countdown on the desktop: {0}", window.title());
            } catch (AWTError | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the desktop could not show the countdown: " + e, e);
            }
        });
        return answer;
    }
}
