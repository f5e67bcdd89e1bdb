package org.tandemrc.comm.udp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.tandemrc.api.comm.CommunicationProfile;

/**
 * Asking Hosts who they are: a browse or name query datagram to the broadcast address of every up IPv4
 * interface and to every address of the profile's IP broadcast list ({@code broadcast-list}: single
 * addresses, ranges {@code A-B} of at most {@value #MAX_RANGE} addresses, DNS names), on the profile's
 * {@code port}; answers are collected until a deadline.
 */
final class Discovery {

    static final int MAX_RANGE = 4096;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where a request goes, and how an operator reads that list. */
    record Targets(List<InetSocketAddress> addresses, String description) {
    }

    /** One answer: who, and from where. */
    record Answer(String name, String user, InetSocketAddress from) {
    }

    private Discovery() {
    }

    /**
     * The addresses of the profile's broadcast list, in order, each once.
     *
     * @throws IllegalArgumentException naming the profile and the entry that is not an address, a range
     *                                  or a DNS name that resolves
     */
    static List<InetAddress> broadcastList(CommunicationProfile profile) {
        String list = profile.text("broadcast-list", "");
        Set<InetAddress> out = new LinkedHashSet<>();
        if (list.isEmpty()) {
            return List.of();
        }
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String where = "profile '" + profile.name() + "': broadcast-list entry '" + entry + "'";
            int dash = entry.indexOf('-');
            if (dash > 0 && IPV4.matcher(entry.substring(0, dash).trim()).matches()) {
                long from = ipv4(entry.substring(0, dash).trim(), where);
                String end = entry.substring(dash + 1).trim();
                if (!IPV4.matcher(end).matches()) {
                    throw new IllegalArgumentException(where + ": a range is FIRST-LAST of two IPv4 addresses");
                }
                long to = ipv4(end, where);
                if (to < from) {
                    throw new IllegalArgumentException(where + ": the range ends before it starts");
                }
                if (to - from + 1 > MAX_RANGE) {
                    throw new IllegalArgumentException(where + ": the range has " + (to - from + 1)
                            + " addresses, more than " + MAX_RANGE);
                }
                for (long a = from; a <= to; a++) {
                    out.add(ipv4(a));
                }
            } else if (IPV4.matcher(entry).matches()) {
                out.add(ipv4(ipv4(entry, where)));
            } else if (entry.contains(":")) {
                try {
                    out.add(InetAddress.getByName(entry.startsWith("[") && entry.endsWith("]")
                            ? entry.substring(1, entry.length() - 1) : entry));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(where + " is not an IPv6 address");
                }
            } else if (DNS_NAME.matcher(entry).matches()) {
                try {
                    Collections.addAll(out, InetAddress.getAllByName(entry));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(where + ": the DNS name does not resolve");
                }
            } else {
                throw new IllegalArgumentException(where + " is neither an IP address, a range A-B nor a DNS name");
            }
        }
        return new ArrayList<>(out);
    }

    private static long ipv4(String text, String where) {
        long v = 0;
        for (String part : text.split("\\.")) {
            int n = Integer.parseInt(part);
            if (n > 255) {
                throw new IllegalArgumentException(where + ": '" + text + "' is not an IPv4 address");
            }
            v = v << 8 | n;
        }
        return v;
    }

    private static InetAddress ipv4(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The broadcast address of every up, broadcast-capable IPv4 interface. */
    static List<InetAddress> interfaceBroadcasts() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getAddress() instanceof Inet4Address && ia.getBroadcast() != null
                            && !out.contains(ia.getBroadcast())) {
                        out.add(ia.getBroadcast());
                    }
                }
            }
        } catch (SocketException e) {
            // no interface list: the broadcast list alone is asked
        }
        return out;
    }

    /** Every place a browse or name query of this profile goes. */
    static Targets targets(CommunicationProfile profile) {
        int port = profile.integer("port", UdpAddress.DEFAULT_PORT, 1, 65535);
        List<InetAddress> list = broadcastList(profile);
        List<InetAddress> broadcasts = interfaceBroadcasts();
        Set<InetSocketAddress> all = new LinkedHashSet<>();
        for (InetAddress a : broadcasts) {
            all.add(new InetSocketAddress(a, port));
        }
        for (InetAddress a : list) {
            all.add(new InetSocketAddress(a, port));
        }
        StringBuilder d = new StringBuilder("udp port ").append(port).append(" (broadcast to ");
        d.append(broadcasts.isEmpty() ? "no interface" : broadcasts.stream().map(InetAddress::getHostAddress).toList());
        String listText = profile.text("broadcast-list", "");
        d.append(listText.isEmpty() ? ", no broadcast-list" : ", broadcast-list " + listText).append(')');
        return new Targets(new ArrayList<>(all), d.toString());
    }

    /**
     * Sends one request to every target and reports each answer until {@code timeout} passes.
     *
     * @param kind 0 for browse, {@code 'H'} or {@code 'U'} for a name query
     * @return completes when the time is up (or when {@code done} completes first)
     */
    static CompletableFuture<Void> ask(EventLoopGroup group, Targets targets, int kind, String name, Duration timeout,
            BiConsumer<Answer, Channel> onAnswer) {
        CompletableFuture<Void> over = new CompletableFuture<>();
        long nonce = RANDOM.nextLong();
        Bootstrap b = new Bootstrap().group(group)
                .channelFactory(() -> new NioDatagramChannel(InternetProtocolFamily.IPv4))
                .option(ChannelOption.SO_BROADCAST, true)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        ByteBuf in = p.content();
                        if (Packet.typeOf(in) != Packet.ANSWER || in.readableBytes() < Packet.HEADER + 8) {
                            return;
                        }
                        in.skipBytes(Packet.HEADER);
                        if (in.readLong() != nonce) {
                            return;
                        }
                        String host = Packet.readShortText(in);
                        String user = Packet.readShortText(in);
                        if (host != null && user != null && p.sender() != null) {
                            onAnswer.accept(new Answer(host, user, p.sender()), ctx.channel());
                        }
                    }
                });
        b.bind(new InetSocketAddress("0.0.0.0", 0)).addListener(f -> {
            if (!f.isSuccess()) {
                over.completeExceptionally(new java.io.IOException("cannot open a udp socket to ask for Hosts: "
                        + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            for (InetSocketAddress to : targets.addresses()) {
                if (!(to.getAddress() instanceof Inet4Address)) {
                    continue; // the asking socket is IPv4: broadcast is an IPv4 notion
                }
                ByteBuf req = Packet.header(ch.alloc(), kind == 0 ? Packet.BROWSE : Packet.QUERY, Packet.DISCOVERY_SIZE);
                req.writeLong(nonce);
                if (kind != 0) {
                    req.writeByte(kind);
                    Packet.writeShortText(req, name);
                }
                Packet.pad(req, Packet.DISCOVERY_SIZE);
                ch.writeAndFlush(new DatagramPacket(req, to)); // a target that cannot be reached is skipped
            }
            ch.eventLoop().schedule(() -> {
                ch.close();
                over.complete(null);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            over.whenComplete((v, x) -> ch.close());
        });
        return over;
    }
}
