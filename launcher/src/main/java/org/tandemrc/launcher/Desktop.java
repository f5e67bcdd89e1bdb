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

    /** Where local X servers keep their sockets. */
    private static final Path X11_SOCKETS = Path.of("/tmp/.X11-unix");

    /** {@code [host-desktop]} when the environment's display answers, else nothing. */
    static List<String> features() {
        return reachable(System.getenv("DISPLAY"), X11_SOCKETS) ? List.of(FEATURE) : List.of();
    }

    /** {@link #withoutDisplay(String, String, Path)} for this process's environment. */
    static String withoutDisplay() {
        return withoutDisplay(System.getenv("DISPLAY"), System.getenv("WAYLAND_DISPLAY"), X11_SOCKETS);
    }

    /**
     * For {@code tandem start}: null when {@code display} answers, else one paragraph that says why this
     * computer's screen cannot be shared and what still works, so that nobody meets a Host without a
     * picture unwarned.
     */
    static String withoutDisplay(String display, String wayland, Path socketDir) {
        if (reachable(display, socketDir)) {
            return null;
        }
        String why;
        if (display != null && !display.isBlank()) {
            why = "The X display " + display.trim() + " (DISPLAY) does not answer: no X server runs there, or it"
                    + " refuses this user (its XAUTHORITY cookie, xhost).";
        } else if (wayland != null && !wayland.isBlank()) {
            why = "This is a Wayland session (WAYLAND_DISPLAY=" + wayland.trim() + ") without an X display: the"
                    + " Host shares a screen through X only (XWayland sets DISPLAY).";
        } else {
            why = "There is no display here: neither DISPLAY nor WAYLAND_DISPLAY is set (a server, a container or"
                    + " an SSH session without X forwarding).";
        }
        return "No screen to share. " + why + " This node starts anyway, without the screen and without the"
                + " desktop's questions: the browser console works (Quick Connect and the phonebook to reach other"
                + " Hosts as a Guest, Support, history, accounts), and \"This computer\" still offers its files, tools,"
                + " chat and messages, with the role Full access. A Host for a machine without a screen is"
                + " 'tandem host' (its roles answer from the terminal); a Guest on the command line is 'tandem guest'."
                + " To share this screen, start 'tandem start' in the desktop session (or with DISPLAY set to"
                + " a running X server).";
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
