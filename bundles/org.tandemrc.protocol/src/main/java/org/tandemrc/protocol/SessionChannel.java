package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;

/**
 * One session's channel on a {@link Connection}. Messages are split into fragments, sent as the
 * peer grants credit and as the channel's priority allows, and reassembled on the other side.
 * Messages that arrive before a handler is attached are kept (at most one window's worth).
 */
public final class SessionChannel implements Channel {

    private final Connection connection;
    private final int id;
    private final String sessionType;
    private final Priority priority;

    /** Guarded by the connection's lock. */
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private int credit = Connection.WINDOW;

    /** Inbound state: touched only on the link's thread, except attach. */
    private final List<ByteBuffer> assembling = new ArrayList<>();
    private int assembledBytes;
    private int consumedSinceGrant;
    private SessionHandler handler;
    private final List<ByteBuffer> early = new ArrayList<>();
    private String endedReason;

    private static final class Outgoing {
        /** The caller's own bytes while {@link #send} runs; a copy of what is left once it returns. */
        ByteBuffer data;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Outgoing(ByteBuffer data) {
            this.data = data;
        }
    }

    SessionChannel(Connection connection, int id, String sessionType, Priority priority) {
        this.connection = connection;
        this.id = id;
        this.sessionType = sessionType;
        this.priority = priority;
    }

    public String sessionType() {
        return sessionType;
    }

    int id() {
        return id;
    }

    Priority priority() {
        return priority;
    }

    /** Starts delivering messages (and those that already arrived) to the handler. */
    public void attach(SessionHandler h) {
        List<ByteBuffer> pending;
        String ended;
        synchronized (this) {
            handler = h;
            pending = List.copyOf(early);
            early.clear();
            ended = endedReason;
        }
        for (ByteBuffer b : pending) {
            h.received(b);
        }
        if (ended != null) {
            h.closed(ended);
        }
    }

    @Override
    public int maxMessageSize() {
        return Connection.MAX_CHANNEL_MESSAGE;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        Outgoing o = new Outgoing(message.duplicate());
        if (o.data.remaining() > Connection.MAX_CHANNEL_MESSAGE) {
            o.done.completeExceptionally(new IllegalArgumentException("message of " + o.data.remaining()
                    + " bytes exceeds the channel limit of " + Connection.MAX_CHANNEL_MESSAGE));
            return o.done;
        }
        synchronized (connection) {
            if (!connection.isOpen() || endedReason != null) {
                o.done.completeExceptionally(new IllegalStateException("the session has ended"));
                return o.done;
            }
            outgoing.add(o);
            // What the credit and the link take now is sealed straight from the caller's buffer; only
            // the rest is copied, since the caller may reuse its buffer once this returns.
            connection.pump();
            if (o.data.hasRemaining()) {
                o.data = copy(o.data);
            }
        }
        return o.done;
    }

    @Override
    public void close(String reason) {
        connection.closeChannel(id, reason);
        ended(reason);
    }

    // ---- called by the connection, under its lock

    boolean ready() {
        Outgoing o = outgoing.peek();
        return o != null && credit >= Math.min(Connection.FRAGMENT, o.data.remaining());
    }

    void sendNext() {
        Outgoing o = outgoing.peek();
        int n = Math.min(Connection.FRAGMENT, o.data.remaining());
        ByteBuffer chunk = o.data.slice();
        chunk.limit(n);
        o.data.position(o.data.position() + n);
        boolean end = !o.data.hasRemaining();
        connection.sendData(id, chunk, end);
        credit -= n;
        if (end) {
            outgoing.poll();
            o.done.complete(null);
        }
    }

    void credited(int bytes) {
        synchronized (connection) {
            credit = Math.min(Connection.WINDOW, credit + bytes);
        }
    }

    // ---- inbound, on the link's thread

    void receivedFragment(ByteBuffer chunk, boolean end) throws ProtocolException {
        int n = chunk.remaining();
        if (assembledBytes + n > Connection.MAX_CHANNEL_MESSAGE) {
            throw new ProtocolException("channel message larger than " + Connection.MAX_CHANNEL_MESSAGE + " bytes");
        }
        // Each fragment is its own decrypted record, so it is kept, not copied; a message of several
        // fragments is joined once at its end.
        assembling.add(chunk);
        assembledBytes += n;
        consumedSinceGrant += n;
        if (end) {
            ByteBuffer message = assembling.size() == 1 ? assembling.get(0) : join(assembling, assembledBytes);
            assembling.clear();
            assembledBytes = 0;
            SessionHandler h;
            synchronized (this) {
                h = handler;
                if (h == null) {
                    early.add(message);
                }
            }
            if (h != null) {
                h.received(message);
            }
        }
        if (consumedSinceGrant >= Connection.WINDOW / 4) {
            connection.grant(id, consumedSinceGrant);
            consumedSinceGrant = 0;
        }
    }

    void ended(String reason) {
        SessionHandler h;
        List<Outgoing> dropped;
        synchronized (connection) {
            dropped = List.copyOf(outgoing);
            outgoing.clear();
        }
        for (Outgoing o : dropped) {
            o.done.completeExceptionally(new IllegalStateException("the session ended: " + reason));
        }
        synchronized (this) {
            if (endedReason != null) {
                return;
            }
            endedReason = reason;
            h = handler;
        }
        if (h != null) {
            h.closed(reason);
        }
    }

    private static ByteBuffer join(List<ByteBuffer> parts, int size) {
        ByteBuffer m = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            m.put(p);
        }
        return m.flip();
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate());
        c.flip();
        return c;
    }
}
