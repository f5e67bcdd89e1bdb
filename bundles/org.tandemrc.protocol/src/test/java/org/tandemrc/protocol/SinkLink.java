package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.support.comm.DescribedLink;

/**
 * A link that drops what the connection sends and tells it when it closes, on the caller's thread, as a
 * real device does: the side that closed hears it too. In the protocol test jar, as the hostile peer's
 * link is one.
 */
class SinkLink extends DescribedLink {

    private final Connection connection;
    volatile boolean open = true;
    volatile String closeReason;

    SinkLink(Connection connection) {
        this(connection, "fuzz:1", "fuzz:2");
    }

    SinkLink(Connection connection, String local, String remote) {
        super(1 << 20, local, remote);
        this.connection = connection;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean congested() {
        return false;
    }

    @Override
    public void close(String reason) {
        if (open) {
            open = false;
            closeReason = reason;
            connection.closed(this, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
