package org.tandemrc.support.event;

import org.tandemrc.api.event.EventCodes;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.session.Side;

/**
 * The event codes of a session's start and end, per side and session type, from the reference's event
 * tables: one mapping for Host and Guest and every session type, so a session type needs no event code
 * of its own. A type the reference names no event for gets Tandem's {@code TSES+}/{@code TSES-}.
 *
 * @param started the code when the session starts
 * @param stopped the code when it ends, or null when the reference records the session as one action
 *                (a message)
 */
public record SessionEvents(String started, @Nullable String stopped) {

    /** The codes for a session of type {@code sessionType} (its id) on {@code side}. */
    public static SessionEvents of(Side side, @Nullable String sessionType) {
        boolean host = side == Side.HOST;
        return switch (sessionType == null ? "" : sessionType) {
            case "remote-control" -> host
                    ? new SessionEvents(EventCodes.HOST_REMOTE_CONTROL_STARTED, EventCodes.HOST_REMOTE_CONTROL_STOPPED)
                    : new SessionEvents(EventCodes.GUEST_REMOTE_CONTROL_STARTED, EventCodes.GUEST_REMOTE_CONTROL_STOPPED);
            case "remote-input" -> host
                    ? new SessionEvents(EventCodes.HOST_INPUT_ASSIGNED, EventCodes.HOST_INPUT_REVOKED)
                    : tandem();
            case "file-transfer" -> host
                    ? new SessionEvents(EventCodes.HOST_FILE_TRANSFER_STARTED, EventCodes.HOST_FILE_TRANSFER_STOPPED)
                    : new SessionEvents(EventCodes.GUEST_FILE_TRANSFER_STARTED, EventCodes.GUEST_FILE_TRANSFER_STOPPED);
            case "chat" -> host
                    ? new SessionEvents(EventCodes.HOST_CHAT_STARTED, EventCodes.HOST_CHAT_STOPPED)
                    : new SessionEvents(EventCodes.GUEST_CHAT_STARTED, EventCodes.GUEST_CHAT_STOPPED);
            case "tools" -> host
                    ? new SessionEvents(EventCodes.HOST_REMOTE_MANAGEMENT_STARTED,
                            EventCodes.HOST_REMOTE_MANAGEMENT_STOPPED)
                    : new SessionEvents(EventCodes.GUEST_REMOTE_MANAGEMENT_STARTED,
                            EventCodes.GUEST_REMOTE_MANAGEMENT_STOPPED);
            case "message" -> new SessionEvents(host ? EventCodes.HOST_MESSAGE_RECEIVED : EventCodes.GUEST_MESSAGE_SENT,
                    null);
            default -> tandem();
        };
    }

    private static SessionEvents tandem() {
        return new SessionEvents(EventCodes.TANDEM_SESSION_STARTED, EventCodes.TANDEM_SESSION_STOPPED);
    }
}
