package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The session types end to end over one path (a device, a Gateway, a relay) as a supporter uses them from
 * the command line: log on, Send Message, chat both ways, a file to the Host and back, a screenshot equal
 * to the Host's X framebuffer. Every check remembers the plaintext it sent, so a capture on the way can be
 * searched for it.
 */
final class SessionTypes {

    private final Path tmp;
    private final String password;
    private final String guestNs;
    /** Plaintexts that crossed the path inside the sessions, by what they were. */
    final List<byte[]> plaintexts = new ArrayList<>();
    final List<String> names = new ArrayList<>();

    /** Checks run by Guests with home {@code tmp/guest-home}, inside {@code guestNs} unless null. */
    SessionTypes(Path tmp, String password, String guestNs) {
        this.tmp = tmp;
        this.password = password;
        this.guestNs = guestNs;
    }

    NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.runIn(guestNs, null, NodeProcess.guestArgs(tmp, password, args));
    }

    private void remember(String what, byte[] plaintext) {
        names.add(what);
        plaintexts.add(plaintext);
    }

    /** Logs on and sees the Host's name and the Full access role. */
    void connect(String address, String hostName) throws Exception {
        NodeProcess.Result r = guest("connect", address);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("Connected to " + hostName + " at " + address), r.out());
        assertTrue(r.out().contains("role        Full access"), r.out());
    }

    /** Send Message: the Host (on a terminal) shows it. */
    void message(String address, NodeProcess host) throws Exception {
        String text = "Message through the path " + Long.toHexString(new Random().nextLong());
        NodeProcess.Result r = guest("message", address, text);
        assertEquals(0, r.status(), r.out() + r.err());
        host.awaitLine(l -> l.contains(text), 10_000);
        remember("the message", Capture.utf8(text));
    }

    /** A chat both ways with the person at the Host (the Host runs on a terminal), ended by the Guest. */
    void chat(String address, NodeProcess host) throws Exception {
        String fromHost = "hello from the Host " + Long.toHexString(new Random().nextLong());
        String fromGuest = "thanks from the Guest " + Long.toHexString(new Random().nextLong());
        try (NodeProcess guest = NodeProcess.startIn(guestNs, Map.of(), NodeProcess.guestArgs(tmp, password, "chat",
                address))) {
            guest.awaitLine(l -> l.startsWith("Chat with"), 30_000);
            host.awaitLine(l -> l.startsWith("Chat with"), 10_000);
            host.type(fromHost);
            guest.awaitLine(l -> l.endsWith(": " + fromHost), 10_000);
            guest.type(fromGuest);
            host.awaitLine(l -> l.endsWith(": " + fromGuest), 10_000);
            guest.type("/end");
            guest.awaitLine(l -> l.startsWith("Chat ended"), 10_000);
            assertEquals(0, guest.awaitExit(20_000), guest.output());
        }
        remember("the Host's chat line", Capture.utf8(fromHost));
        remember("the Guest's chat line", Capture.utf8(fromGuest));
    }

    /** A file of {@code bytes} random bytes to the Host's share and back, both byte-identical. */
    void files(String address, Path share, int bytes) throws Exception {
        byte[] data = new byte[bytes];
        new Random().nextBytes(data);
        Path file = Files.write(tmp.resolve("payload-" + System.nanoTime() + ".bin"), data);
        NodeProcess.Result r = guest("copy", file.toString(), address + ":/share");
        assertEquals(0, r.status(), r.out() + r.err());
        assertArrayEquals(data, Files.readAllBytes(share.resolve(file.getFileName())), "the file on the Host");
        Path back = Files.createDirectories(tmp.resolve("back-" + System.nanoTime()));
        r = guest("copy", address + ":/share/" + file.getFileName(), back.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertArrayEquals(data, Files.readAllBytes(back.resolve(file.getFileName())), "the file back at the Guest");
        List<byte[]> samples = Capture.samples(data, 64, 32);
        for (int i = 0; i < samples.size(); i++) {
            remember("32 bytes of the file at sample " + i, samples.get(i));
        }
    }

    /** Remote control: a screenshot through the path equals the Host's X framebuffer, pixel for pixel. */
    void screen(String address, Xvfb x, int width, int height) throws Exception {
        Path png = tmp.resolve("shot-" + System.nanoTime() + ".png");
        NodeProcess.Result r = guest("screenshot", address, "--out", png.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("saved a " + width + "x" + height + " screenshot"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        int[] got = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < got.length; i++) {
            got[i] &= 0xffffff;
        }
        assertArrayEquals(x.framebuffer(), got, "the screenshot through the path differs from the Host's framebuffer");
    }

    /** All of the above. */
    void all(String address, String hostName, NodeProcess host, Path share, Xvfb x, int width, int height)
            throws Exception {
        connect(address, hostName);
        message(address, host);
        chat(address, host);
        files(address, share, 3 << 20);
        screen(address, x, width, height);
    }
}
