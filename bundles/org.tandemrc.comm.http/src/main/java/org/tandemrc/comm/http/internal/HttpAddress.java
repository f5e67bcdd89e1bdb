package org.tandemrc.comm.http.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.tandemrc.support.net.HostPort;

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
        HostPort hp = HostPort.parse(s, defaultPort, "http address");
        return new HttpAddress(hp.host(), hp.port(), path == null || path.isEmpty() ? null : path);
    }

    /** {@code host:port} with IPv6 literals in brackets, as a URI authority. */
    String authority() {
        return new HostPort(host, port).authority();
    }

    InetSocketAddress unresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** {@code 127.0.0.1:1970}, {@code [::1]:1970}. */
    static String format(SocketAddress address) {
        return HostPort.format(address);
    }
}
