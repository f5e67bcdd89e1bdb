package org.tandemrc.session.message.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.codec.WireText;

/**
 * {@link RemoteMessages} on the message session's Guest side: delivered means the Host answered
 * {@code ok}, which it sends only once its person was shown the text.
 */
@Component(service = RemoteMessages.class)
public class MessageClient implements RemoteMessages {

    @Override
    public void send(HostConnection connection, String text, Duration timeout)
            throws GuestException, InterruptedException {
        if (text == null || text.isBlank()) {
            throw new GuestException(Reason.INVALID_REQUEST, MessageSessionType.NO_TEXT);
        }
        int length = WireText.length(text);
        if (length > WireText.MAX_CHARS) {
            throw new GuestException(Reason.INVALID_REQUEST, "the message has " + length + " characters; at most "
                    + WireText.MAX_CHARS + " are allowed");
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        MessageSessionType.GuestSide[] side = new MessageSessionType.GuestSide[1];
        SessionContext context = connection.open(MessageSessionType.ID, ChannelPriority.CONTROL, List.of(text), ctx -> {
            side[0] = new MessageSessionType.GuestSide(ctx.channel(), text).start();
            return new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                    side[0].received(message);
                }

                @Override
                public void closed(String reason) {
                    side[0].closed(reason);
                    ended.complete(reason);
                }
            };
        });
        String reason;
        try {
            reason = ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            context.channel().close("no confirmation within " + timeout.toSeconds() + " s");
            throw new GuestException(Reason.NO_ANSWER, "the message was not confirmed within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new GuestException(Reason.FAILED, String.valueOf(e.getCause()));
        }
        if (!side[0].acknowledged()) {
            throw new GuestException(Reason.NOT_DONE, "the message was not delivered: " + reason);
        }
    }
}
