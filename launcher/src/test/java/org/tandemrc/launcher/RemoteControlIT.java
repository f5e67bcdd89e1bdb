package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/** Remote control end to end: a Host on a real X server (Xvfb), a Guest on the command line. */
class RemoteControlIT {

    private static final String PASSWORD = "remote control password";

    @TempDir
    Path tmp;

    private NodeProcess host(Xvfb x, Path home, String security) throws Exception {
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        // No desktop notices: they would change the pixels these tests compare with the framebuffer.
        Map<String, String> etc = new java.util.HashMap<>(Map.of("org.tandemrc.host.desktop.cfg", "notices = false\n"));
        if (security != null) {
            etc.put("org.tandemrc.host.security.cfg", security);
        }
        return NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, etc);
    }


    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void oneMonitorIsShownExactlyWhenTheGuestPicksIt() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb-monitors"));
        try (Xvfb x = Xvfb.start(1280, 800, fb); NodeProcess host = host(x, tmp.resolve("monitors-host"), null)) {
            x.xrandr("--setmonitor", "left", "640/169x800/211+0+0", "none");
            x.xrandr("--setmonitor", "right", "640/169x800/211+640+0", "none");
            Process logo = x.client("xlogo", "-geometry", "300x300+500+100"); // across both monitors
            try {
                int[] before = x.framebuffer();
                long end = System.currentTimeMillis() + 10_000;
                while (java.util.Arrays.equals(before, x.framebuffer()) && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                Thread.sleep(500); // let xlogo finish drawing
                NodeProcess.Result r = guest("watch", host.tcpAddress(), "1", "--display", "right");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("left 640x800+0+0") && r.out().contains("right 640x800+640+0  (shown)"),
                        r.out());
                Path png = tmp.resolve("right.png");
                r = guest("screenshot", host.tcpAddress(), "--out", png.toString(), "--display", "right");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("saved a 640x800 screenshot"), r.out());
                int[] got = ImageIO.read(png.toFile()).getRGB(0, 0, 640, 800, null, 0, 640);
                int[] all = x.framebuffer();
                int[] right = new int[640 * 800];
                for (int row = 0; row < 800; row++) {
                    System.arraycopy(all, row * 1280 + 640, right, row * 640, 640);
                }
                for (int i = 0; i < got.length; i++) {
                    got[i] &= 0xffffff;
                }
                assertArrayEquals(right, got, "the right monitor differs from the right half of the framebuffer");
                r = guest("screenshot", host.tcpAddress(), "--out", png.toString(), "--display", "middle");
                assertEquals(1, r.status());
                assertTrue(r.err().contains("this Host has no display 'middle'; it has " + x.display + ", left, right"),
                        r.err());
            } finally {
                logo.destroy();
            }
        }
    }

    @Test
    void withoutTheX11BundleTheRobotFallbackServesTheScreenExactly() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb-awt"));
        Path home = tmp.resolve("awt-host");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/node.properties"), "features = comm-tcp, sessions, terminal, log-file, screen-awt\n");
        try (Xvfb x = Xvfb.start(1024, 768, fb); NodeProcess host = host(x, home, null)) {
            Process logo = x.client("xlogo", "-geometry", "200x200+100+100");
            try {
                Thread.sleep(1500); // let xlogo draw
                NodeProcess.Result r = guest("watch", host.tcpAddress(), "1");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("awt-robot"), r.out());
                Path png = tmp.resolve("awt.png");
                r = guest("screenshot", host.tcpAddress(), "--out", png.toString());
                assertEquals(0, r.status(), r.out() + r.err());
                int[] got = ImageIO.read(png.toFile()).getRGB(0, 0, 1024, 768, null, 0, 1024);
                for (int i = 0; i < got.length; i++) {
                    got[i] &= 0xffffff;
                }
                assertArrayEquals(x.framebuffer(), got, "the awt-robot screenshot differs from the framebuffer");
                r = guest("type", host.tcpAddress(), "Grüße");
                assertEquals(7, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("can only type characters of a US keyboard layout"), r.err());
            } finally {
                logo.destroy();
            }
        }
    }

    @Test
    void aScreenshotThroughTheGuestEqualsTheServersFramebuffer() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Xvfb x = Xvfb.start(1280, 800, fb); NodeProcess host = host(x, tmp.resolve("host"), null)) {
            Path png = tmp.resolve("shot.png");
            NodeProcess.Result r = guest("screenshot", host.tcpAddress(), "--out", png.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("saved a 1280x800 screenshot"), r.out());
            BufferedImage image = ImageIO.read(png.toFile());
            int[] got = image.getRGB(0, 0, 1280, 800, null, 0, 1280);
            for (int i = 0; i < got.length; i++) {
                got[i] &= 0xffffff;
            }
            assertArrayEquals(x.framebuffer(), got, "the Guest's screenshot differs from the X server's framebuffer");
            assertTrue(Files.readString(tmp.resolve("host/data/log/tandem.log")).contains("capture through MIT-SHM"));
        }
    }

    @Test
    void textTypedThroughTheGuestArrivesExactlyAndViewOnlyGuestsCannotType() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Xvfb x = Xvfb.start(1024, 768, fb); NodeProcess host = host(x, tmp.resolve("host"), null)) {
            try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
                String text = "Grüße, Ελλάδα! 10 € ~ #";
                NodeProcess.Result r = guest("type", host.tcpAddress(), text);
                assertEquals(0, r.status(), r.out() + r.err());
                String got = target.awaitText(text);
                assertEquals(text, got);
            }
        }
        Path fb2 = Files.createDirectories(tmp.resolve("fb2"));
        try (Xvfb x = Xvfb.start(800, 600, fb2);
                NodeProcess host = host(x, tmp.resolve("viewer-host"), "shared.role = View only\n")) {
            NodeProcess.Result r = guest("type", host.tcpAddress(), "nope");
            assertEquals(7, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("refused: the Host refused the Keyboard and Mouse session: your role 'View only' "
                    + "does not allow Keyboard and Mouse"), r.err());
            assertTrue(events(tmp.resolve("viewer-host")).contains("TSECPRIV!"), "the refusal is audited on the Host");
            r = guest("screenshot", host.tcpAddress(), "--out", tmp.resolve("viewer.png").toString());
            assertEquals(0, r.status(), "viewing is allowed: " + r.err());
        }
    }

    @Test
    void theClipboardRoundTripsUnicodeText() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Xvfb x = Xvfb.start(800, 600, fb); NodeProcess host = host(x, tmp.resolve("host"), null)) {
            String toHost = "Ωμέγα 日本語 ✓ naïve";
            NodeProcess.Result r = guest("clipboard", host.tcpAddress(), "set", toHost);
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(toHost, xclip(x, null), "what an X client pastes on the Host");

            String fromHost = "copied on the Host: ünïcødé ☕";
            xclip(x, fromHost);
            r = guest("clipboard", host.tcpAddress(), "get");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(fromHost + "\n", r.out());
        }
    }

    /** Reads the X clipboard with xclip, or puts {@code text} on it (xclip then stays to serve it). */
    private static String xclip(Xvfb x, String text) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("xclip", "-selection", "clipboard", text == null ? "-o" : "-i");
        pb.environment().put("DISPLAY", x.display);
        if (text != null) {
            // The serving xclip keeps its output open: give it none to hold.
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        if (text != null) {
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = text == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "xclip hangs");
        return out;
    }

    @Test
    void aGuestDroppedInTheMiddleOfAStreamLeavesTheHostClean() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        Path home = tmp.resolve("host");
        try (Xvfb x = Xvfb.start(1024, 768, fb); NodeProcess host = host(x, home, null)) {
            ProcessBuilder animation = new ProcessBuilder("ico", "-sleep", "0.016", "-geometry", "500x500+50+50")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            animation.environment().put("DISPLAY", x.display);
            Process ico = animation.start();
            try {
                NodeProcess watcher = NodeProcess.start("guest", "watch", host.tcpAddress(), "60", "--password-file",
                        Files.writeString(tmp.resolve("pw"), PASSWORD + "\n").toString(), "--home",
                        tmp.resolve("guest-home").toString());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline
                        && !events(home).contains("HSES+")) {
                    Thread.sleep(50); // until the Guest is logged on and streaming
                }
                Thread.sleep(1500); // frames flowing
                watcher.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline
                        && !events(home).contains("HSES-")) {
                    Thread.sleep(50); // the Host notices the dropped connection
                }
                assertTrue(events(home).contains("HSES-"),
                        "the Host ended the session of the dropped Guest");
                assertTrue(events(home).contains("\tHSESRC+\t") && events(home).contains("\tHSESRC-\t"),
                        "viewing the screen is audited, and its end when the Guest vanished: " + events(home));
                assertTrue(events(tmp.resolve("guest-home")).contains("\tGSESRC+\t"),
                        "the Guest records it too: " + events(tmp.resolve("guest-home")));
                NodeProcess.Result r = guest("screenshot", host.tcpAddress(), "--out", tmp.resolve("after.png").toString());
                assertEquals(0, r.status(), "the Host still serves: " + r.err());
                String log = Files.readString(home.resolve("data/log/tandem.log"));
                assertTrue(!log.contains("SEVERE") && !log.contains("Exception"), "no errors on the Host:\n" + log);
            } finally {
                ico.destroy();
            }
        }
    }
}
