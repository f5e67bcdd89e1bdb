package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * One Tandem connection over a {@link Link}, on either side.
 *
 * <p>It runs the handshake (hello, X25519 key exchange signed by the Host identity), then carries
 * encrypted frames: control messages (channel 0) and session channels with credit-based flow control
 * and priorities. It knows nothing of passwords, roles or session types; the Host and Guest roles
 * drive those through {@link Listener}. Inbound events arrive on the link's thread, one at a time;
 * sending is safe from any thread.
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
    /** How the reason starts when this side closed because the peer broke the protocol. */
    public static final String PROTOCOL_ERROR = "protocol error: ";

    private static final byte[] MAGIC = "TNDM".getBytes(StandardCharsets.US_ASCII);
    private static final int HELLO = 1;
    private static final int SERVER_HELLO = 2;
    private static final int REFUSE = 3;

    private static final int F_CONTROL = 1;
    private static final int F_OPEN = 2;
    private static final int F_OPEN_OK = 3;
    private static final int F_OPEN_DENIED = 4;
    private static final int F_DATA = 5;
    private static final int F_CREDIT = 6;
    private static final int F_CLOSE = 7;
    private static final int F_PING = 8;
    private static final int F_PONG = 9;
    private static final int F_BYE = 10;

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

    /** A peer's request to open a session channel. */
    public final class OpenRequest {
        private final int id;
        private final String sessionType;
        private final Priority priority;
        private boolean answered;

        OpenRequest(int id, String sessionType, Priority priority) {
            this.id = id;
            this.sessionType = sessionType;
            this.priority = priority;
        }

        public String sessionType() {
            return sessionType;
        }

        /** Opens the channel; the returned channel delivers to its handler once attached. */
        public SessionChannel accept() {
            synchronized (Connection.this) {
                if (answered) {
                    throw new IllegalStateException("already answered");
                }
                answered = true;
                pendingRemote.remove(id);
                SessionChannel ch = new SessionChannel(Connection.this, id, sessionType, priority);
                channels.put(id, ch);
                sendFrame(F_OPEN_OK, id, new byte[0]);
                return ch;
            }
        }

        /** Refuses the channel with a reason the Guest shows. */
        public void deny(String reason) {
            synchronized (Connection.this) {
                if (answered) {
                    throw new IllegalStateException("already answered");
                }
                answered = true;
                pendingRemote.remove(id);
                ended(id);
                sendFrame(F_OPEN_DENIED, id, new WireWriter().text(clip(reason)).toByteArray());
            }
        }
    }

    private final boolean host;
    private final String localName;
    private final String localCapabilities;
    private final HostIdentity identity;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random;

    private Link link;
    private X25519PrivateKeyParameters ephemeral;
    private byte[] clientHello;
    private RecordCipher sealer;
    private RecordCipher opener;
    private byte[] binding;
    private byte[] peerIdentity;
    private String peerName = "";
    private String peerCapabilities = "";
    private boolean secured;
    private boolean closed;
    private String closeReason;
    private String peerByeReason;
    private volatile long lastReceived = System.currentTimeMillis();
    private volatile long lastSent = System.currentTimeMillis();
    private ScheduledFuture<?> ticker;

    private final Map<Integer, SessionChannel> channels = new HashMap<>();
    private final Map<Integer, OpenRequest> pendingRemote = new HashMap<>();
    private final Map<Integer, CompletableFuture<SessionChannel>> pendingLocal = new HashMap<>();
    private final Map<Integer, Object[]> pendingLocalInfo = new HashMap<>();
    private int nextChannel;
    /**
     * Channels this side ended (closed or refused) whose peer may not have heard yet: frames it sent
     * before it did are dropped, not taken for a protocol error. Insertion order, at most
     * {@link #MAX_CHANNELS}: the oldest is forgotten first, so a hostile peer cannot make it grow.
     */
    private final LinkedHashSet<Integer> ended = new LinkedHashSet<>();

    private Connection(boolean host, String localName, String localCapabilities, HostIdentity identity,
            Listener listener, ScheduledExecutorService scheduler, SecureRandom random) {
        this.host = host;
        this.localName = localName;
        this.localCapabilities = localCapabilities;
        this.identity = identity;
        this.listener = listener;
        this.scheduler = scheduler;
        this.random = random;
        this.nextChannel = host ? 2 : 1;
    }

    /**
     * The Host side of a connection a Guest opened.
     *
     * @param scheduler runs keepalives and the handshake timeout; may be null in tests
     */
    public static Connection host(HostIdentity identity, String hostName, String capabilities, Listener listener,
            ScheduledExecutorService scheduler, SecureRandom random) {
        return new Connection(true, hostName, capabilities, identity, listener, scheduler, random);
    }

    /** The Guest side; pass it as the handler of the link being opened. */
    public static Connection guest(String guestName, String capabilities, Listener listener,
            ScheduledExecutorService scheduler, SecureRandom random) {
        return new Connection(false, guestName, capabilities, null, listener, scheduler, random);
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
        Link l = link;
        return l == null ? "" : l.remoteAddress();
    }

    /** How many ended channel ids are remembered; tests check the bound. */
    synchronized int endedChannelsKept() {
        return ended.size();
    }

    public synchronized boolean isOpen() {
        return !closed;
    }

    // ---------------------------------------------------------------- link events

    @Override
    public void opened(Link l) {
        synchronized (this) {
            this.link = l;
        }
        if (scheduler != null) {
            ticker = scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        }
        if (!host) {
            ephemeral = new X25519PrivateKeyParameters(random);
            byte[] nonce = new byte[32];
            random.nextBytes(nonce);
            clientHello = new WireWriter().bytes(MAGIC).u8(VERSION).u8(HELLO)
                    .bytes(ephemeral.generatePublicKey().getEncoded()).bytes(nonce)
                    .text(clip(localName, 255)).text(clip(localCapabilities, 4096)).toByteArray();
            sendRaw(clientHello);
        }
    }

    @Override
    public void received(Link l, ByteBuffer message) {
        lastReceived = System.currentTimeMillis();
        try {
            if (!secured) {
                handshake(message);
            } else {
                byte[] plain;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    plain = opener.open(message);
                }
                frame(ByteBuffer.wrap(plain));
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
            if (ticker != null) {
                ticker.cancel(false);
            }
            why = closeReason != null ? closeReason
                    : peerByeReason != null ? "closed by the " + (host ? "Guest" : "Host") + ": " + peerByeReason
                    : reason;
            closed = true;
            open = List.copyOf(channels.values());
            channels.clear();
            waiting = List.copyOf(pendingLocal.values());
            pendingLocal.clear();
        }
        for (SessionChannel ch : open) {
            ch.ended(why);
        }
        for (CompletableFuture<SessionChannel> f : waiting) {
            f.completeExceptionally(new ProtocolException("the connection closed: " + why));
        }
        listener.closed(this, why);
    }

    // ---------------------------------------------------------------- handshake

    private void handshake(ByteBuffer message) throws ProtocolException {
        WireReader r = new WireReader(message);
        byte[] magic = r.bytes(4, "protocol magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new ProtocolException("the peer does not speak the Tandem protocol");
        }
        int version = r.u8("version");
        int kind = r.u8("hello kind");
        if (kind == REFUSE) {
            String why = r.text("reason", 1024);
            closeQuietly("the Host refused the connection: " + why);
            return;
        }
        if (version != VERSION) {
            refuse("protocol version " + version + " is not supported; this node speaks version " + VERSION);
            return;
        }
        if (host) {
            if (kind != HELLO || clientHello != null) {
                throw new ProtocolException("expected a Guest hello");
            }
            byte[] guestEphemeral = r.bytes(32, "ephemeral key");
            r.bytes(32, "nonce");
            String name = r.text("guest name", 255);
            String caps = r.text("capabilities", 4096);
            r.end("hello");
            clientHello = toArray(message);
            ephemeral = new X25519PrivateKeyParameters(random);
            byte[] nonce = new byte[32];
            random.nextBytes(nonce);
            byte[] unsigned = new WireWriter().bytes(MAGIC).u8(VERSION).u8(SERVER_HELLO)
                    .bytes(ephemeral.generatePublicKey().getEncoded()).bytes(nonce).bytes(identity.publicKey())
                    .text(clip(localName, 255)).text(clip(localCapabilities, 4096)).toByteArray();
            byte[] transcript = sha256(clientHello, unsigned);
            byte[] serverHello = new WireWriter().bytes(unsigned).bytes(identity.sign(transcript)).toByteArray();
            synchronized (this) {
                peerName = name;
                peerCapabilities = caps;
                deriveKeys(guestEphemeral, sha256(clientHello, serverHello));
            }
            sendRaw(serverHello);
        } else {
            if (kind != SERVER_HELLO || clientHello == null) {
                throw new ProtocolException("expected a Host hello");
            }
            byte[] hostEphemeral = r.bytes(32, "ephemeral key");
            r.bytes(32, "nonce");
            byte[] hostKey = r.bytes(32, "host identity");
            String name = r.text("host name", 255);
            String caps = r.text("capabilities", 4096);
            int signed = r.remaining();
            byte[] signature = r.bytes(64, "signature");
            r.end("host hello");
            byte[] all = toArray(message);
            byte[] unsigned = Arrays.copyOf(all, all.length - signed);
            if (!HostIdentity.verify(hostKey, sha256(clientHello, unsigned), signature)) {
                throw new ProtocolException("the Host's signature of the key exchange is invalid");
            }
            synchronized (this) {
                peerIdentity = hostKey;
                peerName = name;
                peerCapabilities = caps;
                deriveKeys(hostEphemeral, sha256(clientHello, all));
            }
        }
        listener.secured(this);
    }

    private void deriveKeys(byte[] peerEphemeral, byte[] transcript) throws ProtocolException {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(ephemeral);
        byte[] shared = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerEphemeral, 0), shared, 0);
        } catch (IllegalStateException e) {
            throw new ProtocolException("the peer's key exchange value is invalid");
        }
        byte[] prk = RecordCipher.Kdf.extract(transcript, shared);
        Arrays.fill(shared, (byte) 0);
        byte[] g2h = RecordCipher.Kdf.expand(prk, "tandem v1 guest to host", 32);
        byte[] h2g = RecordCipher.Kdf.expand(prk, "tandem v1 host to guest", 32);
        binding = RecordCipher.Kdf.expand(prk, "tandem v1 binding", 32);
        sealer = new RecordCipher(host ? h2g : g2h, true);
        opener = new RecordCipher(host ? g2h : h2g, false);
        ephemeral = null;
        secured = true;
    }

    private void refuse(String reason) {
        sendRaw(new WireWriter().bytes(MAGIC).u8(VERSION).u8(REFUSE).text(clip(reason)).toByteArray());
        closeQuietly(reason);
    }

    // ---------------------------------------------------------------- frames in

    private void frame(ByteBuffer plain) throws ProtocolException {
        WireReader r = new WireReader(plain);
        int kind = r.u8("frame kind");
        int id = r.u32("channel", Integer.MAX_VALUE);
        switch (kind) {
            case F_CONTROL -> {
                if (id != 0) {
                    throw new ProtocolException("control frame on channel " + id);
                }
                listener.control(this, ControlMessage.decode(r.rest()));
            }
            case F_OPEN -> {
                int prio = r.u8("priority");
                String type = r.text("session type", 64);
                r.end("open");
                if (prio >= Priority.values().length) {
                    throw new ProtocolException("unknown priority " + prio);
                }
                if ((id % 2 == 1) != host || id == 0) {
                    throw new ProtocolException("channel id " + id + " belongs to this side");
                }
                OpenRequest request;
                synchronized (this) {
                    if (channels.containsKey(id) || pendingRemote.containsKey(id)) {
                        throw new ProtocolException("channel " + id + " is already open");
                    }
                    if (ended.contains(id)) {
                        throw new ProtocolException("channel " + id + " was used before");
                    }
                    if (channels.size() + pendingRemote.size() >= MAX_CHANNELS) {
                        throw new ProtocolException("more than " + MAX_CHANNELS + " channels");
                    }
                    request = new OpenRequest(id, type, Priority.values()[prio]);
                    pendingRemote.put(id, request);
                }
                listener.openRequested(this, request);
            }
            case F_OPEN_OK, F_OPEN_DENIED -> {
                String reason = kind == F_OPEN_DENIED ? r.text("reason", 1024) : null;
                r.end("open answer");
                CompletableFuture<SessionChannel> f;
                SessionChannel ch = null;
                synchronized (this) {
                    f = pendingLocal.remove(id);
                    Object[] info = pendingLocalInfo.remove(id);
                    if (f == null) {
                        throw new ProtocolException("answer for channel " + id + ", which was not requested");
                    }
                    if (reason == null) {
                        ch = new SessionChannel(this, id, (String) info[0], (Priority) info[1]);
                        channels.put(id, ch);
                    }
                }
                if (reason == null) {
                    f.complete(ch);
                } else {
                    f.completeExceptionally(new SessionDenied(reason));
                }
            }
            case F_DATA -> {
                int flags = r.u8("flags");
                ByteBuffer chunk = r.rest();
                if (chunk.remaining() > FRAGMENT) {
                    throw new ProtocolException("data fragment of " + chunk.remaining() + " bytes exceeds " + FRAGMENT);
                }
                SessionChannel ch = channel(id);
                if (ch != null) {
                    ch.receivedFragment(chunk, (flags & 1) != 0);
                }
            }
            case F_CREDIT -> {
                int credit = r.u32("credit", WINDOW);
                r.end("credit");
                SessionChannel ch;
                synchronized (this) {
                    ch = channels.get(id);
                }
                if (ch != null) {
                    ch.credited(credit);
                    pump();
                }
            }
            case F_CLOSE -> {
                String reason = r.text("reason", 1024);
                r.end("close");
                SessionChannel ch;
                synchronized (this) {
                    ch = channels.remove(id);
                    // Both sides closed at once: the peer's close is the last it sends on this id.
                    ended.remove(id);
                }
                if (ch != null) {
                    ch.ended(reason);
                }
            }
            case F_PING -> sendFrame(F_PONG, 0, new byte[0]);
            case F_PONG -> {
                // lastReceived is already updated
            }
            case F_BYE -> {
                String reason = r.text("reason", 1024);
                synchronized (this) {
                    peerByeReason = reason;
                }
            }
            default -> throw new ProtocolException("unknown frame kind " + kind);
        }
    }

    /**
     * The open channel for the peer's data, or null when this side ended it recently (the data crossed
     * the close and is dropped). Data for a channel never opened (or ended too long ago) is an error.
     */
    private SessionChannel channel(int id) throws ProtocolException {
        synchronized (this) {
            SessionChannel ch = channels.get(id);
            if (ch == null && !ended.contains(id)) {
                throw new ProtocolException("data for channel " + id + ", which is not open");
            }
            return ch;
        }
    }

    // ---------------------------------------------------------------- frames out

    /** Sends a control message. */
    public void send(ControlMessage message) {
        sendFrame(F_CONTROL, 0, message.encode());
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
            int id = nextChannel;
            nextChannel += 2;
            pendingLocal.put(id, f);
            pendingLocalInfo.put(id, new Object[] {sessionType, priority});
            sendFrame(F_OPEN, id, new WireWriter().u8(priority.ordinal()).text(sessionType).toByteArray());
        }
        return f;
    }

    /** Grants the peer more credit on a channel. */
    void grant(int id, int bytes) {
        sendFrame(F_CREDIT, id, new WireWriter().u32(bytes).toByteArray());
    }

    /** Ends one channel on both sides. */
    void closeChannel(int id, String reason) {
        synchronized (this) {
            if (channels.remove(id) == null) {
                return;
            }
            ended(id);
            sendFrame(F_CLOSE, id, new WireWriter().text(clip(reason)).toByteArray());
        }
    }

    /** Under the lock. */
    private void ended(int id) {
        ended.add(id);
        if (ended.size() > MAX_CHANNELS) {
            Iterator<Integer> oldest = ended.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    synchronized void sendFrame(int kind, int id, byte[] payload) {
        if (closed || !secured) {
            return;
        }
        byte[] plain = new WireWriter().u8(kind).u32(id).bytes(payload).toByteArray();
        link.send(ByteBuffer.wrap(sealer.seal(plain)));
        lastSent = System.currentTimeMillis();
    }

    /** Sends waiting channel data, highest priority first, while the link takes it. */
    synchronized void pump() {
        while (!closed && secured && !link.congested()) {
            SessionChannel next = null;
            for (SessionChannel ch : channels.values()) {
                if (ch.ready() && (next == null || ch.priority().ordinal() < next.priority().ordinal())) {
                    next = ch;
                }
            }
            if (next == null) {
                return;
            }
            next.sendNext();
        }
    }

    /** Encrypts and sends one data fragment; called by a channel from {@link #pump()}. */
    void sendData(int id, ByteBuffer chunk, boolean end) {
        if (closed || !secured) {
            return;
        }
        // The frame built in one array (kind, channel, flags, data): bulk data is copied once before
        // encryption, not once per layer.
        byte[] plain = new byte[6 + chunk.remaining()];
        ByteBuffer.wrap(plain).put((byte) F_DATA).putInt(id).put((byte) (end ? 1 : 0)).put(chunk.duplicate());
        link.send(ByteBuffer.wrap(sealer.seal(plain)));
        lastSent = System.currentTimeMillis();
    }

    private void sendRaw(byte[] message) {
        Link l = link;
        if (l != null) {
            l.send(ByteBuffer.wrap(message));
            lastSent = System.currentTimeMillis();
        }
    }

    // ---------------------------------------------------------------- closing and time

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
                sendFrame(F_BYE, 0, new WireWriter().text(clip(reason)).toByteArray());
            }
            closed = true;
        }
        Link l = link;
        if (l != null) {
            l.close(reason);
        }
    }

    private void closeQuietly(String reason) {
        synchronized (this) {
            if (closeReason == null) {
                closeReason = reason;
            }
        }
        Link l = link;
        if (l != null) {
            l.close(reason);
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        boolean isSecured;
        synchronized (this) {
            isSecured = secured;
        }
        if (!isSecured && now - lastReceived > HANDSHAKE_MILLIS) {
            closeQuietly("the key exchange did not complete within " + HANDSHAKE_MILLIS / 1000 + " s");
        } else if (now - lastReceived > SILENCE_MILLIS) {
            close("the peer has been silent for " + SILENCE_MILLIS / 1000 + " s");
        } else if (isSecured && now - lastSent > KEEPALIVE_MILLIS) {
            sendFrame(F_PING, 0, new byte[0]);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] toArray(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    private static byte[] sha256(byte[] a, byte[] b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(a);
            md.update(b);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String clip(String s) {
        return clip(s, 1000);
    }

    /** Cuts text to at most {@code max} UTF-8 bytes, on a character boundary. */
    static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s;
        while (t.getBytes(StandardCharsets.UTF_8).length > max) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
