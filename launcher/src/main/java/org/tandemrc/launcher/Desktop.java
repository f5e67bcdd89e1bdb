package org.tandemrc.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Host node gets the desktop feature: only when {@code DISPLAY} names an X server that
 * accepts a connection now. Checked with a plain socket, before any framework or AWT starts: a DISPLAY
 * left over from a closed session must not turn the terminal's prompts into windows nobody sees.
 */
final class Desktop {

    /** The feature with the Host's desktop dialogs. */
    static final String FEATURE = "host-desktop";

    /** {@code [HOST]:DISPLAY[.SCREEN]}; HOST empty or {@code unix} for the local socket. */
    private static final Pattern DISPLAY = Pattern.compile("(.*):(\\d{1,5})(?:\\.\\d+)?");

    private Desktop() {
    }

    /** {@code [host-desktop]} when the environment's display answers, else nothing. */
    static List<String> features() {
        return reachable(System.getenv("DISPLAY"), Path.of("/tmp/.X11-unix")) ? List.of(FEATURE) : List.of();
    }

    static boolean reachable(String display, Path socketDir) {
        if (display == null || display.isBlank()) {
            return false;
        }
        Matcher m = DISPLAY.matcher(display.trim());
        if (!m.matches()) {
            return false;
        }
        String host = m.group(1);
        int number = Integer.parseInt(m.group(2));
        if (host.isEmpty() || host.equals("unix")) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socketDir.resolve("X" + number)));
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        if (number > 65535 - 6000) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, 6000 + number), 1000);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
