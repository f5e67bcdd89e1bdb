package org.tandemrc.session.message.internal;

import java.time.Duration;
import java.util.List;
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

/**
 * {@link RemoteMessages} on the message session's Guest side: delivered means the Host answered
 * {@code ok}, which it sends only once its person was shown the text.
 */
@Component(service = RemoteMessages.class)
public class MessageClient implements RemoteMessages {

    @Override
    public void send(HostConnection connection, String text, Duration timeout)
            throws GuestException, InterruptedException {
        String refused = MessageSessionType.refusal(text);
        if (refused != null) {
            throw new GuestException(Reason.INVALID_REQUEST, refused);
        }
        MessageSessionType.GuestSide[] side = new MessageSessionType.GuestSide[1];
        SessionContext context = connection.open(MessageSessionType.ID, ChannelPriority.CONTROL, List.of(text), ctx -> {
            side[0] = new MessageSessionType.GuestSide(ctx.channel(), text).start();
            return side[0];
        });
        String reason;
        try {
            reason = side[0].ended().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
