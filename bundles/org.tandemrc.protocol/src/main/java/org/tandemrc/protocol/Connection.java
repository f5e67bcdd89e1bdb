package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.support.buffer.Spares;

/**
 * One Tandem connection over a {@link Link}, on either side.
 *
 * <p>It runs the handshake (hello, X25519 key exchange signed by the Host identity), then carries
 * encrypted frames: control messages (channel 0) and session channels with credit-based flow control
 * and priorities. It knows nothing of passwords, roles or session types; the Host and Guest roles
 * drive those through {@link Listener}. Inbound events arrive on the link's thread, one at a time;
 * sending is safe from any thread.
 *
 * <p>It is a façade over its layers, as Netty's HTTP/2 is over codec, multiplexer and flow controller:
 * {@link Handshake} (hellos, signature, keys), {@link RecordLayer} (sealed records on the link),
 * {@link FrameCodec} (frame layout and bounds), {@link ChannelTable} (channel ids and their states),
 * {@link ChannelScheduler} with {@link SessionChannel} (priority and credit) and {@link Keepalive}.
 * One lock, this object's, guards them all: records are numbered as they are sealed, so everything
 * that seals runs under it, in the order the frames were decided.
 */
public final class Connection implements LinkHandler {

    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;
    /** Bytes a channel may have in flight before the receiver grants more. */
    static final int WINDOW = 1024 * 1024;
    /** The largest piece of a channel message in one frame. */
    static final int FRAGMENT = 64 * 1024;
    /** The largest channel message. */
    public static final int MAX_CHANNEL_MESSAGE = 1024 * 1024;
    static final int MAX_CHANNELS = 256;
    static final long KEEPALIVE_MILLIS = 10_000;
    static final long SILENCE_MILLIS = 35_000;
    static final long HANDSHAKE_MILLIS = 10_000;
    /**
     * How long bulk data waits after keyboard or mouse input goes out or comes in: the Host injects it,
     * its screen changes and the picture comes back without a copy's sealing and opening competing for
     * the processors. A hold starts at most once per two such periods, so under continuous input (a mouse
     * drag) bulk data still has half the time.
     */
    static final long INPUT_HOLDS_BULK_NANOS = 40_000_000;
    /** How the reason starts when this side closed because the peer broke the protocol. */
    public static final String PROTOCOL_ERROR = "protocol error: ";

    /**
     * Buffers for the part of a bulk message that waits for credit after {@link SessionChannel#send}
     * returned (the sender may use its own buffer again): a file transfer's 256 KiB messages fit one.
     */
    private final Spares spares = new Spares(256 * 1024 + 1024, 8);
    /** Threads waiting for the lock to send other than bulk data: a pump of bulk data gives way to them. */
    private final AtomicInteger urgentWaiting = new AtomicInteger();
    /** A pump gave way before all it could send was sent; whoever holds the lock next pumps on. Guarded by this. */
    private boolean pumpCut;
    /**
     * Whether input has held bulk data at all; until when (System.nanoTime) bulk data waits for input's
     * effect; before when no new hold starts. Guarded by this.
     */
    private boolean holding;
    private long bulkHeldUntil;
    private long nextHoldFrom;

    /** What the role that owns the connection hears. Calls come one at a time and must not block. */
    public interface Listener {

        /** The key exchange is complete and authenticated by the Host's identity. */
        void secured(Connection connection);

        /** A control message from the peer. Throwing closes the connection with the message. */
        void control(Connection connection, ControlMessage message) throws ProtocolException;

        /** The peer asks to open a session channel; answer with accept or deny, now or later. */
        default void openRequested(Connection connection, OpenRequest request) {
            request.deny("this side opens no sessions on request");
        }

        /** The connection closed; {@code reason} tells why, prefixed by who closed it. */
        void closed(Connection connection, String reason);
    }

    /** What the peer asked for in an open frame. */
    private record Asked(int id, String sessionType, Priority priority) {
    }

    /** A peer's request to open a session channel. */
    public final class OpenRequest {
        private final Asked asked;
        private boolean answered;

        private OpenRequest(Asked asked) {
            this.asked = asked;
        }

        public String sessionType() {
            return asked.sessionType();
        }

        /** Opens the channel; the returned channel delivers to its handler once attached. */
        public SessionChannel accept() {
            synchronized (Connection.this) {
                answer();
                SessionChannel ch = new SessionChannel(Connection.this, asked.id(), asked.sessionType(), asked.priority());
                table.accepted(ch);
                sendFrame(FrameCodec.openOk(asked.id()));
                return ch;
            }
        }

        /** Refuses the channel with a reason the Guest shows. */
        public void deny(String reason) {
            synchronized (Connection.this) {
                answer();
                table.refused(asked.id());
                sendFrame(FrameCodec.openDenied(asked.id(), reason));
            }
        }

        private void answer() {
            if (answered) {
                throw new IllegalStateException("already answered");
            }
            answered = true;
        }
    }

    private final boolean host;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final Handshake handshake;
    private final RecordLayer records = new RecordLayer();
    private final ChannelTable table;
    private final Keepalive keepalive = new Keepalive(this, records);
    private final FrameCodec.FrameListener inbound = new Inbound();

    private byte[] binding;
    private byte[] peerIdentity;
    private String peerName = "";
    private String peerCapabilities = "";
    private boolean secured;
    private boolean closed;
    private String closeReason;
    private String peerByeReason;

    private Connection(Handshake handshake, Listener listener, ScheduledExecutorService scheduler, boolean host) {
        this.handshake = handshake;
        this.listener = listener;
        this.scheduler = scheduler;
        this.host = host;
        this.table = new ChannelTable(host);
    }

    /**
     * The Host side of a connection a Guest opened.
     *
     * @param scheduler runs keepalives and the handshake timeout; may be null in tests
     */
    public static Connection host(HostIdentity identity, String hostName, String capabilities, Listener listener,
            ScheduledExecutorService scheduler, SecureRandom random) {
        return new Connection(new Handshake(true, hostName, capabilities, identity, random), listener, scheduler, true);
    }

    /** The Guest side; pass it as the handler of the link being opened. */
    public static Connection guest(String guestName, String capabilities, Listener listener,
            ScheduledExecutorService scheduler, SecureRandom random) {
        return new Connection(new Handshake(false, guestName, capabilities, null, random), listener, scheduler, false);
    }

    // ---------------------------------------------------------------- information

    /** The peer's name from its hello. */
    public synchronized String peerName() {
        return peerName;
    }

    /** The peer's capabilities from its hello (comma-separated session types and tools). */
    public synchronized String peerCapabilities() {
        return peerCapabilities;
    }

    /** On the Guest, the Host's identity key, once secured. */
    public synchronized Optional<byte[]> hostKey() {
        return Optional.ofNullable(peerIdentity).map(byte[]::clone);
    }

    /**
     * 32 bytes both sides derive from this connection's key exchange and nobody else can: proofs that
     * include it cannot be replayed on another connection.
     */
    public synchronized byte[] binding() {
        if (binding == null) {
            throw new IllegalStateException("not secured yet");
        }
        return binding.clone();
    }

    public String remoteAddress() {
        Link l = records.link();
        return l == null ? "" : l.remoteAddress();
    }

    /** How many ended channel ids are remembered; tests check the bound. */
    synchronized int endedChannelsKept() {
        return table.endedKept();
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    synchronized boolean secured() {
        return secured;
    }

    // ---------------------------------------------------------------- link events

    @Override
    public void opened(Link l) {
        synchronized (this) {
            records.attach(l);
        }
        keepalive.start(scheduler);
        if (!host) {
            records.sendClear(handshake.guestHello());
        }
    }

    @Override
    public void received(Link l, ByteBuffer message) {
        keepalive.received();
        try {
            if (!secured) {
                handshake(message);
            } else {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
                FrameCodec.read(records.open(message), inbound);
            }
        } catch (ProtocolException e) {
            close(PROTOCOL_ERROR + e.getMessage());
        } catch (RuntimeException e) {
            close("internal error: " + e);
        }
    }

    @Override
    public void writable(Link l) {
        pump();
    }

    @Override
    public void closed(Link l, String reason) {
        List<SessionChannel> open;
        List<CompletableFuture<SessionChannel>> waiting;
        String why;
        synchronized (this) {
            keepalive.stop();
            why = closeReason != null ? closeReason
                    : peerByeReason != null ? "closed by the " + (host ? "Guest" : "Host") + ": " + peerByeReason
                    : reason;
            closed = true;
            open = table.drainChannels();
            waiting = table.drainRequests();
        }
        for (SessionChannel ch : open) {
            ch.ended(why);
        }
        for (CompletableFuture<SessionChannel> f : waiting) {
            f.completeExceptionally(new ProtocolException("the connection closed: " + why));
        }
        listener.closed(this, why);
    }

    private void handshake(ByteBuffer message) throws ProtocolException {
        Handshake.Step step = handshake.receive(message);
        if (step instanceof Handshake.Refused refused) {
            closeQuietly(refused.reason());
            return;
        }
        if (step instanceof Handshake.Unsupported unsupported) {
            records.sendClear(unsupported.refusal());
            closeQuietly(unsupported.reason());
            return;
        }
        Handshake.Hello hello = (Handshake.Hello) step;
        synchronized (this) {
            if (hello.hostKey() != null) {
                peerIdentity = hello.hostKey();
            }
            peerName = hello.peerName();
            peerCapabilities = hello.peerCapabilities();
            Handshake.Keys keys = handshake.keys(hello);
            records.keys(keys);
            binding = keys.binding();
            secured = true;
        }
        if (hello.reply() != null) {
            records.sendClear(hello.reply());
        }
        listener.secured(this);
    }

    // ---------------------------------------------------------------- frames in

    /** The peer's frames, on the link's thread, handed over by the codec. */
    private final class Inbound implements FrameCodec.FrameListener {

        @Override
        public void control(ControlMessage message) throws ProtocolException {
            listener.control(Connection.this, message);
        }

        @Override
        public void open(int id, Priority priority, String sessionType) throws ProtocolException {
            OpenRequest request;
            synchronized (Connection.this) {
                table.requested(id);
                request = new OpenRequest(new Asked(id, sessionType, priority));
            }
            listener.openRequested(Connection.this, request);
        }

        @Override
        public void openAnswered(int id, String deniedReason) throws ProtocolException {
            ChannelTable.LocalOpen asked;
            SessionChannel ch = null;
            synchronized (Connection.this) {
                asked = table.answered(id);
                if (deniedReason == null) {
                    ch = new SessionChannel(Connection.this, id, asked.sessionType(), asked.priority());
                    table.opened(ch);
                }
            }
            if (deniedReason == null) {
                asked.answer().complete(ch);
            } else {
                asked.answer().completeExceptionally(new SessionDenied(deniedReason));
            }
        }

        @Override
        public void data(int id, ByteBuffer chunk, boolean last) throws ProtocolException {
            SessionChannel ch;
            synchronized (Connection.this) {
                ch = table.forData(id);
            }
            if (ch != null) {
                ch.receivedFragment(chunk, last);
            }
        }

        @Override
        public void credit(int id, int bytes) {
            SessionChannel ch;
            synchronized (Connection.this) {
                ch = table.get(id);
            }
            if (ch != null) {
                ch.credited(bytes);
                pump();
            }
        }

        @Override
        public void close(int id, String reason) {
            SessionChannel ch;
            synchronized (Connection.this) {
                ch = table.closedByPeer(id);
            }
            if (ch != null) {
                ch.ended(reason);
            }
        }

        @Override
        public void ping() {
            sendFrame(FrameCodec.pong());
        }

        @Override
        public void bye(String reason) {
            synchronized (Connection.this) {
                peerByeReason = reason;
            }
        }
    }

    // ---------------------------------------------------------------- frames out

    /** Sends a control message. */
    public void send(ControlMessage message) {
        sendFrame(FrameCodec.control(message));
    }

    /**
     * Asks the peer to open a session channel.
     *
     * @return completes with the open channel, or exceptionally with {@link SessionDenied}
     */
    public CompletionStage<SessionChannel> open(String sessionType, Priority priority) {
        CompletableFuture<SessionChannel> f = new CompletableFuture<>();
        synchronized (this) {
            if (closed || !secured) {
                f.completeExceptionally(new IllegalStateException("the connection is not open"));
                return f;
            }
            int id = table.request(new ChannelTable.LocalOpen(f, sessionType, priority));
            sendFrame(FrameCodec.open(id, priority, sessionType));
        }
        return f;
    }

    /** Grants the peer more credit on a channel. */
    void grant(int id, int bytes) {
        sendFrame(FrameCodec.credit(id, bytes));
    }

    /** Ends one channel on both sides. */
    void closeChannel(int id, String reason) {
        synchronized (this) {
            if (table.closedHere(id)) {
                sendFrame(FrameCodec.close(id, reason));
            }
        }
    }

    /** Seals and sends one frame, unless the connection is not (or no longer) keyed and open. */
    void sendFrame(byte[] frame) {
        urgentWaiting.incrementAndGet();
        synchronized (this) {
            urgentWaiting.decrementAndGet();
            if (closed || !secured) {
                return;
            }
            records.send(frame);
            if (pumpCut) {
                pump();
            }
        }
    }

    /**
     * Sends waiting channel data, highest priority first, while the link takes it. Sealing bulk data
     * stops after a record when another thread waits for the lock to send something else (a keystroke,
     * a frame's acknowledgement, a credit): that thread pumps on once it has sent its own. Before, a
     * sender of file data held the lock for a whole window's sealing (a millisecond, many more when the
     * machine is busy) while the screen's acknowledgement waited behind it.
     */
    synchronized void pump() {
        pumpCut = false;
        boolean bulkHeld = holding && System.nanoTime() - bulkHeldUntil < 0;
        while (!closed && secured && !records.congested()) {
            SessionChannel next = ChannelScheduler.next(table.open(), bulkHeld);
            if (next == null) {
                return;
            }
            next.sendNext();
            if (next.priority() == Priority.BULK && urgentWaiting.get() > 0) {
                pumpCut = true;
                return;
            }
        }
    }

    /**
     * Keyboard or mouse input went out or came in on this connection: bulk data waits
     * {@link #INPUT_HOLDS_BULK_NANOS}, unless a hold ended too recently (see there). Without a scheduler
     * to pump on afterwards (tests), nothing is held.
     */
    void inputPassed() {
        if (scheduler == null) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (closed || (holding && (now - bulkHeldUntil < 0 || now - nextHoldFrom < 0))) {
                return;
            }
            holding = true;
            bulkHeldUntil = now + INPUT_HOLDS_BULK_NANOS;
            nextHoldFrom = bulkHeldUntil + INPUT_HOLDS_BULK_NANOS;
        }
        try {
            scheduler.schedule(this::pump, INPUT_HOLDS_BULK_NANOS, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down: nothing more is sent anyway
        }
    }

    /**
     * Counts a thread about to wait for this connection's lock to send other than bulk data; it must
     * call {@link #urgentEntered} as soon as it holds the lock, and pump before it lets go.
     */
    void urgentWaiting() {
        urgentWaiting.incrementAndGet();
    }

    /** See {@link #urgentWaiting()}; under the lock. */
    void urgentEntered() {
        urgentWaiting.decrementAndGet();
    }

    /**
     * Under the lock, by a thread that counted itself waiting but sends nothing after all: the pump may
     * have given way to it, so it pumps on.
     */
    void urgentGaveUp() {
        if (pumpCut) {
            pump();
        }
    }

    Spares spares() {
        return spares;
    }

    /** Encrypts and sends one data fragment; called by a channel from {@link #pump()}. */
    void sendData(int id, ByteBuffer chunk, boolean end) {
        if (closed || !secured) {
            return;
        }
        records.sendData(FrameCodec.dataHeader(id, end), chunk);
    }

    // ---------------------------------------------------------------- closing

    /** Closes the connection, telling the peer why. */
    public void close(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (closeReason == null) {
                closeReason = reason;
            }
            if (secured) {
                sendFrame(FrameCodec.bye(reason));
            }
            closed = true;
        }
        closeLink(reason);
    }

    /** Closes without a bye: the peer is not keyed, or refused this side. */
    void closeQuietly(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason;
            }
        }
        closeLink(reason);
    }

    private void closeLink(String reason) {
        Link l = records.link();
        if (l != null) {
            l.close(reason);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A reason or refusal as sent: at most 1000 UTF-8 bytes. */
    static String clip(String s) {
        return WireText.clip(s, 1000);
    }
}
