package org.tandemrc.host.desktop.internal;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import javax.swing.SwingUtilities;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;
import org.tandemrc.support.config.TypedConfig;

/**
 * The person at the Host on their desktop for chats and messages: a chat window per Guest, a message
 * window the person closes. Registered as the {@link LocalUser} ranked above the terminal's only while
 * there is a display and {@code notices} is on, so a headless Host, or one whose screen nobody watches
 * ({@code notices = false}), keeps chatting on its terminal. Registered by hand rather than by
 * Declarative Services because whether it is offered follows the configuration.
 */
@Component(service = {}, immediate = true, configurationPid = DesktopConnections.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DesktopUser implements LocalUser {

    /** Above the terminal (no ranking): the greedy reference of the chat and message sessions takes this one. */
    static final int RANKING = 100;
    /** Message windows open at once; a Guest sending more is told the Host cannot show them. */
    static final int MAX_MESSAGES = 20;
    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.desktop");

    private final BundleContext context;
    private final Texts texts = new Texts(Locale.getDefault());
    private final Scale scale = Scale.ofScreen();
    /** Guarded by this. */
    private ServiceRegistration<LocalUser> registration;
    /** Event dispatch thread only. */
    private final List<MessageWindow> messages = new ArrayList<>();

    @Activate
    public DesktopUser(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        offer(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        offer(properties);
    }

    @Deactivate
    synchronized void deactivate() {
        withdraw();
        SwingUtilities.invokeLater(() -> {
            messages.forEach(MessageWindow::close);
            messages.clear();
            Chats.endAll(texts.get("chat.desktop.closed"));
        });
    }

    private synchronized void offer(Map<String, Object> properties) {
        boolean on = !GraphicsEnvironment.isHeadless()
                && TypedConfig.of(DesktopConfig.class, DesktopConnections.PID, properties).notices();
        if (on && registration == null) {
            Hashtable<String, Object> ranked = new Hashtable<>();
            ranked.put(Constants.SERVICE_RANKING, RANKING);
            registration = context.registerService(LocalUser.class, this, ranked);
        } else if (!on) {
            withdraw();
        }
    }

    private void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and took it with it
            }
            registration = null;
        }
    }

    @Override
    public void showMessage(String from, String text) {
        deliverMessage(from, text);
    }

    @Override
    public CompletionStage<Void> deliverMessage(String from, String text) {
        CompletableFuture<Void> shown = new CompletableFuture<>();
        SwingUtilities.invokeLater(() -> {
            messages.removeIf(m -> !m.isOpen());
            if (messages.size() >= MAX_MESSAGES) {
                shown.completeExceptionally(new IllegalStateException(MAX_MESSAGES + " messages are open already"));
                return;
            }
            try {
                MessageWindow[] window = new MessageWindow[1];
                window[0] = new MessageWindow(from, text, texts, scale, () -> {
                    LOG.log(System.Logger.Level.INFO, "message on the desktop: {0}", window[0].title());
                    shown.complete(null);
                });
                messages.add(window[0]);
            } catch (RuntimeException | AWTError e) {
                LOG.log(System.Logger.Level.WARNING, "the desktop could not show a message: " + e, e);
                shown.completeExceptionally(e);
            }
        });
        return shown;
    }

    @Override
    public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
        DesktopChat chat = new DesktopChat(peer, typed, endedByPerson);
        SwingUtilities.invokeLater(chat::open);
        return chat;
    }

    /** One chat: its window is made and touched on the event dispatch thread, in the order of the calls. */
    private final class DesktopChat implements Conversation {
        private final String peer;
        private final Consumer<String> typed;
        private final Runnable endedByPerson;
        /** Event dispatch thread only; null until open, and when the window could not be shown. */
        private ChatWindow window;

        DesktopChat(String peer, Consumer<String> typed, Runnable endedByPerson) {
            this.peer = peer;
            this.typed = typed;
            this.endedByPerson = endedByPerson;
        }

        void open() {
            try {
                window = new ChatWindow(peer, texts, scale, typed, () -> {
                    Chats.remove(window);
                    endedByPerson.run();
                });
            } catch (RuntimeException | AWTError e) {
                LOG.log(System.Logger.Level.WARNING, "the desktop could not open a chat window: " + e, e);
                endedByPerson.run();
                return;
            }
            // A second chat with the same Guest takes the first one's place.
            Chats.put(window).ifPresent(old -> old.endChat(texts.get("chat.replaced")));
            LOG.log(System.Logger.Level.INFO, "chat on the desktop: {0}", window.title());
        }

        @Override
        public void show(String from, String text) {
            SwingUtilities.invokeLater(() -> {
                if (window != null) {
                    window.show(from, text);
                }
            });
        }

        @Override
        public void end(String reason) {
            SwingUtilities.invokeLater(() -> {
                if (window != null) {
                    Chats.remove(window);
                    window.ended(reason);
                }
            });
        }
    }
}
