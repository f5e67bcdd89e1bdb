package org.tandemrc.support.comm;

import java.util.concurrent.CompletableFuture;

/**
 * Why a link refuses a message before it is queued, worded one way on every device: the caller of
 * {@link org.tandemrc.api.comm.Link#send} sees the same failure whatever carries the link.
 */
public final class SendRefusal {

    private SendRefusal() {
    }

    /** A failed send when the message is over the link's limit or the link is closed, else null. */
    public static CompletableFuture<Void> of(int size, int maxMessageSize, boolean open, String remote) {
        CompletableFuture<Void> tooLarge = tooLarge(size, maxMessageSize);
        return tooLarge != null || open ? tooLarge : closed(remote);
    }

    /** A failed send when the message is over the link's limit, else null. */
    public static CompletableFuture<Void> tooLarge(int size, int maxMessageSize) {
        return size <= maxMessageSize ? null : CompletableFuture.failedFuture(new IllegalArgumentException(
                "message of " + size + " bytes exceeds the link's limit of " + maxMessageSize));
    }

    /** The failed send of a closed link. */
    public static CompletableFuture<Void> closed(String remote) {
        return CompletableFuture.failedFuture(closedError(remote));
    }

    /** Why a send fails on a closed link, for a message already accepted when the link closed. */
    public static IllegalStateException closedError(String remote) {
        return new IllegalStateException("link to " + remote + " is closed");
    }
}
