package org.tandemrc.comm.udp.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DiscoveredHost;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.HostDiscovery;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.support.comm.DescribedDevice;
import org.tandemrc.support.comm.CommonSettings;
import org.tandemrc.support.comm.DeviceEndpoint;
import org.tandemrc.support.comm.ListenPlace;

/**
 * The {@code udp} device: reliable, ordered, congestion-controlled links over UDP datagrams (the design
 * is in docs/architecture.md, "UDP device"), and Host discovery by broadcast and IP broadcast list.
 *
 * <p>Listen settings: {@code bind} (default every address), {@code port} (default 6502; 0 picks a free
 * one), {@code max-message} (bytes, default 1 MiB), {@code mtu} (largest datagram, default 1200),
 * {@code idle-timeout} (seconds, default 30), {@code public-host-name} (answer browsing, default true),
 * {@code publish-user} (answer {@code U::} queries and show the user, default true), {@code host.name} and
 * {@code host.user} (the identity the Host role sets; default the machine's name and the JVM's user).
 *
 * <p>Connect addresses: {@code HOST[:PORT]}, {@code [IPv6]:PORT}, {@code H::NAME} (a Host by name),
 * {@code U::USER} (a Host by logged-on user), {@code DNS::NAME[:PORT]}. Connect settings: {@code port},
 * {@code max-message}, {@code mtu}, {@code idle-timeout}, {@code connect-timeout} (seconds, default 10),
 * {@code name-timeout} (seconds, default 3), {@code broadcast-list}.
 */
@Component(service = {CommunicationDevice.class, HostDiscovery.class})
@TandemDeviceType(UdpDevice.TYPE)
public class UdpDevice extends DescribedDevice implements HostDiscovery {

    static final String TYPE = "udp";
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final DeviceSetting PORT = CommonSettings.port(UdpAddress.DEFAULT_PORT);
    private static final DeviceSetting MTU = DeviceSetting.integer("mtu", 1200, 576, 8192, "largest datagram in bytes");
    private static final DeviceSetting IDLE_TIMEOUT =
            DeviceSetting.integer("idle-timeout", 30, 2, 3600, "seconds of silence after which a link counts as lost");
    private static final DeviceSetting NAME_TIMEOUT =
            DeviceSetting.integer("name-timeout", 3, 1, 60, "seconds to wait for answers to H:: and U:: names");
    private static final DeviceSetting PUBLIC_HOST_NAME = flag("public-host-name", "answer Host browsing");
    private static final DeviceSetting PUBLISH_USER = flag("publish-user", "answer U:: queries and show the user");
    private static final List<DeviceSetting> SETTINGS = List.of(CommonSettings.BIND, PORT, CommonSettings.MAX_MESSAGE,
            MTU, IDLE_TIMEOUT, CommonSettings.CONNECT_TIMEOUT, NAME_TIMEOUT,
            PUBLIC_HOST_NAME, PUBLISH_USER,
            DeviceSetting.text("host.name", null, "the Host name it answers to; default the machine's name"),
            DeviceSetting.text("host.user", null, "the user it shows; default the JVM's user"),
            DeviceSetting.text("broadcast-list", null, "addresses to browse besides the local broadcast"));

    private EventLoopGroup group;
    private final Set<UdpSocket> sockets = ConcurrentHashMap.newKeySet();

    public UdpDevice() {
        super(TYPE, SETTINGS);
    }

    /** Starts the device's own event loops: nothing of it is shared with other bundles or instances. */
    @Activate
    public void activate() {
        group = new NioEventLoopGroup(0, new DefaultThreadFactory("tandem-udp", true));
    }

    /** Closes every socket, endpoint and link of this instance. */
    @Deactivate
    public void deactivate() throws InterruptedException {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------------------------------ listen

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        ListenPlace place = ListenPlace.of(TYPE, profile, PORT);
        UdpSocket.Listening settings = new UdpSocket.Listening(acceptor, identity(profile), maxMessage(profile),
                mtu(profile), idleNanos(profile));
        InetSocketAddress address = place.address((bind, port) -> UdpAddress.parse(bind, port).getHostString());
        UdpSocket socket = new UdpSocket(this, settings);
        ChannelFuture bound = bootstrap(socket, null).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw place.failed(bound.cause());
        }
        Channel ch = bound.channel();
        socket.attach(ch);
        sockets.add(socket);
        String actual = TYPE + ":" + UdpAddress.format(ch.localAddress());
        return new DeviceEndpoint(profile, actual, () -> {
            try {
                ch.eventLoop().submit(socket::stopAccepting).awaitUninterruptibly(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the device stopped: the socket is closed already
            }
        });
    }

    private Bootstrap bootstrap(UdpSocket socket, InternetProtocolFamily family) {
        return new Bootstrap().group(group)
                .channelFactory(() -> family == null ? new NioDatagramChannel() : new NioDatagramChannel(family))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Packet.RECEIVE_BUFFER))
                .handler(socket);
    }

    void socketClosed(UdpSocket socket) {
        sockets.remove(socket);
    }

    /** For tests: every socket of this instance goes silent, as if its cable were pulled. */
    void silence() {
        for (UdpSocket s : sockets) {
            s.silence();
        }
    }

    // ----------------------------------------------------------------------------------------- connect

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        int maxMessage;
        int mtu;
        long idle;
        int timeoutSeconds;
        int port;
        try {
            maxMessage = maxMessage(profile);
            mtu = mtu(profile);
            idle = idleNanos(profile);
            timeoutSeconds = profile.integer(CommonSettings.CONNECT_TIMEOUT);
            port = profile.integer("port", UdpAddress.DEFAULT_PORT, 1, 65535);
            // Only names need it, but a profile that is wrong should fail every connect, not just some.
            profile.integer(NAME_TIMEOUT);
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("empty UDP address");
            }
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        String text = address.trim();
        String upper = text.toUpperCase(Locale.ROOT);
        CompletableFuture<InetSocketAddress> target;
        if (upper.startsWith("H::") || upper.startsWith("U::")) {
            target = resolveName(profile, upper.charAt(0), text.substring(3).trim());
        } else {
            String host = upper.startsWith("DNS::") ? text.substring(5).trim() : text;
            target = CompletableFuture.supplyAsync(() -> {
                InetSocketAddress a = UdpAddress.parse(host, port);
                try {
                    return new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort());
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("cannot connect to udp:" + text + ": unknown host '"
                            + a.getHostString() + "'");
                }
            });
        }
        target.whenComplete((to, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                result.completeExceptionally(cause);
            } else {
                open(to, text, maxMessage, mtu, idle, timeoutSeconds, handler, result);
            }
        });
        return result;
    }

    private void open(InetSocketAddress to, String asked, int maxMessage, int mtu, long idle, int timeoutSeconds,
            LinkHandler handler, CompletableFuture<Link> result) {
        UdpSocket socket = new UdpSocket(this, null);
        InternetProtocolFamily family = to.getAddress() instanceof Inet6Address
                ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
        ChannelFuture connected;
        try {
            connected = bootstrap(socket, family).connect(to);
        } catch (RuntimeException e) {
            result.completeExceptionally(new IOException("cannot connect to udp:" + asked + ": " + e.getMessage(), e));
            return;
        }
        connected.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to udp:" + asked + ": "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            socket.attach(f.channel());
            sockets.add(socket);
            UdpLink link = new UdpLink(socket, to, RANDOM.nextLong() | 1, maxMessage, mtu, idle);
            link.state = UdpLink.State.CONNECTING;
            link.connecting = result;
            link.handlerToOpen = handler;
            socket.startClient(link, TimeUnit.SECONDS.toNanos(timeoutSeconds));
        });
        result.whenComplete((l, x) -> {
            if (x != null) {
                connected.channel().close();
            }
        });
    }

    private CompletableFuture<InetSocketAddress> resolveName(CommunicationProfile profile, char kind, String name) {
        CompletableFuture<InetSocketAddress> found = new CompletableFuture<>();
        Discovery.Targets targets;
        int seconds;
        try {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("the address " + kind + ":: names no " + (kind == 'H' ? "Host" : "user"));
            }
            targets = Discovery.targets(profile);
            seconds = profile.integer(NAME_TIMEOUT);
        } catch (IllegalArgumentException e) {
            found.completeExceptionally(e);
            return found;
        }
        Discovery.ask(group, targets, kind, name, Duration.ofSeconds(seconds), (answer, ch) -> {
            found.complete(answer.from()); // the first answer wins
            ch.close();
        }).whenComplete((v, x) -> {
            if (x != null) {
                found.completeExceptionally(x);
            } else {
                found.completeExceptionally(new IOException("no Host " + (kind == 'H' ? "named '" : "with user '")
                        + name + "' answered on " + targets.description() + " within " + seconds + " s"));
            }
        });
        return found;
    }

    // ------------------------------------------------------------------------------------------ browse

    @Override
    public CompletionStage<List<DiscoveredHost>> browse(CommunicationProfile profile, Duration timeout) {
        Discovery.Targets targets = Discovery.targets(profile);
        Set<DiscoveredHost> hosts = new TreeSet<>(Comparator.comparing((DiscoveredHost h) -> h.name().toLowerCase(Locale.ROOT))
                .thenComparing(DiscoveredHost::name).thenComparing(DiscoveredHost::address).thenComparing(DiscoveredHost::user));
        return Discovery.ask(group, targets, 0, null, timeout, (answer, ch) -> {
            synchronized (hosts) {
                hosts.add(new DiscoveredHost(answer.name(), answer.user(), TYPE + ":" + UdpAddress.format(answer.from())));
            }
        }).thenApply(v -> {
            synchronized (hosts) {
                return List.copyOf(new ArrayList<>(hosts));
            }
        });
    }

    // ---------------------------------------------------------------------------------------- settings

    private static int maxMessage(CommunicationProfile profile) {
        return profile.integer(CommonSettings.MAX_MESSAGE);
    }

    private static int mtu(CommunicationProfile profile) {
        return profile.integer(MTU);
    }

    private static long idleNanos(CommunicationProfile profile) {
        return TimeUnit.SECONDS.toNanos(profile.integer(IDLE_TIMEOUT));
    }

    /** A yes-or-no setting, true unless set, in every spelling operators write. */
    private static DeviceSetting flag(String key, String description) {
        return new DeviceSetting(key, DeviceSetting.Type.CHOICE, "true", 0, 0,
                List.of("true", "false", "yes", "no", "on", "off", "1", "0"), description);
    }

    private static boolean flag(CommunicationProfile profile, DeviceSetting setting) {
        return List.of("true", "yes", "on", "1").contains(profile.choice(setting));
    }

    static UdpSocket.Identity identity(CommunicationProfile profile) {
        String name = profile.text("host.name", "");
        if (name.isEmpty()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                String env = System.getenv("HOSTNAME");
                name = env == null || env.isBlank() ? "localhost" : env;
            }
        }
        String user = profile.text("host.user", System.getProperty("user.name", ""));
        return new UdpSocket.Identity(name, user, flag(profile, PUBLIC_HOST_NAME), flag(profile, PUBLISH_USER));
    }
}
