package org.tandemrc.comm.tcp.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.tandemrc.support.net.HostPort;

/** Parsing and printing of TCP addresses in the device's syntax: {@code host}, {@code host:port}, {@code [v6]:port}. */
final class TcpAddress {

    static final int DEFAULT_PORT = 6502;

    private TcpAddress() {
    }

    /**
     * @throws IllegalArgumentException with the offending text when the address cannot be parsed
     */
    static InetSocketAddress parse(String text, int defaultPort) {
        return HostPort.parse(text, defaultPort, "TCP address").unresolved();
    }

    /** {@code 127.0.0.1:6502}, {@code [::1]:6502}, {@code [::]:6502}. */
    static String format(SocketAddress address) {
        return HostPort.format(address);
    }
}
