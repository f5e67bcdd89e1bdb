package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.comm.Link;

/** A link that drops what the connection sends and tells it when it closes, on the caller's thread. */
final class SinkLink implements Link {

    private final Connection connection;
    private boolean open = true;

    SinkLink(Connection connection) {
        this.connection = connection;
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
            connection.closed(this, reason);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String localAddress() {
        return "fuzz:1";
    }

    @Override
    public String remoteAddress() {
        return "fuzz:2";
    }
}
