package org.tandemrc.protocol;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The keepalive of a {@link Connection}, checked once a second: the handshake must finish within
 * {@value Connection#HANDSHAKE_MILLIS} ms, a peer silent for {@value Connection#SILENCE_MILLIS} ms is
 * gone, and this side pings when it has sent nothing for {@value Connection#KEEPALIVE_MILLIS} ms.
 */
final class Keepalive {

    private final Connection connection;
    private final RecordLayer records;
    private volatile long lastReceived = System.currentTimeMillis();
    private ScheduledFuture<?> ticker;

    Keepalive(Connection connection, RecordLayer records) {
        this.connection = connection;
        this.records = records;
    }

    void start(ScheduledExecutorService scheduler) {
        if (scheduler != null) {
            ticker = scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Under the connection's lock. */
    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    void received() {
        lastReceived = System.currentTimeMillis();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        boolean secured = connection.secured();
        if (!secured && now - lastReceived > Connection.HANDSHAKE_MILLIS) {
            connection.closeQuietly("the key exchange did not complete within " + Connection.HANDSHAKE_MILLIS / 1000 + " s");
        } else if (now - lastReceived > Connection.SILENCE_MILLIS) {
            connection.close("the peer has been silent for " + Connection.SILENCE_MILLIS / 1000 + " s");
        } else if (secured && now - records.lastSent() > Connection.KEEPALIVE_MILLIS) {
            connection.sendFrame(FrameCodec.ping());
        }
    }
}
