package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;

/**
 * One session's channel on a {@link Connection}. Messages are split into fragments, sent as the
 * peer grants credit and as the channel's priority allows, and reassembled on the other side.
 * Messages that arrive before a handler is attached are kept (at most one window's worth: their credit
 * is granted once the handler has them, and a peer that sends beyond its credit is cut off).
 */
public final class SessionChannel implements Channel {

    private final Connection connection;
    private final int id;
    private final String sessionType;
    private final Priority priority;

    /** Guarded by the connection's lock. */
    private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
    private int credit = Connection.WINDOW;

    /**
     * Inbound state: touched only on the link's thread, except attach. A message of several fragments is
     * gathered in {@code assembly}, which is kept for the next one while it is at most
     * {@link #KEPT_ASSEMBLY} bytes (a file transfer's 256 KiB messages fit): a fragment is the record
     * layer's plaintext, overwritten by the next record, so it is copied here as it arrives.
     */
    private ByteBuffer assembly;
    private int assembledBytes;
    /**
     * Bytes the peer sent that no credit has been granted back for yet (guarded by this object's lock):
     * never more than one window, or the peer ignores its credit. Credit is granted a quarter window at a
     * time, and only while nothing is kept for the handler, so what is kept is bounded by the window too.
     */
    private int ungranted;
    /*
     * Handler calls, guarded by this object's lock: one at a time and in order, as SessionHandler promises.
     * Messages come on the link's thread, but those kept for a late handler are handed over by attach's
     * caller and closed comes from whichever thread ends the channel. A thread that finds another in a
     * call ("busy") leaves what it brings in "waiting" (copies, in arrival order) or sets "closeOwed"; the
     * thread in the call hands it over before it lets go. Whatever arrived before the channel ended is
     * delivered, then closed, then nothing.
     */
    private SessionHandler handler;
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean closeOwed;
    private String endedReason;

    /** The largest gathering buffer a channel keeps between messages. */
    static final int KEPT_ASSEMBLY = 512 * 1024;

    private static final class Outgoing {
        /** The caller's own bytes while {@link #send} runs; a copy of what is left once it returns. */
        ByteBuffer data;
        /** Whether {@link #data} is a copy from the connection's spares, given back once sent. */
        boolean spare;
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
        synchronized (this) {
            if (handler != null) {
                throw new IllegalStateException("a handler is already attached");
            }
            handler = h;
            busy = true; // nothing else calls a handler before this one is set
            closeOwed = endedReason != null;
        }
        handOver(h);
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
        if (priority == Priority.INPUT) {
            connection.inputPassed();
        }
        boolean urgent = priority != Priority.BULK;
        if (urgent) {
            connection.urgentWaiting(); // a pump of bulk data gives way after its current record
        }
        synchronized (connection) {
            if (urgent) {
                connection.urgentEntered();
            }
            if (!connection.isOpen() || endedReason != null) {
                if (urgent) {
                    connection.urgentGaveUp();
                }
                o.done.completeExceptionally(new IllegalStateException("the session has ended"));
                return o.done;
            }
            outgoing.add(o);
            // What the credit and the link take now is sealed straight from the caller's buffer; only
            // the rest is copied, since the caller may reuse its buffer once this returns.
            connection.pump();
            if (o.data.hasRemaining()) {
                if (o.data.remaining() >= Connection.FRAGMENT) {
                    o.data = connection.spares().copyOf(o.data);
                    o.spare = true;
                } else {
                    o.data = copy(o.data);
                }
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
            if (o.spare) {
                // Sealed: every fragment was read into its record above.
                o.spare = false;
                connection.spares().release(o.data);
            }
            o.done.complete(null);
        }
    }

    void credited(int bytes) {
        synchronized (connection) {
            credit = Math.min(Connection.WINDOW, credit + bytes);
        }
    }

    // ---- inbound, on the link's thread

    /**
     * One fragment of a message, valid only during the call (the record layer reuses its array). A
     * whole message in one fragment is handed to the handler as it is; a longer one is gathered first.
     * The handler's buffer is valid only during its call too, as {@link SessionHandler#received} says.
     */
    void receivedFragment(ByteBuffer chunk, boolean end) throws ProtocolException {
        int n = chunk.remaining();
        if (assembledBytes + n > Connection.MAX_CHANNEL_MESSAGE) {
            throw new ProtocolException("channel message larger than " + Connection.MAX_CHANNEL_MESSAGE + " bytes");
        }
        synchronized (this) {
            ungranted += n;
            if (ungranted > Connection.WINDOW) {
                throw new ProtocolException("the peer sent more than its credit on channel " + id);
            }
        }
        ByteBuffer message;
        if (end && assembledBytes == 0) {
            message = chunk;
        } else {
            gather(chunk);
            message = end ? assembly.flip() : null;
        }
        if (message != null) {
            if (priority == Priority.INPUT) {
                connection.inputPassed();
            }
            try {
                deliver(message);
            } finally {
                assembledBytes = 0;
                if (assembly != null) {
                    if (assembly.capacity() > KEPT_ASSEMBLY) {
                        assembly = null;
                    } else {
                        assembly.clear();
                    }
                }
            }
        }
        grantIfDue();
    }

    /** Appends a fragment to the message being gathered, growing the buffer to at most the largest message. */
    private void gather(ByteBuffer chunk) {
        int needed = assembledBytes + chunk.remaining();
        if (assembly == null || assembly.capacity() < needed) {
            int capacity = assembly == null ? Connection.FRAGMENT : assembly.capacity();
            while (capacity < needed) {
                capacity = Math.min(Connection.MAX_CHANNEL_MESSAGE, capacity * 2);
            }
            ByteBuffer grown = ByteBuffer.allocate(capacity);
            if (assembly != null) {
                grown.put(assembly.flip());
            }
            assembly = grown;
        }
        assembly.put(chunk);
        assembledBytes = needed;
    }

    /** Grants the peer what it sent since the last grant, once that is a quarter window and nothing is kept. */
    private void grantIfDue() {
        int bytes;
        synchronized (this) {
            if (ungranted < Connection.WINDOW / 4 || handler == null || !waiting.isEmpty() || endedReason != null) {
                return;
            }
            bytes = ungranted;
            ungranted = 0;
        }
        connection.grant(id, bytes);
    }

    /** Hands a whole message to the handler, or keeps a copy for it. */
    private void deliver(ByteBuffer message) {
        SessionHandler h;
        synchronized (this) {
            if (endedReason != null) {
                return; // arrived after the end: closed is, or will be, the handler's last call
            }
            h = handler;
            if (h == null || busy) {
                // Kept until a handler is attached, or until the call in progress returns: a copy, since
                // the buffer is reused once this returns.
                waiting.add(copy(message));
                return;
            }
            busy = true;
        }
        boolean done = false;
        try {
            h.received(message);
            done = true;
        } finally {
            if (done) {
                handOver(h);
            } else {
                idle();
            }
        }
    }

    /**
     * Called by the thread that made {@link #busy} true: delivers what others left meanwhile, in order,
     * then {@code closed} if owed, then lets go.
     */
    private void handOver(SessionHandler h) {
        while (true) {
            ByteBuffer next;
            String close = null;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    if (!closeOwed) {
                        busy = false;
                        break;
                    }
                    closeOwed = false;
                    close = endedReason;
                }
            }
            boolean done = false;
            try {
                if (next != null) {
                    h.received(next);
                } else {
                    h.closed(close);
                }
                done = true;
            } finally {
                if (!done) {
                    idle();
                }
            }
        }
        grantIfDue(); // what was kept is the handler's now
    }

    /** A handler's call threw: the next caller may call it again. */
    private synchronized void idle() {
        busy = false;
    }

    void ended(String reason) {
        List<Outgoing> dropped;
        synchronized (connection) {
            dropped = List.copyOf(outgoing);
            outgoing.clear();
        }
        for (Outgoing o : dropped) {
            o.done.completeExceptionally(new IllegalStateException("the session ended: " + reason));
        }
        SessionHandler h;
        synchronized (this) {
            if (endedReason != null) {
                return;
            }
            endedReason = reason;
            if (handler == null) {
                return; // attach tells the handler, after what arrived before
            }
            closeOwed = true;
            if (busy) {
                return; // the thread in a call tells it once that call returns
            }
            busy = true;
            h = handler;
        }
        handOver(h);
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate());
        c.flip();
        return c;
    }
}
