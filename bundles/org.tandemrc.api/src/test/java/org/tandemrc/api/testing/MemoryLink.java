package org.tandemrc.api.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
 * An in-memory link end; {@link #pair} makes two connected ends, each delivering on its own thread like a
 * real device. What an end sends can be recorded ({@link #tapped}), changed, forged or dropped on the way
 * ({@link #alter}), held back and released later ({@link #hold}, to make two messages cross on the wire
 * every time), or sent raw; an end reports congestion when more than {@link #CONGESTED} bytes wait.
 */
public final class MemoryLink implements Link {

    public static final int CONGESTED = 64 * 1024;

    private final String local;
    private final String remote;
    private final ExecutorService delivery;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong waiting = new AtomicLong();
    private MemoryLink peer;
    /** Set and read on this end's delivery thread only. */
    private LinkHandler handler;
    /** What arrived before this end was started; delivered right after {@code opened}. */
    private final List<byte[]> early = new ArrayList<>();
    /** Changes what this end sends, message by message; null drops the message. */
    public volatile UnaryOperator<byte[]> alter = UnaryOperator.identity();
    private final ByteArrayOutputStream tap = new ByteArrayOutputStream();
    /** Messages sent while held, in order; null while not holding. */
    private List<byte[]> held;

    private MemoryLink(String local, String remote) {
        this.local = local;
        this.remote = remote;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-link " + local);
            t.setDaemon(true);
            return t;
        });
    }

    /** Two connected ends, {guest end, host end}; each end's remote address is the other's local one. */
    public static MemoryLink[] pair(String hostAddress, String guestAddress) {
        MemoryLink g = new MemoryLink(guestAddress, hostAddress);
        MemoryLink h = new MemoryLink(hostAddress, guestAddress);
        g.peer = h;
        h.peer = g;
        return new MemoryLink[] {g, h};
    }

    /** A pair started at once with a Guest handler and a Host handler; returns {guest end, host end}. */
    public static MemoryLink[] connect(LinkHandler guest, LinkHandler host) {
        return connect(guest, host, UnaryOperator.identity());
    }

    /** The same, with what the Host sends altered from its first message on. */
    public static MemoryLink[] connect(LinkHandler guest, LinkHandler host, UnaryOperator<byte[]> hostAlter) {
        MemoryLink[] links = pair("host:2", "guest:1");
        links[1].alter = hostAlter;
        links[1].start(host);
        links[0].start(guest);
        return links;
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

    /** Changes what this end sends, message by message (null drops it). */
    public void alter(UnaryOperator<byte[]> f) {
        alter = f;
    }

    /** From now on, what this end sends waits (in order) until {@link #release}. */
    public synchronized void hold() {
        held = new ArrayList<>();
    }

    /** Delivers what waited since {@link #hold}, in order, and sends directly again. */
    public synchronized void release() {
        for (byte[] b : held) {
            deliver(b);
        }
        held = null;
    }

    /** How many messages wait since {@link #hold}. */
    public synchronized int heldCount() {
        return held == null ? 0 : held.size();
    }

    /** Everything this end sent, before any change by {@link #alter}. */
    public synchronized byte[] tapped() {
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

    /** Sends bytes as they are, outside any protocol. */
    public void sendRaw(byte[] b) {
        send(ByteBuffer.wrap(b));
    }

    private void deliver(byte[] out) {
        waiting.addAndGet(out.length);
        peer.delivery.execute(() -> {
            if (peer.open.get()) {
                if (peer.handler == null) {
                    peer.early.add(out);
                } else {
                    peer.handler.received(peer, ByteBuffer.wrap(out));
                }
            }
            long left = waiting.addAndGet(-out.length);
            if (left < CONGESTED / 2 && left + out.length >= CONGESTED / 2) {
                delivery.execute(() -> {
                    if (handler != null) {
                        handler.writable(this);
                    }
                });
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
