package org.tandemrc.session.message.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.api.user.LocalUser;
import org.tandemrc.toolkit.session.LocalUserSessionType;

/**
 * The {@code message} session: the Guest sends one UTF-8 text (its arguments joined by spaces, at
 * most {@value WireText#MAX_CHARS} characters); the Host shows it to its person, answers {@code ok}
 * once it is on their screen (not when it was merely handed over) and closes the channel. Exempt from confirm access; the Host core enforces
 * {@link Privilege#SEND_MESSAGE}.
 */
@Component(service = SessionType.class)
@TandemSessionType(MessageSessionType.ID)
public class MessageSessionType extends LocalUserSessionType {

    static final String ID = "message";
    static final ByteBuffer OK = ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    static final String NO_TEXT = "no message text";
    static final String CANNOT_SHOW = "this Host cannot show messages";
    static final String DELIVERED = "message delivered";
    static final String TOO_LONG = "the message is longer than " + WireText.MAX_CHARS + " characters";
    static final String NOT_UTF8 = "the message is not valid UTF-8 text";
    /** How long the person's desktop may take to put a message on screen before it counts as not shown. */
    static final long SHOW_SECONDS = 20;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Send Message";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return Set.of(Privilege.SEND_MESSAGE);
    }

    @Override
    public boolean needsConsent() {
        return false;
    }

    @Override
    public SessionHandler open(SessionContext context) {
        switch (context.side()) {
            case GUEST:
                return new GuestSide(context.channel(), String.join(" ", context.arguments())).start();
            case HOST:
                return new HostSide(context.channel(), context.guestName(), this::localUser);
            default:
                throw new IllegalArgumentException("unknown side " + context.side());
        }
    }

    /** Why {@code text} cannot be sent as a message, or null when it can. */
    static String refusal(String text) {
        if (text == null || text.isBlank()) {
            return NO_TEXT;
        }
        int length = WireText.length(text);
        return length > WireText.MAX_CHARS
                ? "the message has " + length + " characters; at most " + WireText.MAX_CHARS + " are allowed"
                : null;
    }

    /** Sends the text; then waits for "ok" and the Host's close. */
    static final class GuestSide implements SessionHandler {
        private final Channel channel;
        private final String text;
        /** The Host's "ok": it showed the message. */
        private volatile boolean acknowledged;
        /** Completed with the reason once the channel closed. */
        private final CompletableFuture<String> ended = new CompletableFuture<>();

        GuestSide(Channel channel, String text) {
            this.channel = channel;
            this.text = text;
        }

        GuestSide start() {
            String refused = refusal(text);
            if (refused != null) {
                channel.close(refused);
                return this;
            }
            channel.send(WireText.encode(text)).whenComplete((done, failure) -> {
                if (failure != null) {
                    channel.close("the message could not be sent: " + failure.getMessage());
                }
            });
            return this;
        }

        @Override
        public void received(ByteBuffer message) {
            if (!message.equals(OK)) {
                channel.close("unexpected reply from the Host");
                return;
            }
            acknowledged = true; // the Host closes the channel next
        }

        /** Whether the Host confirmed that it showed the message. */
        boolean acknowledged() {
            return acknowledged;
        }

        /** The reason the channel closed, once it has. */
        CompletableFuture<String> ended() {
            return ended;
        }

        @Override
        public void closed(String reason) {
            ended.complete(reason);
        }
    }

    /** Receives one text, shows it, acknowledges and closes. */
    static final class HostSide implements SessionHandler {
        private final Channel channel;
        private final String guestName;
        private final Supplier<LocalUser> user;
        private boolean received;

        HostSide(Channel channel, String guestName, Supplier<LocalUser> user) {
            this.channel = channel;
            this.guestName = guestName;
            this.user = user;
        }

        @Override
        public void received(ByteBuffer message) {
            if (received) {
                channel.close("only one message per session");
                return;
            }
            received = true;
            String text;
            try {
                text = WireText.read(message);
            } catch (WireText.Rejected e) {
                channel.close(e.tooLong() ? TOO_LONG : NOT_UTF8);
                return;
            }
            if (text.isBlank()) {
                channel.close(NO_TEXT);
                return;
            }
            LocalUser person = user.get();
            if (person == null) {
                channel.close(CANNOT_SHOW);
                return;
            }
            CompletableFuture<Void> shown;
            try {
                shown = person.deliverMessage(guestName, text).toCompletableFuture();
            } catch (RuntimeException e) {
                channel.close(CANNOT_SHOW);
                return;
            }
            // "ok" means the person can see it: only once it is on their screen, never for a window that
            // did not appear.
            shown.orTimeout(SHOW_SECONDS, TimeUnit.SECONDS).whenComplete((seen, failure) -> {
                if (failure != null) {
                    channel.close(CANNOT_SHOW);
                    return;
                }
                // Close only once "ok" is on its way: closing drops what the channel has not sent yet.
                channel.send(OK.duplicate()).whenComplete((done, notSent) -> channel.close(DELIVERED));
            });
        }

        @Override
        public void closed(String reason) {
            // Nothing to release.
        }
    }
}
