package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Resumption;
import org.tandemrc.webconnect.protocol.Support;
import org.tandemrc.webconnect.tls.Tls;

/**
 * A control connection to a Connection Manager, used from a plain thread: frames are read with
 * {@link #next(long)}. Logon is SRP-6a, so the account password never crosses the wire.
 */
final class Control implements AutoCloseable {

    /** The manager refused a request; the message is its reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The manager is busy with logons and asked to be tried again no sooner than {@code millis} from now. */
    static final class RetryLater extends IOException {
        private static final long serialVersionUID = 1L;
        final int millis;

        RetryLater(int millis, String message) {
            super(message);
            this.millis = millis;
        }
    }

    /** A resumption ticket, its secret (never sent) and its expiry; see {@link Resumption}. */
    record Resume(byte[] ticket, byte[] secret, long expiresAtMillis) {
    }

    static final int DEFAULT_PORT = 6590;
    private static final ByteBuf CLOSED = Unpooled.EMPTY_BUFFER;

    private final Channel channel;
    private final String address;
    private final boolean tls;
    private final String via;
    /** Filled by the channel's handler, which starts before this object exists. */
    private final BlockingQueue<ByteBuf> frames;
    private String managerId;
    private boolean heard;
    /** The resumption secret of this connection's logon as a Host, for the ticket REGISTERED brings. */
    private byte[] secret;

    private Control(Channel channel, String address, boolean tls, String via, BlockingQueue<ByteBuf> frames) {
        this.channel = channel;
        this.address = address;
        this.tls = tls;
        this.via = via;
        this.frames = frames;
    }

    String address() {
        return address;
    }

    String managerId() {
        return managerId;
    }

    static Control open(EventLoopGroup group, String address, int timeoutMillis) throws IOException {
        return open(group, address, Transport.PLAIN, timeoutMillis);
    }

    static Control open(EventLoopGroup group, String address, Transport transport, int timeoutMillis) throws IOException {
        return open(group, address, null, transport, new Transport.Route(), timeoutMillis);
    }

    /**
     * Connects to a manager over TCP, or through its HTTP tunnel (see {@link Transport}).
     *
     * @param tunnel the manager's tunnel address, or null
     * @param route  remembers which way worked
     */
    static Control open(EventLoopGroup group, String address, String tunnel, Transport transport, Transport.Route route,
            int timeoutMillis) throws IOException {
        Tls.Address a = Tls.Address.parse(address, transport.tlsDefault);
        HostPort hp = HostPort.parse(a.authority(), DEFAULT_PORT, "Connection Manager address");
        BlockingQueue<ByteBuf> early = new LinkedBlockingQueue<>();
        Channel channel;
        try {
            channel = transport.connect(group, "the Connection Manager", a, DEFAULT_PORT, tunnel, route, false, ch -> {
                ch.pipeline().addLast(Frames.decoder(Frames.MAX_CONTROL_FRAME));
                ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                        early.add(Unpooled.copiedBuffer(msg));
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        early.add(CLOSED);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        System.getLogger("org.tandemrc.comm.webconnect").log(System.Logger.Level.DEBUG,
                                () -> "connection to the Connection Manager at " + hp.authority() + " failed: " + cause);
                        ctx.close();
                    }
                });
            }).get(2L * transport.connectMillis + timeoutMillis + 30_000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot reach the Connection Manager at " + hp.authority() + ": timed out");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException io) {
                throw io;
            }
            throw new IOException(t.getMessage(), t);
        }
        var hs = Transport.handshake(channel);
        if (!hs.awaitUninterruptibly(timeoutMillis + 5000L) || !hs.isSuccess()) {
            channel.close();
            throw new IOException("TLS with the Connection Manager at " + hp.authority() + " failed: "
                    + (hs.cause() == null ? "timed out" : Tls.describe(hs.cause())), hs.cause());
        }
        return new Control(channel, a.tls() ? "tls:" + hp.authority() : hp.authority(), a.tls(), route.last, early);
    }

    /** Which way this connection took ({@code tcp:...}, {@code tls:...} or {@code http:...}). */
    String via() {
        return via;
    }

    void send(ByteBuf frame) {
        channel.writeAndFlush(frame);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /**
     * The next frame, or null when none came within the time.
     *
     * @throws IOException when the connection closed
     */
    ByteBuf next(long timeoutMillis) throws IOException {
        ByteBuf f;
        try {
            f = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (f == CLOSED) {
            frames.add(CLOSED);
            throw new IOException("the Connection Manager at " + address + " closed the connection"
                    + (heard || tls ? "" : " without a word (if it serves TLS, write tls:" + address + " or set tls=true)"));
        }
        if (f != null) {
            heard = true;
        }
        return f;
    }

    /**
     * The next frame, which must be of {@code type}, its reader index past the type byte; an ERROR frame
     * becomes {@link Refused}.
     */
    ByteBuf expect(byte type, long timeoutMillis) throws IOException, Refused {
        ByteBuf f = next(timeoutMillis);
        if (f == null) {
            throw new IOException("the Connection Manager at " + address + " did not answer within "
                    + timeoutMillis / 1000 + " s");
        }
        try {
            WireReader r = Fields.reader(f);
            int t = r.u8("frame type");
            if (t == Frames.ERROR) {
                throw new Refused(Fields.string(r, "reason"));
            }
            if (t == Frames.RETRY) {
                Resumption.Retry retry = Resumption.Retry.read(r);
                throw new RetryLater(retry.millis(), "the Connection Manager at " + address + " is busy: " + retry.reason()
                        + "; try again in " + retry.millis() + " ms");
            }
            if (t != type) {
                throw new IOException("the Connection Manager at " + address + " sent frame " + t + " instead of " + type);
            }
        } catch (ProtocolException e) {
            throw broke(e);
        }
        return f.skipBytes(1);
    }

    IOException broke(ProtocolException e) {
        return new IOException("the Connection Manager at " + address + " broke the protocol: " + e.getMessage(), e);
    }

    /** Logs on as {@code role} ("host" or "guest"). */
    void logon(String account, char[] password, String role, long timeoutMillis) throws IOException, Refused {
        send(new Logon.Request(Frames.VERSION, account, role).frame());
        SrpClient srp = new SrpClient(account, password, new SecureRandom());
        try {
            Logon.Challenged challenge = Logon.Challenged.read(Fields.reader(expect(Frames.CHALLENGE, timeoutMillis)));
            send(challenge.answer(srp, account));
            Logon.Welcome welcome = Logon.Welcome.read(Fields.reader(expect(Frames.WELCOME, timeoutMillis)));
            srp.verifyServer(welcome.serverProof());
            managerId = welcome.managerId();
            secret = "host".equals(role) ? Resumption.afterLogon(srp.sessionKey(), challenge.nonce(), account) : null;
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            throw new Refused("the Connection Manager at " + address + " failed to prove it knows the account: "
                    + e.getMessage());
        } catch (ProtocolException e) {
            throw broke(e);
        } finally {
            srp.clear();
        }
    }

    /**
     * Logs a Host on again with its resumption ticket instead of SRP, then sends {@code register} without
     * waiting for the answer (it registers the Host named in the ticket).
     *
     * @throws Refused when the manager refused the ticket (its reason starts with {@link Resumption#REFUSED}),
     *         or the manager failed to prove it opened the ticket
     */
    void resume(String account, String hostName, Resume ticket, ByteBuf register, long timeoutMillis)
            throws IOException, Refused {
        try {
            send(new Resumption.Request(Frames.VERSION, account, hostName, ticket.ticket()).frame());
            byte[] nonce = Resumption.readChallenge(Fields.reader(expect(Frames.RESUME_CHALLENGE, timeoutMillis)));
            send(Resumption.proof(Resumption.clientProof(ticket.secret(), nonce, account, hostName, ticket.ticket())));
            send(register);
            register = null;
            Resumption.Resumed resumed = Resumption.Resumed.read(Fields.reader(expect(Frames.RESUMED, timeoutMillis)));
            if (!Resumption.same(resumed.serverProof(),
                    Resumption.serverProof(ticket.secret(), nonce, account, hostName, ticket.ticket()))) {
                channel.close();
                throw new Refused("the Connection Manager at " + address + " failed to prove it opened the ticket");
            }
            managerId = resumed.managerId();
            secret = Resumption.next(ticket.secret(), nonce);
        } catch (ProtocolException e) {
            throw broke(e);
        } finally {
            if (register != null) {
                register.release();
            }
        }
    }

    /**
     * The REGISTERED frame's ticket with this connection's secret, or null when the manager gave none (an
     * older manager, tickets off, a temporary Host).
     */
    Resume registered(ByteBuf registered) throws IOException {
        try {
            Resumption.Issued issued = Resumption.readRegistered(Fields.reader(registered));
            byte[] s = secret;
            secret = null;
            return issued == null || s == null ? null : new Resume(issued.ticket(), s, issued.expiresAtMillis());
        } catch (ProtocolException e) {
            throw broke(e);
        }
    }

    /**
     * Logs a temporary Host on with a support code instead of an account and password.
     *
     * @return the session it joined: the account, the Host name to register, the supporter
     */
    Support.Joined join(String code, String instance, long timeoutMillis) throws IOException, Refused {
        send(new Logon.Request(Frames.VERSION, "", Support.ROLE).frame());
        send(new Support.Join(code, instance).frame());
        try {
            Support.Joined j = Support.Joined.read(Fields.reader(expect(Frames.SUPPORT_JOINED, timeoutMillis)));
            managerId = j.managerId();
            return j;
        } catch (ProtocolException e) {
            throw broke(e);
        }
    }

    /** A Guest's request about support sessions (SUPPORT_CREATE or SUPPORT_CHANGE) and the session it answers. */
    Support.Session support(ByteBuf request, long timeoutMillis) throws IOException, Refused {
        send(request);
        try {
            return Support.Session.read(Fields.reader(expect(Frames.SUPPORT, timeoutMillis)));
        } catch (ProtocolException e) {
            throw broke(e);
        }
    }

    /** A Guest's SUPPORT_LIST and the sessions of its account the manager answers. */
    Support.Sessions supportList(long timeoutMillis) throws IOException, Refused {
        send(Support.listFrame());
        try {
            return Support.Sessions.read(Fields.reader(expect(Frames.SUPPORT_SESSIONS, timeoutMillis)));
        } catch (ProtocolException e) {
            throw broke(e);
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
