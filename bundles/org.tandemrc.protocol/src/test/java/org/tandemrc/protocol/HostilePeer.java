package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * A scripted malicious peer that speaks the real Tandem protocol to a real {@link Connection}: it runs
 * the true handshake (hello, X25519 key exchange, the Host's signature) with its own code, so that it
 * holds the record keys and can then send any frame it likes, well-formed or not, sealed so that the
 * victim decrypts it. Everything runs on the caller's thread, one message at a time, so a script (or a
 * fuzzer) is deterministic.
 *
 * <p>It lives in the protocol bundle's test jar, not the API's next to {@code DeviceConformance}: speaking
 * the real protocol needs {@code org.tandemrc.protocol}, which the API bundle must not depend on.
 */
public final class HostilePeer {

    /** Frame kinds as the connection numbers them ({@link FrameCodec}), for tests outside this package. */
    public static final int CONTROL = FrameCodec.CONTROL;
    public static final int OPEN = FrameCodec.OPEN;
    public static final int OPEN_OK = FrameCodec.OPEN_OK;
    public static final int OPEN_DENIED = FrameCodec.OPEN_DENIED;
    public static final int DATA = FrameCodec.DATA;
    public static final int CREDIT = FrameCodec.CREDIT;
    public static final int CLOSE = FrameCodec.CLOSE;
    public static final int PING = FrameCodec.PING;
    public static final int PONG = FrameCodec.PONG;
    public static final int BYE = FrameCodec.BYE;

    private static final byte[] MAGIC = "TNDM".getBytes(StandardCharsets.US_ASCII);

    private final Connection victim;
    private final ScriptLink link;
    private final boolean victimIsHost;
    private RecordCipher sealer;
    private RecordCipher opener;
    private int readUpTo;
    private SessionHost sessions;

    private HostilePeer(Connection victim, boolean victimIsHost) {
        this.victim = victim;
        this.victimIsHost = victimIsHost;
        this.link = new ScriptLink(victim);
    }

    /**
     * A malicious Guest against a real Host connection whose role is {@code hostListener}. The Guest's
     * hello carries {@code guestName} as it is (escapes, newlines and all).
     */
    public static HostilePeer guestAgainst(Connection.Listener hostListener, String guestName, Random seed) {
        SecureRandom random = deterministic(seed);
        Connection host = Connection.host(HostIdentity.generate(random), "victim-host", "message,chat",
                hostListener, null, random);
        HostilePeer peer = new HostilePeer(host, true);
        host.opened(peer.link);
        X25519PrivateKeyParameters mine = new X25519PrivateKeyParameters(random);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] hello = new WireWriter().bytes(MAGIC).u8(Connection.VERSION).u8(1)
                .bytes(mine.generatePublicKey().getEncoded()).bytes(nonce).text(guestName).text("message,chat")
                .toByteArray();
        peer.raw(hello);
        byte[] serverHello = peer.link.sent.get(0);
        peer.readUpTo = 1;
        if (serverHello.length < 38 || serverHello[5] != 2) {
            throw new IllegalStateException("the Host did not answer the hello: " + new String(serverHello,
                    StandardCharsets.UTF_8));
        }
        byte[] hostEphemeral = java.util.Arrays.copyOfRange(serverHello, 6, 38);
        peer.derive(mine, hostEphemeral, sha256(hello, serverHello), "tandem v1 guest to host",
                "tandem v1 host to guest");
        return peer;
    }

    /** A malicious Host against a real Guest connection whose role is {@code guestListener}. */
    public static HostilePeer hostAgainst(Connection.Listener guestListener, String hostName, Random seed) {
        SecureRandom random = deterministic(seed);
        Connection guest = Connection.guest("victim-guest", "message,chat", guestListener, null, random);
        HostilePeer peer = new HostilePeer(guest, false);
        guest.opened(peer.link);
        byte[] clientHello = peer.link.sent.get(0);
        peer.readUpTo = 1;
        byte[] guestEphemeral = java.util.Arrays.copyOfRange(clientHello, 6, 38);
        HostIdentity identity = HostIdentity.generate(random);
        X25519PrivateKeyParameters mine = new X25519PrivateKeyParameters(random);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] unsigned = new WireWriter().bytes(MAGIC).u8(Connection.VERSION).u8(2)
                .bytes(mine.generatePublicKey().getEncoded()).bytes(nonce).bytes(identity.publicKey())
                .text(hostName).text("message,chat,remotecontrol,tools").toByteArray();
        byte[] serverHello = new WireWriter().bytes(unsigned).bytes(identity.sign(sha256(clientHello, unsigned)))
                .toByteArray();
        peer.derive(mine, guestEphemeral, sha256(clientHello, serverHello), "tandem v1 host to guest",
                "tandem v1 guest to host");
        peer.raw(serverHello);
        return peer;
    }

    /**
     * A malicious Guest against a real Host connection that serves {@code type} as the Host does: an
     * open request for the type is accepted and its Host side attached with the Guest's name from the
     * hello and {@code privileges}; other types are denied. What the session does is recorded
     * ({@link #sessionFailures()}, {@link #sessionEnded(int)}).
     */
    public static HostilePeer guestAgainst(SessionType type, Set<Privilege> privileges, String guestName,
            Random seed) {
        SessionHost host = new SessionHost(type, privileges);
        return guestAgainst(host, guestName, seed).mounting(host);
    }

    /**
     * A malicious Host against a real Guest connection; {@link #openOnVictim} then makes the Guest open
     * a session of {@code type}, its Guest side attached as a Guest's is.
     */
    public static HostilePeer hostAgainst(SessionType type, Set<Privilege> privileges, String hostName,
            Random seed) {
        SessionHost guest = new SessionHost(type, privileges);
        return hostAgainst(guest, hostName, seed).mounting(guest);
    }

    private HostilePeer mounting(SessionHost victimSide) {
        sessions = victimSide;
        return this;
    }

    /**
     * The victim Guest opens a session of the mounted type with {@code arguments}; this peer accepts at
     * once, so the Guest side starts and sends what it sends first. Returns the channel id.
     */
    public int openOnVictim(List<String> arguments) {
        if (victimIsHost || sessions == null) {
            throw new IllegalStateException("only a victim Guest with a mounted session type opens sessions");
        }
        CompletableFuture<SessionChannel> opened = victim.open(sessions.type.id(), Priority.values()[0])
                .toCompletableFuture();
        int id = -1;
        for (Frame f : frames()) {
            if (f.kind() == OPEN) {
                id = f.channel();
            }
        }
        if (id < 0) {
            throw new IllegalStateException("the victim Guest sent no open request");
        }
        frame(OPEN_OK, id, new byte[0]);
        SessionChannel ch = opened.getNow(null);
        if (ch == null) {
            throw new IllegalStateException("the victim Guest did not take the open answer");
        }
        sessions.attach(ch, id, Side.GUEST, victim.peerName(), arguments);
        return id;
    }

    /** Exceptions the victim's session handlers threw (a handler must refuse by closing, never throw). */
    public List<Throwable> sessionFailures() {
        return sessions == null ? List.of() : List.copyOf(sessions.failures);
    }

    /** How the victim's session on a channel ended, or null while it runs. */
    public String sessionEnded(int channel) {
        return sessions == null ? null : sessions.ended.get(channel);
    }

    /** Attaches the mounted session type to the channels the victim accepts or opens. */
    private static final class SessionHost implements Connection.Listener {
        final SessionType type;
        final Set<Privilege> privileges;
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final Map<Integer, String> ended = new ConcurrentHashMap<>();
        volatile String connectionClosed;
        /** The channel this peer asked for last: the victim answers requests in order, one at a time. */
        volatile int opening;

        SessionHost(SessionType type, Set<Privilege> privileges) {
            this.type = type;
            this.privileges = privileges;
        }

        @Override
        public void secured(Connection connection) {
        }

        @Override
        public void control(Connection connection, ControlMessage message) {
        }

        @Override
        public void openRequested(Connection connection, Connection.OpenRequest request) {
            if (!request.sessionType().equals(type.id())) {
                request.deny("this Host offers no " + request.sessionType());
                return;
            }
            attach(request.accept(), opening, Side.HOST, connection.peerName(), List.of());
        }

        void attach(SessionChannel ch, int id, Side side, String peerName, List<String> arguments) {
            String guestName = side == Side.HOST ? peerName : "victim-guest";
            String hostName = side == Side.HOST ? "victim-host" : peerName;
            SessionContext context = new Context(side, ch, guestName, hostName, privileges, arguments);
            SessionHandler inner;
            try {
                inner = type.open(context);
            } catch (RuntimeException e) {
                failures.add(e);
                throw e;
            }
            ch.attach(new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                    try {
                        inner.received(message);
                    } catch (RuntimeException e) {
                        failures.add(e);
                        throw e;
                    }
                }

                @Override
                public void closed(String reason) {
                    ended.put(id, reason);
                    try {
                        inner.closed(reason);
                    } catch (RuntimeException e) {
                        failures.add(e);
                        throw e;
                    }
                }
            });
        }

        @Override
        public void closed(Connection connection, String reason) {
            connectionClosed = reason;
        }
    }

    private record Context(Side side, Channel channel, String guestName, String hostName, Set<Privilege> privileges,
            List<String> arguments) implements SessionContext {
    }

    private void derive(X25519PrivateKeyParameters mine, byte[] theirs, byte[] transcript, String out, String in) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(mine);
        byte[] shared = new byte[agreement.getAgreementSize()];
        agreement.calculateAgreement(new X25519PublicKeyParameters(theirs, 0), shared, 0);
        byte[] prk = RecordCipher.Kdf.extract(transcript, shared);
        sealer = new RecordCipher(RecordCipher.Kdf.expand(prk, out, 32), true);
        opener = new RecordCipher(RecordCipher.Kdf.expand(prk, in, 32), false);
    }

    /** The victim connection. */
    public Connection victim() {
        return victim;
    }

    /** Whether the victim's link is still open (false once it closed the connection). */
    public boolean victimConnected() {
        return link.open && victim.isOpen();
    }

    /** Why the victim closed the link, or null. */
    public String victimCloseReason() {
        return link.closeReason;
    }

    /**
     * Fails the test when hostile input did more than end a session: a session handler of the victim threw
     * (it must refuse by closing), or the victim's connection ended with an internal error.
     */
    public void assertVictimUnharmed() {
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), sessionFailures());
        String why = victimCloseReason();
        org.junit.jupiter.api.Assertions.assertFalse(why != null && why.startsWith("internal error"), why);
    }

    /** Hands the victim bytes exactly as they would arrive from the network (no record sealing). */
    public void raw(byte[] message) {
        if (link.open) {
            victim.received(link, ByteBuffer.wrap(message));
        }
    }

    /** Seals one plaintext frame with the real record key and delivers it. */
    public void frame(byte[] plain) {
        raw(sealer.seal(plain));
    }

    public void frame(int kind, int channel, byte[] payload) {
        frame(new WireWriter().u8(kind).u32(channel).bytes(payload).toByteArray());
    }

    public void control(ControlMessage message) {
        frame(FrameCodec.control(message));
    }

    /** Asks the victim to open a session channel (the channel id must be odd from a Guest, even from a Host). */
    public void open(int channel, int priority, String sessionType) {
        if (sessions != null) {
            sessions.opening = channel;
        }
        frame(OPEN, channel, new WireWriter().u8(priority).text(sessionType).toByteArray());
    }

    /** One channel message in one frame. */
    public void data(int channel, byte[] message) {
        fragment(channel, true, message);
    }

    /** A fragment with or without its end flag; its size is not checked, so it may be an oversized one. */
    public void fragment(int channel, boolean end, byte[] chunk) {
        frame(FrameCodec.data(channel, ByteBuffer.wrap(chunk), end));
    }

    public void closeChannel(int channel, String reason) {
        frame(CLOSE, channel, new WireWriter().text(reason).toByteArray());
    }

    public void credit(int channel, int bytes) {
        frame(FrameCodec.credit(channel, bytes));
    }

    /** A frame the victim sent: its kind, channel and payload. */
    public record Frame(int kind, int channel, byte[] payload) {
        /** The payload of a DATA frame, after its flags byte. */
        public ByteBuffer data() {
            return ByteBuffer.wrap(payload, 1, payload.length - 1).slice();
        }

        /** The text of a CLOSE, OPEN_DENIED or BYE frame. */
        public String reason() {
            try {
                return new WireReader(ByteBuffer.wrap(payload)).text("reason", 4096);
            } catch (ProtocolException e) {
                return "?";
            }
        }
    }

    /**
     * The frames the victim sent until one matches, for answers a session sends from its own thread;
     * fails after {@code millis}.
     */
    public List<Frame> framesUntil(java.util.function.Predicate<Frame> wanted, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Frame> out = new ArrayList<>();
        while (true) {
            for (Frame f : frames()) {
                out.add(f);
                if (wanted.test(f)) {
                    return out;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the victim sent no such frame within " + millis + " ms; it sent " + out.size());
            }
            synchronized (link) {
                try {
                    link.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    /** The frames the victim sent since the last call, decrypted. */
    public List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        while (true) {
            byte[] record;
            synchronized (link) {
                if (readUpTo >= link.sent.size()) {
                    break;
                }
                record = link.sent.get(readUpTo++);
            }
            ByteBuffer plain;
            try {
                plain = opener.open(ByteBuffer.wrap(record));
            } catch (ProtocolException e) {
                throw new IllegalStateException("the victim sent a record this peer cannot open", e);
            }
            try {
                WireReader r = new WireReader(plain);
                int kind = r.u8("frame kind");
                int channel = r.i32("channel");
                out.add(new Frame(kind, channel, r.bytes(r.remaining(), "payload")));
            } catch (ProtocolException e) {
                throw new IllegalStateException("the victim sent a frame shorter than its header", e);
            }
        }
        return out;
    }

    /** Whether the victim is the Host side. */
    public boolean victimIsHost() {
        return victimIsHost;
    }

    private static SecureRandom deterministic(Random seed) {
        // The keys differ per run only as much as the seed does: scripts and fuzzing replay exactly.
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                seed.nextBytes(bytes);
            }
        };
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

    /** The victim's link: what it sends is kept; closing is recorded. */
    private static final class ScriptLink extends SinkLink {
        final List<byte[]> sent = new ArrayList<>();

        ScriptLink(Connection handler) {
            super(handler, "victim:1", "hostile:2");
        }

        @Override
        public CompletionStage<Void> send(ByteBuffer message) {
            byte[] b = new byte[message.remaining()];
            message.get(b);
            synchronized (this) {
                sent.add(b);
                notifyAll();
            }
            return CompletableFuture.completedFuture(null);
        }
    }
}
