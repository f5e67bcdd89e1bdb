package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.comm.Link;

/**
 * A link that drops what the connection sends and tells it when it closes, on the caller's thread, as a
 * real device does: the side that closed hears it too. In the protocol test jar, as the hostile peer's
 * link is one.
 */
class SinkLink implements Link {

    private final Connection connection;
    private final String local;
    private final String remote;
    volatile boolean open = true;
    volatile String closeReason;

    SinkLink(Connection connection) {
        this(connection, "fuzz:1", "fuzz:2");
    }

    SinkLink(Connection connection, String local, String remote) {
        this.connection = connection;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public int maxMessageSize() {
        return 1 << 20;
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

    @Override
    public String localAddress() {
        return local;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }
}
