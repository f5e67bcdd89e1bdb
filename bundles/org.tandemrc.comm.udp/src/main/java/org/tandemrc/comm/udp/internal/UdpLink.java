package org.tandemrc.comm.udp.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.support.comm.SendRefusal;

/**
 * One link of the udp device: the sending side (fragmentation, sequence numbers, retransmission,
 * congestion window) and the receiving side (reordering, acknowledgements, reassembly) of a reliable,
 * ordered message pipe over the datagrams of its {@link UdpSocket}. Everything but {@link #send},
 * {@link #close}, {@link #congested} and the accessors runs on the socket's event loop.
 */
final class UdpLink implements Link {

    private static final System.Logger LOG = System.getLogger(UdpLink.class.getName());

    /** Above this many bytes queued or unacknowledged the link is congested; below LOW writable again. */
    static final long HIGH_WATER = 1 << 20;
    static final long LOW_WATER = 256 << 10;
    /** Sequence numbers a receiver accepts beyond the next one it expects (its receive window). */
    static final int WINDOW = 2048;
    /** Bytes of out-of-order fragments a receiver keeps at most. */
    static final long MAX_OUT_OF_ORDER_BYTES = 4L << 20;

    enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private record Outgoing(byte[] data, String closeReason) {
    }

    private static final class Segment {
        final long seq;
        final int flags;
        final long length;
        final byte[] data;
        final int offset;
        final int size;
        long sentAt;
        int transmissions;
        boolean sacked;
        boolean inFlight;
        boolean lost;

        Segment(long seq, int flags, long length, byte[] data, int offset, int size) {
            this.seq = seq;
            this.flags = flags;
            this.length = length;
            this.data = data;
            this.offset = offset;
            this.size = size;
        }

        int wireSize() {
            return Packet.DATA_HEADER + ((flags & Packet.FIRST) != 0 && (flags & Packet.CLOSE) == 0 ? Packet.LENGTH_FIELD : 0) + size;
        }

        /** Payload bytes that count against the write buffer (a close carries none). */
        int counted() {
            return (flags & Packet.CLOSE) != 0 ? 0 : size;
        }
    }

    private record Received(int flags, long length, byte[] data) {
    }

    final UdpSocket socket;
    final InetSocketAddress peer;
    final long localId;
    long remoteId;
    private int maxMessage;
    private final int mtu;
    private final long idleNanos;
    private LinkHandler handler;
    State state;
    private volatile boolean open;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private String closeReason;
    private boolean closedReported;
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean congestionSeen;

    // sending
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private Outgoing current;
    private int currentOffset;
    private final TreeMap<Long, Segment> inflight = new TreeMap<>();
    private final TreeSet<Long> lostSeqs = new TreeSet<>();
    private long nextSeq;
    private long sndUna;
    private long bytesInFlight;
    private long remoteWindow = WINDOW;
    private long rtoDeadline;
    private long rackSentAt;
    private long lastSent;
    private long lastReceived;
    private long closeDeadline;
    private final NewReno cc;
    private final RttEstimator rtt = new RttEstimator();
    private long retransmissions;

    // receiving
    private long rcvNext;
    private final TreeMap<Long, Received> outOfOrder = new TreeMap<>();
    private long outOfOrderBytes;
    private final Reassembler reassembler;
    boolean ackNeeded;

    // connecting
    CompletableFuture<Link> connecting;
    LinkHandler handlerToOpen;
    byte[] cookie;
    long handshakeDeadline;
    long nextHandshake;
    long handshakeInterval;

    UdpLink(UdpSocket socket, InetSocketAddress peer, long localId, int maxMessage, int mtu, long idleNanos) {
        this.socket = socket;
        this.peer = peer;
        this.localId = localId;
        this.maxMessage = maxMessage;
        this.mtu = mtu;
        this.idleNanos = idleNanos;
        this.cc = new NewReno(mtu, (long) WINDOW * mtu);
        this.reassembler = new Reassembler(maxMessage);
        long now = System.nanoTime();
        this.lastReceived = now;
        this.lastSent = now;
    }

    // ---------------------------------------------------------------------------------------------- Link

    @Override
    public int maxMessageSize() {
        return maxMessage;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        int size = message.remaining();
        CompletableFuture<Void> refused = SendRefusal.of(size, maxMessage, open, "udp:" + remoteAddress());
        if (refused != null) {
            return refused;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] copy = new byte[size];
        message.duplicate().get(copy);
        if (pending.addAndGet(size) > HIGH_WATER) {
            congestionSeen = true;
        }
        // Through the event loop's queue, even from the event loop itself, so that the order of send()
        // calls is kept (as the tcp device does).
        try {
            socket.execute(() -> {
                if (state != State.OPEN) {
                    pending.addAndGet(-size);
                    done.completeExceptionally(new IllegalStateException("link to udp:" + remoteAddress() + " is closed"));
                    return;
                }
                queue.add(new Outgoing(copy, null));
                done.complete(null);
                pump();
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("link to udp:" + remoteAddress() + " is closed"));
        }
        return done;
    }

    @Override
    public boolean congested() {
        return pending.get() > HIGH_WATER;
    }

    @Override
    public void close(String reason) {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        String why = reason == null ? "closed" : reason;
        open = false;
        try {
            socket.execute(() -> {
                if (state == State.OPEN) {
                    closeReason = why;
                    queue.add(new Outgoing(null, why));
                    state = State.CLOSING;
                    closeDeadline = System.nanoTime() + idleNanos;
                    pump();
                } else if (state == State.CONNECTING) {
                    finish(why);
                }
            });
        } catch (RejectedExecutionException e) {
            // the device is stopping: its sockets close without a word
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String localAddress() {
        return UdpAddress.format(socket.localAddress());
    }

    @Override
    public String remoteAddress() {
        return UdpAddress.format(peer);
    }

    @Override
    public String toString() {
        return "udp link " + localAddress() + " -> " + remoteAddress();
    }

    // ------------------------------------------------------------------------------------- lifecycle

    /** The handshake completed: the link is open (its handler is told by {@link #handOver}). */
    void establish(int peerMaxMessage) {
        this.maxMessage = Math.min(maxMessage, peerMaxMessage);
        this.state = State.OPEN;
        this.open = true;
        this.lastReceived = System.nanoTime();
    }

    /** The link's handler from now on; it hears {@code opened} first. */
    void handOver(LinkHandler h) {
        this.handler = h;
        try {
            h.opened(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the handler of " + this + " failed in opened()", e);
        }
    }

    /** Ends the link locally and tells the handler once. */
    void finish(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        open = false;
        socket.removed(this);
        queue.clear();
        inflight.clear();
        lostSeqs.clear();
        outOfOrder.clear();
        if (connecting != null && !connecting.isDone()) {
            connecting.completeExceptionally(new java.io.IOException(reason));
        }
        if (handler != null && !closedReported) {
            closedReported = true;
            try {
                handler.closed(this, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the handler of " + this + " failed in closed()", e);
            }
        }
    }

    /** Ends the link and tells the peer why with a RESET datagram. */
    void reset(String toPeer, String locally) {
        if (state == State.CLOSED) {
            return;
        }
        socket.sendReset(peer, remoteId, localId, toPeer);
        finish(locally);
    }

    /** The peer reset the link. */
    void peerReset(String reason) {
        if (state == State.CLOSING) {
            finish(closeReason); // the peer is gone after taking our close, or never had the link: done
        } else {
            finish(reason.isEmpty() ? "the peer reset the link" : reason);
        }
    }

    // ------------------------------------------------------------------------------------- receiving

    void touched() {
        lastReceived = System.nanoTime();
    }

    void onData(ByteBuf b) {
        touched();
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        if (b.readableBytes() < 9) {
            return;
        }
        long seq = b.readLong();
        int flags = b.readUnsignedByte();
        long length = -1;
        boolean close = (flags & Packet.CLOSE) != 0;
        if (close && (flags & (Packet.FIRST | Packet.LAST)) != (Packet.FIRST | Packet.LAST)) {
            return;
        }
        if ((flags & Packet.FIRST) != 0 && !close) {
            if (b.readableBytes() < Packet.LENGTH_FIELD) {
                return;
            }
            length = b.readUnsignedInt();
            try {
                Reassembler.checkAnnounced(length, maxMessage);
            } catch (Reassembler.Violation v) {
                reset(v.getMessage(), v.getMessage());
                return;
            }
        }
        ackNeeded = true;
        if (seq < rcvNext || seq >= rcvNext + WINDOW) {
            return;
        }
        int size = b.readableBytes();
        if (seq != rcvNext) {
            if (!outOfOrder.containsKey(seq) && outOfOrderBytes + size <= MAX_OUT_OF_ORDER_BYTES) {
                byte[] data = new byte[size];
                b.readBytes(data);
                outOfOrder.put(seq, new Received(flags, length, data));
                outOfOrderBytes += size;
            }
            return;
        }
        byte[] data = new byte[size];
        b.readBytes(data);
        deliver(flags, length, data);
        while (state == State.OPEN || state == State.CLOSING) {
            Received r = outOfOrder.remove(rcvNext);
            if (r == null) {
                break;
            }
            outOfOrderBytes -= r.data().length;
            deliver(r.flags(), r.length(), r.data());
        }
    }

    private final Reassembler.Sink sink = new Reassembler.Sink() {
        @Override
        public void message(ByteBuffer message) {
            if (handler == null) {
                return;
            }
            try {
                handler.received(UdpLink.this, message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the handler of " + UdpLink.this + " failed in received()", e);
            }
        }

        @Override
        public void closed(String reason) {
            // Acknowledge the close at once: the peer waits for it.
            socket.sendAck(UdpLink.this);
            finish(reason.isEmpty() ? "the peer closed the link" : reason);
        }
    };

    private void deliver(int flags, long length, byte[] data) {
        rcvNext++;
        try {
            reassembler.fragment(flags, length, data, 0, data.length, sink);
        } catch (Reassembler.Violation v) {
            reset(v.getMessage(), v.getMessage());
        }
    }

    /** Writes this side's acknowledgement state into an ACK datagram. */
    void writeAck(ByteBuf b) {
        b.writeLong(remoteId).writeLong(rcvNext).writeInt(WINDOW);
        List<long[]> ranges = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Long seq : outOfOrder.keySet()) {
            if (seq == end) {
                end++;
            } else {
                if (start >= 0) {
                    ranges.add(new long[] {start, end});
                    if (ranges.size() == Packet.MAX_SACK) {
                        start = -1;
                        break;
                    }
                }
                start = seq;
                end = seq + 1;
            }
        }
        if (start >= 0 && ranges.size() < Packet.MAX_SACK) {
            ranges.add(new long[] {start, end});
        }
        b.writeByte(ranges.size());
        for (long[] r : ranges) {
            b.writeLong(r[0]).writeLong(r[1]);
        }
        ackNeeded = false;
    }

    // --------------------------------------------------------------------------------------- sending

    void onAck(ByteBuf b) {
        touched();
        if (b.readableBytes() < 8 + 4 + 1) {
            return;
        }
        long cum = b.readLong();
        long window = b.readUnsignedInt();
        int n = b.readUnsignedByte();
        if (cum > nextSeq || cum < 0 || n > Packet.MAX_SACK || b.readableBytes() < n * 16) {
            return;
        }
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        long now = System.nanoTime();
        remoteWindow = Math.min(window, WINDOW);
        Acked acked = new Acked();
        boolean advanced = cum > sndUna;
        Iterator<Segment> below = inflight.headMap(cum).values().iterator();
        while (below.hasNext()) {
            Segment s = below.next();
            below.remove();
            if (!s.sacked) {
                acked.add(s);
            }
        }
        if (advanced) {
            sndUna = cum;
            rtt.acknowledged();
        }
        long highestSacked = -1;
        for (int i = 0; i < n; i++) {
            long start = Math.max(b.readLong(), sndUna);
            long end = Math.min(b.readLong(), nextSeq);
            if (start >= end) {
                continue;
            }
            for (Segment s : inflight.subMap(start, end).values()) {
                highestSacked = Math.max(highestSacked, s.seq);
                if (!s.sacked) {
                    s.sacked = true;
                    acked.add(s);
                }
            }
        }
        if (acked.sampleSentAt >= 0) {
            rtt.sample(now - acked.sampleSentAt);
        }
        // Loss detection (RACK-like, time-based): a segment still in flight that was sent before one that
        // has since been acknowledged, by more than a quarter of the minimum round trip, is lost.
        boolean loss = false;
        if (highestSacked >= 0) {
            long reorder = Math.max(rtt.minRtt() / 4, 1_000_000L);
            for (Segment s : inflight.headMap(highestSacked).values()) {
                if (!s.sacked && s.inFlight && s.sentAt + reorder < rackSentAt) {
                    s.inFlight = false;
                    s.lost = true;
                    bytesInFlight -= s.wireSize();
                    lostSeqs.add(s.seq);
                    loss = true;
                }
            }
        }
        if (loss) {
            cc.lost(sndUna, nextSeq);
        } else {
            cc.acked(acked.wireBytes, sndUna);
        }
        if (acked.wireBytes > 0) {
            rtoDeadline = hasOutstanding() ? now + rtt.rto() : 0;
        }
        if (acked.counted > 0) {
            released(acked.counted);
        }
        pump();
        if (state == State.CLOSING && queue.isEmpty() && current == null && inflight.isEmpty()) {
            finish(closeReason);
        }
    }

    /**
     * What one ACK acknowledged for the first time, cumulatively or selectively; {@link #add} takes each
     * such segment out of flight.
     */
    private final class Acked {
        long wireBytes;
        long counted;
        /** When the newest segment acknowledged on its first transmission was sent (Karn: no others). */
        long sampleSentAt = -1;

        void add(Segment s) {
            wireBytes += s.wireSize();
            counted += s.counted();
            if (s.transmissions == 1) {
                sampleSentAt = Math.max(sampleSentAt, s.sentAt);
            }
            rackSentAt = Math.max(rackSentAt, s.sentAt);
            if (s.inFlight) {
                s.inFlight = false;
                bytesInFlight -= s.wireSize();
            }
            lostSeqs.remove(s.seq);
        }
    }

    private void released(long bytes) {
        long left = pending.addAndGet(-bytes);
        if (congestionSeen && left < LOW_WATER) {
            congestionSeen = false;
            if (handler != null && state == State.OPEN) {
                try {
                    handler.writable(this);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the handler of " + this + " failed in writable()", e);
                }
            }
        }
    }

    private boolean hasOutstanding() {
        return bytesInFlight > 0 || !lostSeqs.isEmpty();
    }

    /** Sends what the congestion and receive windows allow: lost segments first, then new ones. */
    void pump() {
        if (state != State.OPEN && state != State.CLOSING) {
            return;
        }
        long now = System.nanoTime();
        while (!lostSeqs.isEmpty()) {
            Segment s = inflight.get(lostSeqs.first());
            if (s == null || s.sacked) {
                lostSeqs.pollFirst();
                continue;
            }
            if (bytesInFlight > 0 && bytesInFlight + s.wireSize() > cc.window()) {
                return;
            }
            lostSeqs.pollFirst();
            retransmissions++;
            transmit(s, now);
        }
        while (nextSeq < sndUna + remoteWindow) {
            if (bytesInFlight > 0 && bytesInFlight + mtu > cc.window()) {
                return;
            }
            Segment s = nextSegment();
            if (s == null) {
                return;
            }
            inflight.put(s.seq, s);
            transmit(s, now);
        }
    }

    private Segment nextSegment() {
        if (current == null) {
            current = queue.poll();
            currentOffset = 0;
            if (current == null) {
                return null;
            }
        }
        Outgoing o = current;
        if (o.closeReason() != null) {
            current = null;
            byte[] reason = Packet.utf8(o.closeReason(), Math.min(Packet.REASON_BYTES, mtu - Packet.DATA_HEADER));
            return new Segment(nextSeq++, Packet.FIRST | Packet.LAST | Packet.CLOSE, -1, reason, 0, reason.length);
        }
        boolean first = currentOffset == 0;
        int room = mtu - Packet.DATA_HEADER - (first ? Packet.LENGTH_FIELD : 0);
        int n = Math.min(room, o.data().length - currentOffset);
        int flags = first ? Packet.FIRST : 0;
        if (currentOffset + n == o.data().length) {
            flags |= Packet.LAST;
            current = null;
        }
        Segment s = new Segment(nextSeq++, flags, o.data().length, o.data(), currentOffset, n);
        currentOffset += n;
        return s;
    }

    private void transmit(Segment s, long now) {
        s.sentAt = now;
        s.transmissions++;
        s.inFlight = true;
        s.lost = false;
        bytesInFlight += s.wireSize();
        if (rtoDeadline == 0) {
            rtoDeadline = now + rtt.rto();
        }
        lastSent = now;
        ByteBuf b = socket.newPacket(Packet.DATA, s.wireSize());
        b.writeLong(remoteId).writeLong(s.seq).writeByte(s.flags);
        if ((s.flags & Packet.FIRST) != 0 && (s.flags & Packet.CLOSE) == 0) {
            b.writeInt((int) s.length);
        }
        b.writeBytes(s.data, s.offset, s.size);
        socket.write(b, peer);
    }

    private void timedOut(long now) {
        rtt.timedOut();
        cc.timedOut(nextSeq);
        for (Segment s : inflight.values()) {
            if (!s.sacked && s.inFlight) {
                s.inFlight = false;
                s.lost = true;
                bytesInFlight -= s.wireSize();
                lostSeqs.add(s.seq);
            }
        }
        rtoDeadline = hasOutstanding() ? now + rtt.rto() : 0;
        pump();
    }

    /** Called by the socket's timer every few milliseconds. */
    void tick(long now) {
        if (state == State.CONNECTING) {
            socket.handshakeTick(this, now);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        if (now - lastReceived > idleNanos) {
            // A link this side is closing ends with the reason it was given, also when the peer went quiet
            // before acknowledging the close (its acknowledgements may all have been lost).
            finish(state == State.CLOSING ? closeReason : "no word from the peer at udp:" + remoteAddress()
                    + " for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
            return;
        }
        if (state == State.CLOSING && now > closeDeadline) {
            finish(closeReason);
            return;
        }
        if (rtoDeadline != 0 && now >= rtoDeadline) {
            timedOut(now);
        }
        if (now - lastSent > idleNanos / 3) {
            lastSent = now;
            socket.sendPing(this);
        }
    }

    void sentSomething(long now) {
        lastSent = now;
    }

    // ------------------------------------------------------------------------------------ for tests

    long congestionWindow() {
        return cc.window();
    }

    long retransmissions() {
        return retransmissions;
    }

    Map<Long, ?> unacknowledged() {
        return inflight;
    }
}
