package org.tandemrc.api.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;

/**
 * A channel that records what is sent and forwards it to the peer's handler, if any. Closing ends
 * both sides, as the real channel does: the local handler and the peer's are told once. A session
 * may send from its own thread (a screen streamer) while the test closes: the record and the close
 * are safe for that.
 */
public final class FakeChannel implements Channel {
    /** Every message sent, copied. */
    public final List<ByteBuffer> sent = Collections.synchronizedList(new ArrayList<>());
    /** The reason this side closed with, first. */
    public volatile String closeReason;
    /** The reason the session ended with, either side. */
    public volatile String closedReason;
    /** This side's handler, set by the test. */
    public volatile SessionHandler handler;
    public FakeChannel peer;

    /** Two channels joined to each other. */
    public static FakeChannel[] pair() {
        FakeChannel a = new FakeChannel();
        FakeChannel b = new FakeChannel();
        a.peer = b;
        b.peer = a;
        return new FakeChannel[] {a, b};
    }

    @Override
    public int maxMessageSize() {
        return 1024 * 1024;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        if (closedReason != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the session has ended"));
        }
        ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message.duplicate()).flip();
        sent.add(copy);
        if (peer != null && peer.handler != null) {
            peer.handler.received(copy.asReadOnlyBuffer());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason;
            }
        }
        ended(reason);
        if (peer != null) {
            peer.ended(reason);
        }
    }

    /** The session ended: the handler hears it once. */
    public void ended(String reason) {
        synchronized (this) {
            if (closedReason != null) {
                return;
            }
            closedReason = reason;
        }
        if (handler != null) {
            handler.closed(reason);
        }
    }
}
