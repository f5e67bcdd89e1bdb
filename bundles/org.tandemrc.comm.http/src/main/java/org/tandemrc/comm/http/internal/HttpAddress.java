package org.tandemrc.comm.http.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An address of the {@code http} device: {@code host}, {@code host:port}, {@code [v6]:port}, each
 * optionally followed by a path ({@code 10.0.0.5:1970/tandem}); without a path the profile's
 * {@code path} setting applies.
 *
 * @param host the host name or IP literal, without brackets
 * @param port the TCP port
 * @param path the request path, or {@code null} when the address names none
 */
record HttpAddress(String host, int port, String path) {

    /**
     * Port 1970 is the port the product Tandem is modelled on registered with IANA, next to the
     * 6502 its TCP device uses by tradition; giving the tunnel its own default lets a node listen with
     * the {@code tcp} and the {@code http} device at once without any setting.
     */
    static final int DEFAULT_PORT = 1970;

    /**
     * @throws IllegalArgumentException naming the text when it cannot be parsed
     */
    static HttpAddress parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty http address");
        }
        String s = text.trim();
        if (s.startsWith("http://")) {
            s = s.substring("http://".length());
        }
        String path = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            path = s.substring(slash);
            s = s.substring(0, slash);
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("http address '" + text + "': missing ']'");
            }
            host = s.substring(1, end);
            String rest = s.substring(end + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("http address '" + text + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') != s.lastIndexOf(':')) {
            host = s;
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("http address '" + text + "': no host");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("http address '" + text + "': port '" + port + "' is not a number");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("http address '" + text + "': port must be 1..65535");
            }
        }
        return new HttpAddress(host, p, path == null || path.isEmpty() ? null : path);
    }

    /** {@code host:port} with IPv6 literals in brackets, as a URI authority. */
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** {@code 127.0.0.1:1970}, {@code [::1]:1970}. */
    static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress isa)) {
            return String.valueOf(address);
        }
        InetAddress ip = isa.getAddress();
        String host = ip == null ? isa.getHostString() : ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + isa.getPort();
    }
}
