package org.tandemrc.comm.udp.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Parsing and printing of UDP addresses in the device's syntax: {@code host}, {@code host:port}, {@code [v6]:port}. */
final class UdpAddress {

    static final int DEFAULT_PORT = 6502;

    private UdpAddress() {
    }

    /**
     * @throws IllegalArgumentException with the offending text when the address cannot be parsed
     */
    static InetSocketAddress parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty UDP address");
        }
        String s = text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("UDP address '" + text + "': missing ']'");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("UDP address '" + text + "': expected ':port' after ']'");
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
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("UDP address '" + text + "': port '" + port + "' is not a number");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("UDP address '" + text + "': port must be 1..65535");
            }
        }
        return InetSocketAddress.createUnresolved(host, p);
    }

    /** {@code 127.0.0.1:6502}, {@code [::1]:6502}, {@code [::]:6502}. */
    static String format(SocketAddress address) {
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

    private static String compress(String v6) {
        // Java prints 0:0:0:0:0:0:0:1; people read ::1. Replace the longest run of zero groups.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<=^|:)0(:0)+(?=:|$)").matcher(v6);
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
