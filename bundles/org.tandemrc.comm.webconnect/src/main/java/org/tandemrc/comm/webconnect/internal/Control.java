package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.tandemrc.api.comm.HostPort;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
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

    static final int DEFAULT_PORT = 6590;
    private static final ByteBuf CLOSED = Unpooled.EMPTY_BUFFER;

    private final Channel channel;
    private final String address;
    private final BlockingQueue<ByteBuf> frames = new LinkedBlockingQueue<>();
    private String managerId;
    private boolean tls;
    private boolean heard;

    private Control(Channel channel, String address) {
        this.channel = channel;
        this.address = address;
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
        Tls.Address a = Tls.Address.parse(address, transport.tlsDefault);
        HostPort hp = HostPort.parse(a.authority(), DEFAULT_PORT, "Connection Manager address");
        IOException[] setup = new IOException[1];
        Control[] self = new Control[1];
        BlockingQueue<ByteBuf> early = new LinkedBlockingQueue<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        try {
                            transport.install(ch, a, hp);
                        } catch (IOException e) {
                            setup[0] = e;
                            ch.close();
                            return;
                        }
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
                                ctx.close();
                            }
                        });
                    }
                });
        ChannelFuture f = b.connect(hp.host(), hp.port()).awaitUninterruptibly();
        if (setup[0] != null) {
            throw setup[0];
        }
        if (!f.isSuccess()) {
            throw new IOException("cannot reach the Connection Manager at " + hp.authority() + ": "
                    + (f.cause() == null ? "timed out" : f.cause().getMessage()), f.cause());
        }
        var hs = Transport.handshake(f.channel());
        if (!hs.awaitUninterruptibly(timeoutMillis + 5000L) || !hs.isSuccess()) {
            f.channel().close();
            throw new IOException("TLS with the Connection Manager at " + hp.authority() + " failed: "
                    + (hs.cause() == null ? "timed out" : Tls.describe(hs.cause())), hs.cause());
        }
        Control c = new Control(f.channel(), a.tls() ? "tls:" + hp.authority() : hp.authority());
        c.tls = a.tls();
        self[0] = c;
        // the queue filled by the handler is this connection's queue
        c.adopt(early);
        return c;
    }

    private BlockingQueue<ByteBuf> source;

    private void adopt(BlockingQueue<ByteBuf> q) {
        this.source = q;
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
            f = source.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (f == CLOSED) {
            source.add(CLOSED);
            throw new IOException("the Connection Manager at " + address + " closed the connection"
                    + (heard || tls ? "" : " without a word (if it serves TLS, write tls:" + address + " or set tls=true)"));
        }
        if (f != null) {
            heard = true;
        }
        return f;
    }

    /** The next frame, which must be of {@code type}; an ERROR frame becomes {@link Refused}. */
    ByteBuf expect(byte type, long timeoutMillis) throws IOException, Refused {
        ByteBuf f = next(timeoutMillis);
        if (f == null) {
            throw new IOException("the Connection Manager at " + address + " did not answer within "
                    + timeoutMillis / 1000 + " s");
        }
        int t = Fields.getUnsignedByte(f);
        if (t == Frames.ERROR) {
            throw new Refused(Fields.getString(f));
        }
        if (t != type) {
            throw new IOException("the Connection Manager at " + address + " sent frame " + t + " instead of " + type);
        }
        return f;
    }

    /** Logs on as {@code role} ("host" or "guest"). */
    void logon(String account, char[] password, String role, long timeoutMillis) throws IOException, Refused {
        ByteBuf out = Frames.start(ByteBufAllocator.DEFAULT, Frames.LOGON);
        out.writeByte(Frames.VERSION);
        Fields.putString(out, account);
        Fields.putString(out, role);
        send(Frames.finish(out));
        ByteBuf ch = expect(Frames.CHALLENGE, timeoutMillis);
        byte[] nonce = Fields.getBytes(ch);
        int memory = Fields.getInt(ch);
        int iterations = Fields.getInt(ch);
        int parallelism = Fields.getInt(ch);
        byte[] salt = Fields.getBytes(ch);
        BigInteger b = new BigInteger(1, Fields.getBytes(ch));
        SrpClient srp = new SrpClient(account, password, new SecureRandom());
        try {
            ClientResponse r = srp.respond(new Challenge(memory, iterations, parallelism, salt, b),
                    Logon.binding(nonce, account));
            ByteBuf proof = Frames.start(ByteBufAllocator.DEFAULT, Frames.PROOF);
            Fields.putBytes(proof, r.clientPublic().toByteArray());
            Fields.putBytes(proof, r.proof());
            send(Frames.finish(proof));
            ByteBuf welcome = expect(Frames.WELCOME, timeoutMillis);
            srp.verifyServer(Fields.getBytes(welcome));
            managerId = Fields.getString(welcome);
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            throw new Refused("the Connection Manager at " + address + " failed to prove it knows the account: "
                    + e.getMessage());
        } finally {
            srp.clear();
        }
    }

    @Override
    public void close() {
        channel.close();
    }
}
