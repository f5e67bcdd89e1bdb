package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The desktop feature comes only with a display that answers. */
class DesktopTest {

    @TempDir
    Path dir;

    @Test
    void aLocalDisplayCountsOnlyWhenItsSocketAccepts() throws Exception {
        assertFalse(Desktop.reachable(null, dir));
        assertFalse(Desktop.reachable("", dir));
        assertFalse(Desktop.reachable("not a display", dir));
        assertFalse(Desktop.reachable(":7", dir), "no socket: a DISPLAY left over from a closed session");
        try (ServerSocketChannel x = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            x.bind(UnixDomainSocketAddress.of(dir.resolve("X7")));
            assertTrue(Desktop.reachable(":7", dir));
            assertTrue(Desktop.reachable(":7.0", dir));
            assertTrue(Desktop.reachable("unix:7", dir));
            assertFalse(Desktop.reachable(":8", dir));
        }
    }

    @Test
    void aRemoteDisplayCountsWhenItsTcpPortAccepts() throws Exception {
        try (ServerSocket x = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int number = x.getLocalPort() - 6000;
            if (number >= 0) {
                assertTrue(Desktop.reachable("127.0.0.1:" + number, dir));
            }
        }
        assertFalse(Desktop.reachable("127.0.0.1:99999", dir), "out of the port range");
    }
}
