package org.tandemrc.comm.tcp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.netty.link.FrameDecoder;
import org.tandemrc.support.comm.DescribedDevice;
import org.tandemrc.support.comm.CommonSettings;
import org.tandemrc.support.comm.DeviceEndpoint;
import org.tandemrc.support.comm.ListenPlace;

/**
 * The {@code tcp} device. Profile settings: {@code bind} (address to listen on; empty for every IPv4
 * and IPv6 address), {@code port} (default 6502; 0 picks a free one), {@code max-message} (bytes, default
 * 1 MiB), {@code connect-timeout} (seconds, default 10).
 */
@Component(service = CommunicationDevice.class)
@TandemDeviceType(TcpDevice.TYPE)
public class TcpDevice extends DescribedDevice {

    static final String TYPE = "tcp";
    private static final int LENGTH_FIELD = 4;
    /** A link counts as congested above 1 MiB of unsent data and as writable again below 256 KiB. */
    private static final io.netty.channel.WriteBufferWaterMark WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /**
     * Reads of up to 256 KiB once a link carries bulk data (the adaptive default stops at 64 KiB): a
     * 64 KiB record then arrives in one read instead of two that the frame decoder must join. An idle
     * link's reads stay small.
     */
    private static final io.netty.channel.RecvByteBufAllocator READS =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

    private static final DeviceSetting PORT = CommonSettings.port(TcpAddress.DEFAULT_PORT);
    private static final List<DeviceSetting> SETTINGS =
            List.of(CommonSettings.BIND, PORT, CommonSettings.MAX_MESSAGE, CommonSettings.CONNECT_TIMEOUT);

    private EventLoopGroup acceptors;
    private EventLoopGroup workers;

    public TcpDevice() {
        super(TYPE, SETTINGS);
    }

    @Activate
    public void activate() {
        acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("tandem-tcp-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("tandem-tcp-io", true));
    }

    @Deactivate
    public void deactivate() throws InterruptedException {
        // Closing the groups closes every endpoint and link of this device: its bundle is going away.
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        ListenPlace place = ListenPlace.of(TYPE, profile, PORT);
        int maxMessage = profile.integer(CommonSettings.MAX_MESSAGE);
        InetSocketAddress address = place.address((bind, port) -> TcpAddress.parse(bind, port).getHostString());
        ServerBootstrap server = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        frame(ch, maxMessage, acceptor::accepted);
                    }
                });
        ChannelFuture bound = server.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw place.failed(bound.cause());
        }
        Channel serverChannel = bound.channel();
        return new DeviceEndpoint(profile, TYPE + ":" + TcpAddress.format(serverChannel.localAddress()),
                () -> serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
    }

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        InetSocketAddress target;
        int maxMessage;
        int timeoutSeconds;
        try {
            target = TcpAddress.parse(address, TcpAddress.DEFAULT_PORT);
            maxMessage = profile.integer(CommonSettings.MAX_MESSAGE);
            timeoutSeconds = profile.integer(CommonSettings.CONNECT_TIMEOUT);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        NettyLink[] link = new NettyLink[1];
        Bootstrap client = new Bootstrap()
                .group(workers)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutSeconds * 1000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        link[0] = frame(ch, maxMessage, l -> handler);
                    }
                });
        client.connect(target.getHostString(), target.getPort()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(link[0]);
            } else {
                result.completeExceptionally(new IOException(
                        "cannot connect to " + TYPE + ":" + address + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return result;
    }

    private static NettyLink frame(SocketChannel ch, int maxMessage, NettyLink.HandlerFactory factory) {
        NettyLink link = new NettyLink(ch, maxMessage, factory);
        ch.pipeline()
                .addLast("frame-decoder", new FrameDecoder(maxMessage))
                .addLast("frame-encoder", new LengthFieldPrepender(LENGTH_FIELD))
                .addLast("link", link.inbound());
        return link;
    }
}
