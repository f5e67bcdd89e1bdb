package org.tandemrc.toolkit.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Wake-on-LAN: the magic packet (six {@code 0xFF} bytes, then the MAC address sixteen times) sent as a UDP
 * broadcast, by default to port 9 (discard). A sleeping machine's network card wakes on it; routers do not
 * forward it, so it is sent on the subnet of the machine to wake: from the Guest when it is on that subnet,
 * otherwise from a Host there.
 */
public final class WakeOnLan {

    /** The port magic packets go to unless told otherwise (discard; some cards listen on 7 too). */
    public static final int PORT = 9;

    /** The limited broadcast: the segment of the interface the route to it takes. */
    public static final String LIMITED_BROADCAST = "255.255.255.255";

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d"
            + "|1\\d\\d|[1-9]?\\d)){3}");

    private WakeOnLan() {
    }

    /**
     * The six bytes of a MAC address written {@code aa:bb:cc:dd:ee:ff}, {@code aa-bb-cc-dd-ee-ff} or
     * {@code aabbccddeeff} (one separator throughout).
     *
     * @throws IllegalArgumentException when {@code text} is not one
     */
    public static byte[] mac(String text) {
        String t = text.trim();
        if (t.length() > 17 || !MAC.matcher(t).matches()) {
            throw new IllegalArgumentException("'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
                    + "' is not a MAC address such as 00:11:22:aa:bb:cc");
        }
        return HexFormat.of().parseHex(t.replace(":", "").replace("-", ""));
    }

    /** The MAC address as {@code aa:bb:cc:dd:ee:ff}. */
    public static String format(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac).toLowerCase(Locale.ROOT);
    }

    /** The 102-byte magic packet for {@code mac}. */
    public static byte[] magicPacket(byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        byte[] p = new byte[6 + 16 * 6];
        for (int i = 0; i < 6; i++) {
            p[i] = (byte) 0xFF;
        }
        for (int i = 0; i < 16; i++) {
            System.arraycopy(mac, 0, p, 6 + i * 6, 6);
        }
        return p;
    }

    /**
     * Where to broadcast for a machine at {@code address} (an IPv4 literal, or anything else): the broadcast
     * address of this machine's interface whose subnet holds it, else the limited broadcast. Names are not
     * looked up: a sleeping machine's name may not resolve, and a wrong guess must not delay the others.
     */
    public static InetAddress broadcastFor(String address) throws SocketException {
        if (IPV4.matcher(address).matches()) {
            byte[] target = literal(address).getAddress();
            for (InterfaceAddress a : ipv4Subnets()) {
                if (sameSubnet(a.getAddress().getAddress(), target, a.getNetworkPrefixLength())) {
                    return broadcast(a);
                }
            }
        }
        return literal(LIMITED_BROADCAST);
    }

    /** The broadcast addresses of this machine's IPv4 interfaces that are up and not loopback. */
    public static List<InetAddress> localBroadcasts() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (InterfaceAddress a : ipv4Subnets()) {
            InetAddress b = broadcast(a);
            if (!out.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * An IPv4 broadcast address as written; a name is refused (no lookup).
     *
     * @throws IllegalArgumentException when {@code text} is not a dotted IPv4 address
     */
    public static InetAddress ipv4(String text) {
        if (!IPV4.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "' is not an IPv4 address such as 192.168.1.255");
        }
        return literal(text);
    }

    /** Sends the magic packet for {@code mac} to {@code broadcast}:{@code port}; a sentence saying so. */
    public static String send(byte[] mac, InetAddress broadcast, int port) throws IOException {
        byte[] packet = magicPacket(mac);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setBroadcast(true);
            s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(broadcast, port)));
        }
        return "Sent the Wake-on-LAN packet for " + format(mac) + " to " + broadcast.getHostAddress() + ":" + port;
    }

    private static List<InterfaceAddress> ipv4Subnets() throws SocketException {
        List<InterfaceAddress> out = new ArrayList<>();
        var interfaces = NetworkInterface.getNetworkInterfaces();
        while (interfaces != null && interfaces.hasMoreElements()) {
            NetworkInterface i = interfaces.nextElement();
            if (!i.isUp() || i.isLoopback()) {
                continue;
            }
            for (InterfaceAddress a : i.getInterfaceAddresses()) {
                // /31 and /32 have no broadcast address (point-to-point links, single addresses).
                if (a.getAddress() instanceof Inet4Address && a.getNetworkPrefixLength() < 31) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * The subnet's broadcast address from the interface's address and prefix: the kernel's own one is 0.0.0.0
     * when an address was added without {@code brd}, and Java then reports that.
     */
    private static InetAddress broadcast(InterfaceAddress a) {
        return broadcast(a.getAddress().getAddress(), a.getNetworkPrefixLength());
    }

    static InetAddress broadcast(byte[] address, int prefix) {
        byte[] b = address.clone();
        for (int bit = prefix; bit < 32; bit++) {
            b[bit / 8] |= (byte) (0x80 >> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    static boolean sameSubnet(byte[] a, byte[] b, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** A dotted IPv4 literal the pattern accepted: no lookup happens. */
    private static InetAddress literal(String dotted) {
        try {
            return InetAddress.getByName(dotted);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an IPv4 literal did not parse: " + dotted, e);
        }
    }
}
