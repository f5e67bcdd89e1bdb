package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;

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

    @Test
    void startWithoutADisplaySaysWhyAndWhatStillWorks() throws Exception {
        String none = Desktop.withoutDisplay(null, null, dir);
        assertTrue(none.startsWith("No screen to share. There is no display here: neither DISPLAY nor WAYLAND_DISPLAY"
                + " is set"), none);
        for (String works : List.of("the browser console works", "as a Guest", "'tandem host'", "'tandem guest'",
                "\"This computer\" still offers its files, tools")) {
            assertTrue(none.contains(works), works + " in: " + none);
        }
        assertFalse(none.contains("\n"), "one paragraph");
        assertTrue(Desktop.withoutDisplay(":7", null, dir).contains("The X display :7 (DISPLAY) does not answer"));
        assertTrue(Desktop.withoutDisplay("", "wayland-0", dir).contains("a Wayland session (WAYLAND_DISPLAY=wayland-0)"
                + " without an X display"));
        try (ServerSocketChannel x = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            x.bind(UnixDomainSocketAddress.of(dir.resolve("X7")));
            assertNull(Desktop.withoutDisplay(":7", "wayland-0", dir), "a display that answers: nothing to say");
        }
    }
}
