package org.tandemrc.protocol;

/**
 * The priority policy of a {@link Connection}'s sending: the next fragment comes from the
 * highest-priority channel that has data and the peer's credit for it (per-channel credit is kept by
 * {@link SessionChannel}: the window it may still send, and what it has consumed since its last grant).
 * Control frames do not wait here; they go out as they are sent.
 */
final class ChannelScheduler {

    private ChannelScheduler() {
    }

    /**
     * The channel to send from next, or null when none is ready; under the connection's lock. Bulk
     * channels are passed over while {@code bulkHeld} (input was just sent or received).
     */
    static SessionChannel next(Iterable<SessionChannel> open, boolean bulkHeld) {
        SessionChannel next = null;
        for (SessionChannel ch : open) {
            if (bulkHeld && ch.priority() == Priority.BULK) {
                continue;
            }
            if (ch.ready() && (next == null || ch.priority().ordinal() < next.priority().ordinal())) {
                next = ch;
            }
        }
        return next;
    }
}
