package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * Two connected in-memory links, each delivering on its own thread like a real device. Each direction
 * can be tapped (to record what crosses) or altered (to forge, drop or replay records), and reports
 * congestion when more than {@link #CONGESTED} bytes wait.
 */
final class MemoryLink implements Link {

    static final int CONGESTED = 64 * 1024;

    private final String local;
    private final String remote;
    private final ExecutorService delivery;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private MemoryLink peer;
    private LinkHandler handler;
    private volatile UnaryOperator<byte[]> alter = UnaryOperator.identity();
    private final java.io.ByteArrayOutputStream tap = new java.io.ByteArrayOutputStream();
    /** Messages sent while held, in order; null while not holding. */
    private java.util.List<byte[]> held;

    private MemoryLink(String local, String remote) {
        this.local = local;
        this.remote = remote;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-link " + local);
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects a Guest handler and a Host handler; returns {guestLink, hostLink}. */
    static MemoryLink[] connect(LinkHandler guest, LinkHandler host) {
        return connect(guest, host, UnaryOperator.identity());
    }

    /** Connects, with what the Host sends altered from its first message on. */
    static MemoryLink[] connect(LinkHandler guest, LinkHandler host, UnaryOperator<byte[]> hostAlter) {
        MemoryLink g = new MemoryLink("guest:1", "host:2");
        MemoryLink h = new MemoryLink("host:2", "guest:1");
        h.alter = hostAlter;
        g.peer = h;
        h.peer = g;
        g.handler = guest;
        h.handler = host;
        h.delivery.execute(() -> host.opened(h));
        g.delivery.execute(() -> guest.opened(g));
        return new MemoryLink[] {g, h};
    }

    /** Changes what this side sends, message by message (null drops it). */
    void alter(UnaryOperator<byte[]> f) {
        alter = f;
    }

    /** From now on, what this side sends waits (already encrypted, in order) until {@link #release}. */
    synchronized void hold() {
        held = new java.util.ArrayList<>();
    }

    /** Delivers what waited since {@link #hold}, in order, and sends directly again. */
    synchronized void release() {
        for (byte[] b : held) {
            deliver(b);
        }
        held = null;
    }

    /** How many messages wait since {@link #hold}. */
    synchronized int heldCount() {
        return held == null ? 0 : held.size();
    }

    /** Everything this side sent. */
    synchronized byte[] tapped() {
        return tap.toByteArray();
    }

    @Override
    public int maxMessageSize() {
        return 1 << 20;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(b);
        synchronized (this) {
            tap.writeBytes(b);
        }
        byte[] out = alter.apply(b);
        if (out == null || !open.get()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this) {
            if (held != null) {
                held.add(out);
                return CompletableFuture.completedFuture(null);
            }
        }
        deliver(out);
        return CompletableFuture.completedFuture(null);
    }

    private void deliver(byte[] out) {
        waiting.addAndGet(out.length);
        peer.delivery.execute(() -> {
            if (peer.open.get()) {
                peer.handler.received(peer, ByteBuffer.wrap(out));
            }
            long left = waiting.addAndGet(-out.length);
            if (left < CONGESTED / 2 && left + out.length >= CONGESTED / 2) {
                delivery.execute(() -> handler.writable(this));
            }
        });
    }

    @Override
    public boolean congested() {
        return waiting.get() > CONGESTED;
    }

    @Override
    public void close(String reason) {
        if (open.compareAndSet(true, false)) {
            delivery.execute(() -> handler.closed(this, reason));
            peer.delivery.execute(() -> {
                if (peer.open.compareAndSet(true, false)) {
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
