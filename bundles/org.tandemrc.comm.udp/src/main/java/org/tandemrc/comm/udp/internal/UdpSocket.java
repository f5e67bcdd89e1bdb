package org.tandemrc.comm.udp.internal;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;

/**
 * One UDP socket of the device and the links it carries: a listening endpoint's socket serves every link
 * peers open to it, demultiplexed by peer address and connection id; a connecting link has a socket of its
 * own, connected to the peer. Also answers discovery requests when it listens. Runs on one event loop.
 */
final class UdpSocket extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final System.Logger LOG = System.getLogger(UdpSocket.class.getName());
    private static final long TICK_MILLIS = 10;
    private static final long COOKIE_LIFETIME_SECONDS = 30;

    /** What a listening socket needs to accept links and answer discovery. */
    record Listening(LinkAcceptor acceptor, Identity identity, int maxMessage, int mtu, long idleNanos) {
    }

    /** Who a listening Host says it is, and what it answers. */
    record Identity(String name, String user, boolean publicName, boolean publishUser) {
    }

    private record ClientKey(InetSocketAddress peer, long clientId) {
    }

    private final UdpDevice device;
    private final Listening listening;
    private final Map<Long, UdpLink> links = new HashMap<>();
    private final Map<ClientKey, UdpLink> byClient = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final byte[] secret = new byte[32];
    private Channel channel;
    private ScheduledFuture<?> ticker;
    private volatile boolean accepting;
    private volatile boolean silenced;
    private UdpLink clientLink;

    UdpSocket(UdpDevice device, Listening listening) {
        this.device = device;
        this.listening = listening;
        this.accepting = listening != null;
        random.nextBytes(secret);
    }

    void attach(Channel ch) {
        this.channel = ch;
        this.ticker = ch.eventLoop().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> {
            ticker.cancel(false);
            for (UdpLink l : new ArrayList<>(links.values())) {
                l.finish("the udp device stopped");
            }
            device.socketClosed(this);
        });
    }

    Channel channel() {
        return channel;
    }

    SocketAddress localAddress() {
        return channel.localAddress();
    }

    void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** Stops accepting links; the socket closes when its last link is gone. Event loop only. */
    void stopAccepting() {
        accepting = false;
        if (links.isEmpty()) {
            channel.close();
        }
    }

    /** For tests: from now on nothing is read or written, as if the cable were pulled. */
    void silence() {
        silenced = true;
    }

    // ---------------------------------------------------------------------------------------- output

    ByteBuf newPacket(int type, int size) {
        return Packet.header(channel.alloc(), type, size);
    }

    void write(ByteBuf b, InetSocketAddress to) {
        if (silenced || !channel.isActive()) {
            b.release();
            return;
        }
        channel.writeAndFlush(new DatagramPacket(b, to), channel.voidPromise());
    }

    void sendAck(UdpLink l) {
        ByteBuf b = newPacket(Packet.ACK, Packet.HEADER + 21 + Packet.MAX_SACK * 16);
        l.writeAck(b);
        write(b, l.peer);
        l.sentSomething(System.nanoTime());
    }

    void sendPing(UdpLink l) {
        ByteBuf b = newPacket(Packet.PING, Packet.HEADER + 8);
        b.writeLong(l.remoteId);
        write(b, l.peer);
    }

    /**
     * A RESET names the receiver's id for the link when known ({@code receiverId}, else 0) and the id the
     * receiver uses for this side ({@code senderId}).
     */
    void sendReset(InetSocketAddress to, long receiverId, long senderId, String reason) {
        byte[] text = Packet.utf8(reason, Packet.REASON_BYTES);
        ByteBuf b = newPacket(Packet.RESET, Packet.HEADER + 16 + text.length);
        b.writeLong(receiverId).writeLong(senderId).writeBytes(text);
        write(b, to);
    }

    // ---------------------------------------------------------------------------------------- client

    /** Starts the handshake of this socket's one outgoing link. */
    void startClient(UdpLink link, long timeoutNanos) {
        clientLink = link;
        links.put(link.localId, link);
        long now = System.nanoTime();
        link.handshakeDeadline = now + timeoutNanos;
        link.handshakeInterval = TimeUnit.MILLISECONDS.toNanos(250);
        link.nextHandshake = now;
        handshakeTick(link, now);
    }

    void handshakeTick(UdpLink link, long now) {
        if (now > link.handshakeDeadline) {
            link.finish("no answer from udp:" + link.remoteAddress() + " within "
                    + TimeUnit.NANOSECONDS.toSeconds(link.handshakeDeadline - (now - 1)) + " s"
                    + " (is a Tandem udp endpoint listening there?)");
            return;
        }
        if (now < link.nextHandshake) {
            return;
        }
        link.nextHandshake = now + link.handshakeInterval;
        link.handshakeInterval = Math.min(link.handshakeInterval * 2, TimeUnit.SECONDS.toNanos(2));
        sendHandshake(link);
    }

    private void sendHandshake(UdpLink link) {
        ByteBuf b;
        if (link.cookie == null) {
            b = newPacket(Packet.INIT, Packet.HANDSHAKE_SIZE);
            b.writeLong(link.localId).writeInt(link.maxMessageSize()).writeShort(0);
        } else {
            b = newPacket(Packet.ECHO, Packet.HANDSHAKE_SIZE);
            b.writeLong(link.localId).writeBytes(link.cookie).writeInt(link.maxMessageSize()).writeShort(0);
        }
        Packet.pad(b, Packet.HANDSHAKE_SIZE);
        write(b, link.peer);
    }

    // ----------------------------------------------------------------------------------------- input

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
        if (silenced) {
            return;
        }
        ByteBuf b = p.content();
        InetSocketAddress from = p.sender();
        int size = b.readableBytes();
        int type = Packet.typeOf(b);
        if (type < 0 || from == null) {
            return; // not ours: dropped without a word
        }
        b.skipBytes(Packet.HEADER);
        try {
            switch (type) {
                case Packet.INIT -> onInit(b, from, size);
                case Packet.COOKIE -> onCookie(b, from);
                case Packet.ECHO -> onEcho(b, from, size);
                case Packet.ACCEPT -> onAccept(b, from);
                case Packet.DATA, Packet.ACK, Packet.PING -> onLinkPacket(type, b, from, size);
                case Packet.RESET -> onReset(b, from);
                case Packet.BROWSE, Packet.QUERY -> onDiscovery(type, b, from, size);
                default -> {
                    // an unknown type from a later version: ignored
                }
            }
        } catch (RuntimeException e) {
            // A malformed datagram must never harm the socket or its other links.
            LOG.log(Level.DEBUG, "dropped a malformed datagram from " + from, e);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (UdpLink l : links.values()) {
            if (l.ackNeeded && l.state != UdpLink.State.CONNECTING) {
                sendAck(l);
            }
        }
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PortUnreachableException && clientLink != null) {
            UdpLink l = clientLink;
            if (l.state == UdpLink.State.CONNECTING) {
                l.finish("nobody listens at udp:" + l.remoteAddress() + " (port unreachable)");
            } else {
                l.finish("the peer at udp:" + l.remoteAddress() + " is gone (port unreachable)");
            }
            return;
        }
        LOG.log(Level.DEBUG, "udp socket " + localAddress() + ": " + cause);
    }

    private void onInit(ByteBuf b, InetSocketAddress from, int size) {
        if (listening == null || size < Packet.HANDSHAKE_SIZE || b.readableBytes() < 8) {
            return;
        }
        long clientId = b.readLong();
        if (!accepting) {
            sendReset(from, clientId, 0, "udp:" + UdpAddress.format(localAddress()) + " does not accept links any more");
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        ByteBuf out = newPacket(Packet.COOKIE, Packet.HEADER + 8 + Packet.COOKIE_SIZE);
        out.writeLong(clientId).writeBytes(cookie(now, from, clientId));
        write(out, from);
    }

    private byte[] cookie(long seconds, InetSocketAddress from, long clientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            ByteBuffer in = ByteBuffer.allocate(8 + 16 + 4 + 8);
            in.putLong(seconds).put(from.getAddress().getAddress()).putInt(from.getPort()).putLong(clientId);
            mac.update(in.array(), 0, in.position());
            byte[] tag = mac.doFinal();
            ByteBuffer c = ByteBuffer.allocate(Packet.COOKIE_SIZE);
            c.putLong(seconds).put(tag, 0, Packet.COOKIE_SIZE - 8);
            return c.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private void onCookie(ByteBuf b, InetSocketAddress from) {
        UdpLink l = clientLink;
        if (l == null || l.state != UdpLink.State.CONNECTING || !from.equals(l.peer)
                || b.readableBytes() < 8 + Packet.COOKIE_SIZE || b.readLong() != l.localId) {
            return;
        }
        byte[] c = new byte[Packet.COOKIE_SIZE];
        b.readBytes(c);
        l.cookie = c;
        l.handshakeInterval = TimeUnit.MILLISECONDS.toNanos(250);
        l.nextHandshake = System.nanoTime() + l.handshakeInterval;
        sendHandshake(l);
    }

    private void onEcho(ByteBuf b, InetSocketAddress from, int size) {
        if (listening == null || size < Packet.HANDSHAKE_SIZE || b.readableBytes() < 8 + Packet.COOKIE_SIZE + 4) {
            return;
        }
        long clientId = b.readLong();
        byte[] c = new byte[Packet.COOKIE_SIZE];
        b.readBytes(c);
        int peerMax = b.readInt();
        long seconds = ByteBuffer.wrap(c).getLong();
        long now = System.currentTimeMillis() / 1000;
        if (seconds > now + 1 || now - seconds > COOKIE_LIFETIME_SECONDS
                || !MessageDigest.isEqual(c, cookie(seconds, from, clientId))) {
            return; // forged or stale: no state, no answer
        }
        ClientKey key = new ClientKey(from, clientId);
        UdpLink existing = byClient.get(key);
        if (existing != null) {
            sendAccept(existing); // our ACCEPT was lost
            return;
        }
        if (!accepting) {
            sendReset(from, clientId, 0, "udp:" + UdpAddress.format(localAddress()) + " does not accept links any more");
            return;
        }
        if (peerMax < 0) {
            return;
        }
        UdpLink link = new UdpLink(this, from, newId(), listening.maxMessage(), listening.mtu(), listening.idleNanos());
        link.remoteId = clientId;
        links.put(link.localId, link);
        byClient.put(key, link);
        link.establish(peerMax);
        sendAccept(link);
        LinkHandler handler;
        try {
            handler = listening.acceptor().accepted(link);
        } catch (RuntimeException e) {
            link.reset("the Host could not accept the link", "could not accept the link: " + e.getMessage());
            return;
        }
        if (handler == null) {
            link.reset("the Host refused the link", "the acceptor refused the link");
            return;
        }
        link.handOver(handler);
    }

    private void sendAccept(UdpLink link) {
        ByteBuf out = newPacket(Packet.ACCEPT, Packet.HEADER + 20);
        out.writeLong(link.remoteId).writeLong(link.localId).writeInt(link.maxMessageSize());
        write(out, link.peer);
    }

    private long newId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0 || links.containsKey(id));
        return id;
    }

    private void onAccept(ByteBuf b, InetSocketAddress from) {
        UdpLink l = clientLink;
        if (l == null || !from.equals(l.peer) || b.readableBytes() < 20 || b.readLong() != l.localId) {
            return;
        }
        long serverId = b.readLong();
        int peerMax = b.readInt();
        if (l.state != UdpLink.State.CONNECTING || peerMax < 0) {
            return;
        }
        l.remoteId = serverId;
        l.establish(peerMax);
        l.handOver(l.handlerToOpen);
        if (l.connecting != null) {
            l.connecting.complete(l);
        }
        l.pump();
    }

    private void onLinkPacket(int type, ByteBuf b, InetSocketAddress from, int size) {
        if (b.readableBytes() < 8) {
            return;
        }
        long id = b.readLong();
        UdpLink l = links.get(id);
        if (l == null || !from.equals(l.peer) || l.state == UdpLink.State.CONNECTING) {
            if (l == null && size >= Packet.HEADER + 16 + 12) {
                // A link we do not know (closed, or from before a restart): say so, in no more bytes
                // than the datagram that asked.
                sendReset(from, 0, id, "unknown link");
            }
            return;
        }
        switch (type) {
            case Packet.DATA -> l.onData(b);
            case Packet.ACK -> l.onAck(b);
            default -> {
                l.touched();
                l.ackNeeded = true;
            }
        }
    }

    private void onReset(ByteBuf b, InetSocketAddress from) {
        if (b.readableBytes() < 16) {
            return;
        }
        long receiverId = b.readLong();
        long senderId = b.readLong();
        String reason = Packet.rest(b, Packet.REASON_BYTES);
        UdpLink l = receiverId != 0 ? links.get(receiverId) : null;
        if (l == null && clientLink != null && clientLink.localId == receiverId) {
            l = clientLink;
        }
        if (l == null) {
            for (UdpLink c : links.values()) {
                if (c.remoteId == senderId && c.state != UdpLink.State.CONNECTING) {
                    l = c;
                    break;
                }
            }
        }
        if (l == null || !from.equals(l.peer)) {
            return;
        }
        if (l.state == UdpLink.State.CONNECTING) {
            l.finish("udp:" + l.remoteAddress() + " refused the link: " + reason);
        } else if (senderId == l.remoteId || l.remoteId == 0) {
            l.peerReset(reason);
        }
    }

    private void onDiscovery(int type, ByteBuf b, InetSocketAddress from, int size) {
        if (listening == null || size < Packet.DISCOVERY_SIZE || b.readableBytes() < 8) {
            return;
        }
        Identity me = listening.identity();
        long nonce = b.readLong();
        boolean answer;
        if (type == Packet.BROWSE) {
            answer = me.publicName();
        } else {
            if (b.readableBytes() < 1) {
                return;
            }
            int kind = b.readUnsignedByte();
            String name = Packet.readShortText(b);
            if (name == null) {
                return;
            }
            answer = kind == 'H' ? name.equalsIgnoreCase(me.name())
                    : kind == 'U' && me.publishUser() && name.equalsIgnoreCase(me.user());
        }
        if (answer) {
            ByteBuf out = newPacket(Packet.ANSWER, Packet.HEADER + 8 + 2 + 2 * Packet.NAME_BYTES);
            out.writeLong(nonce);
            Packet.writeShortText(out, me.name());
            Packet.writeShortText(out, me.publishUser() ? me.user() : "");
            write(out, from);
        }
    }

    // ----------------------------------------------------------------------------------------- links

    void removed(UdpLink l) {
        links.remove(l.localId);
        byClient.remove(new ClientKey(l.peer, l.remoteId));
        if (l == clientLink || (!accepting && links.isEmpty())) {
            channel.close();
        }
    }

    private void tick() {
        if (silenced || links.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (UdpLink l : new ArrayList<>(links.values())) {
            l.tick(now);
        }
        channel.flush();
    }

    /** The links on this socket, for tests (event loop only). */
    List<UdpLink> links() {
        return new ArrayList<>(links.values());
    }
}
