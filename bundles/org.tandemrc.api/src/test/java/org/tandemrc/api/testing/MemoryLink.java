package org.tandemrc.api.testing;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * An in-memory link end; {@link #pair} makes two connected ends, each delivering on its own thread like a
 * real device. What an end sends can be changed on the way ({@link #alter}) or sent raw.
 */
public final class MemoryLink implements Link {
    private final String local;
    private final String remote;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "memory-link");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean open = new AtomicBoolean(true);
    private MemoryLink peer;
    /** Set and read on this end's delivery thread only. */
    private LinkHandler handler;
    /** What arrived before this end was started; delivered right after {@code opened}. */
    private final java.util.List<byte[]> early = new java.util.ArrayList<>();
    /** Changes what this end sends, message by message. */
    public volatile UnaryOperator<byte[]> alter = UnaryOperator.identity();

    private MemoryLink(String local, String remote) {
        this.local = local;
        this.remote = remote;
    }

    /** Two connected ends, {guest end, host end}; each end's remote address is the other's local one. */
    public static MemoryLink[] pair(String hostAddress, String guestAddress) {
        MemoryLink g = new MemoryLink(guestAddress, hostAddress);
        MemoryLink h = new MemoryLink(hostAddress, guestAddress);
        g.peer = h;
        h.peer = g;
        return new MemoryLink[] {g, h};
    }

    /** Hands this end to its handler, which hears {@code opened} first. */
    public void start(LinkHandler h) {
        delivery.execute(() -> {
            handler = h;
            h.opened(this);
            for (byte[] b : early) {
                h.received(this, ByteBuffer.wrap(b));
            }
            early.clear();
        });
    }

    @Override
    public int maxMessageSize() {
        return 1 << 20;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(b);
        byte[] out = alter.apply(b);
        if (open.get()) {
            peer.delivery.execute(() -> {
                if (!peer.open.get()) {
                    return;
                }
                if (peer.handler == null) {
                    peer.early.add(out);
                } else {
                    peer.handler.received(peer, ByteBuffer.wrap(out));
                }
            });
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Sends bytes as they are, outside any protocol. */
    public void sendRaw(byte[] b) {
        send(ByteBuffer.wrap(b));
    }

    @Override
    public boolean congested() {
        return false;
    }

    @Override
    public void close(String reason) {
        if (open.compareAndSet(true, false)) {
            delivery.execute(() -> {
                if (handler != null) {
                    handler.closed(this, reason);
                }
            });
            peer.delivery.execute(() -> {
                if (peer.open.compareAndSet(true, false) && peer.handler != null) {
                    peer.handler.closed(peer, "the peer closed the connection");
                }
            });
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
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
