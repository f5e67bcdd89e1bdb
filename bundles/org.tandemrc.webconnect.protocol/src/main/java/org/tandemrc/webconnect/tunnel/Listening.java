package org.tandemrc.webconnect.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;

/**
 * The listening side of a WebConnect server (the Connection Manager, a relay): its event loops, its TCP
 * server channel and, when it has an {@code http} device, a local server channel behind the HTTP tunnel
 * that runs the same pipeline, so a tunnelled client is served exactly as a TCP one. Closing is in two
 * steps because a server closes its own connections, and deregisters, between them.
 */
public final class Listening {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel server;
    private Channel localServer;
    private Endpoint httpEndpoint;

    /**
     * @param threads   the prefix of the thread names, e.g. {@code wc-relay}
     * @param suffix    added to each thread name, e.g. {@code -ID}, or empty
     * @param ioThreads the I/O threads (0: Netty's default, twice the processors)
     */
    public Listening(String threads, String suffix, int ioThreads) {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory(threads + "-accept" + suffix, true));
        workers = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory(threads + "-io" + suffix, true));
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /**
     * Listens on {@code host:port}, and through the tunnel when {@code http} is not null. On failure what
     * was bound stays for {@link #closeListeners()} to close.
     *
     * @param what     how the failure names the server, e.g. "relay"
     * @param options  child options for both server channels
     * @param http     the {@code http} device, or null for no tunnel
     * @param profile  where the tunnel listens
     * @throws IOException naming {@code what} and the address
     */
    public void bind(String what, String host, int port, UnaryOperator<ServerBootstrap> options,
            ChannelInitializer<Channel> pipeline, CommunicationDevice http, CommunicationProfile profile)
            throws IOException {
        try {
            server = options.apply(new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class))
                    .childHandler(pipeline).bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new IOException(what + " cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        if (http != null) {
            try {
                localServer = options.apply(new ServerBootstrap().group(boss, workers).channel(LocalServerChannel.class))
                        .childHandler(pipeline).bind(LocalAddress.ANY).sync().channel();
                LocalAddress local = (LocalAddress) localServer.localAddress();
                httpEndpoint = http.listen(profile, link -> LinkBridge.accept(link, workers, local));
            } catch (Exception e) {
                throw new IOException(what + " cannot listen through the HTTP tunnel: " + e.getMessage(), e);
            }
        }
    }

    /** The bound TCP port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Where the HTTP tunnel listens ({@code http:HOST:PORT}), or null. */
    public String httpAddress() {
        return httpEndpoint == null ? null : httpEndpoint.address();
    }

    /** Stops accepting, over TCP and the tunnel; connections already open stay. */
    public void closeListeners() {
        if (server != null) {
            server.close().awaitUninterruptibly(2000);
        }
        if (httpEndpoint != null) {
            httpEndpoint.close();
        }
        if (localServer != null) {
            localServer.close().awaitUninterruptibly(2000);
        }
    }

    /** Ends the event loops, and with them every connection left. */
    public void shutdown() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }
}
