package org.tandemrc.comm.udp.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.tandemrc.support.net.HostPort;

/** Parsing and printing of UDP addresses in the device's syntax: {@code host}, {@code host:port}, {@code [v6]:port}. */
final class UdpAddress {

    static final int DEFAULT_PORT = 6502;

    private UdpAddress() {
    }

    /**
     * @throws IllegalArgumentException with the offending text when the address cannot be parsed
     */
    static InetSocketAddress parse(String text, int defaultPort) {
        return HostPort.parse(text, defaultPort, "UDP address").unresolved();
    }

    /** {@code 127.0.0.1:6502}, {@code [::1]:6502}, {@code [::]:6502}. */
    static String format(SocketAddress address) {
        return HostPort.format(address);
    }
}
