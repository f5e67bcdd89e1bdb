package org.tandemrc.support.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host and a port as people write them for the IP devices: {@code host}, {@code host:port},
 * {@code [v6]:port}, or a bare IPv6 literal; and socket addresses printed the same way.
 *
 * @param host the host name or IP literal, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {

    private static final Pattern ZERO_RUN = Pattern.compile("(?<=^|:)0(:0)+(?=:|$)");

    /**
     * @param text        the address
     * @param defaultPort the port when the text names none
     * @param what        how error messages name the address, e.g. {@code TCP address}
     * @throws IllegalArgumentException naming the text when it cannot be parsed
     */
    public static HostPort parse(String text, int defaultPort, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty " + what);
        }
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException(what + " '" + text + "': missing ']'");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(what + " '" + text + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s; // a bare IPv6 address without a port
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(what + " '" + text + "': no host");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " '" + text + "': port '" + port + "' is not a number");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(what + " '" + text + "': port must be 1..65535");
            }
        }
        return new HostPort(host, p);
    }

    /** The address, not resolved (resolving is the transport's business). */
    public InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** {@code host:port}, with an IPv6 literal in brackets, as in a URI. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code 127.0.0.1:6502}, {@code [::1]:6502}, {@code [::]:6502}: as people read addresses. */
    public static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress isa)) {
            return String.valueOf(address);
        }
        InetAddress ip = isa.getAddress();
        String host = ip == null ? isa.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + compress(zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + isa.getPort();
    }

    /** Java prints 0:0:0:0:0:0:0:1; people read ::1. Replaces the longest run of zero groups. */
    private static String compress(String v6) {
        Matcher m = ZERO_RUN.matcher(v6);
        int start = -1;
        int end = -1;
        while (m.find()) {
            if (m.end() - m.start() > end - start) {
                start = m.start();
                end = m.end();
            }
        }
        if (start < 0) {
            return v6;
        }
        String head = v6.substring(0, start).replaceAll(":$", "");
        String tail = v6.substring(end).replaceAll("^:", "");
        return head + "::" + tail;
    }
}
