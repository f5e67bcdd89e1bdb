package org.tandemrc.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A packet capture by Debian's tcpdump on every interface of a network namespace (a Gateway's, a relay's),
 * full packets into a pcap file, so a test can show what crossed that machine: how much, and that none of
 * the session's plaintext did.
 */
final class Capture implements AutoCloseable {

    private final Process tcpdump;
    private final Path file;
    private final Path log;

    private Capture(Process tcpdump, Path file, Path log) {
        this.tcpdump = tcpdump;
        this.file = file;
        this.log = log;
    }

    /** Starts capturing TCP and UDP in {@code ns} into {@code file}; returns once tcpdump listens. */
    static Capture start(String ns, Path file) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/tcpdump")) && !Files.isExecutable(Path.of("/usr/sbin/tcpdump"))) {
            throw new IllegalStateException("tcpdump is not installed (apt-get install tcpdump); .ci/run installs it");
        }
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-i", "any", "-s", "0", "-U", "-B", "65536", "-n",
                "-w", file.toString(), "tcp or udp").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("listening on")) {
                return new Capture(p, file, log);
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IOException("tcpdump did not start in " + ns + ": " + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /**
     * Stops the capture and returns the pcap's bytes. libpcap hands packets to tcpdump in batches, at the
     * latest after its one-second buffer timeout, and a stop loses a batch not yet handed over: wait two
     * seconds first. (Immediate mode would avoid the wait but drops packets on a loaded machine; the
     * 64 MiB buffer keeps up.)
     */
    byte[] stop() throws IOException, InterruptedException {
        Thread.sleep(2000);
        close();
        return Files.readAllBytes(file);
    }

    /**
     * Stops the capture and checks what crossed {@code machine}: more than the sessions' two 3 MiB copies,
     * a plaintext that {@code fromNs} sends to {@code hostSlashPort} on purpose (the capture's own check),
     * and none of the sessions' plaintexts nor of {@code passwords} (their {@code names} in messages).
     */
    void assertOnlyCiphertext(String fromNs, String hostSlashPort, SessionTypes sessions, String machine,
            List<String> passwords, List<String> names) throws IOException, InterruptedException {
        String control = "plaintext control " + Long.toHexString(new Random().nextLong());
        Process p = new ProcessBuilder("ip", "netns", "exec", fromNs, "bash", "-c",
                "echo '" + control + "' > /dev/tcp/" + hostSlashPort).start();
        assertEquals(0, p.waitFor(), "the control plaintext was not sent");
        byte[] pcap = stop();
        assertTrue(pcap.length > 6 << 20, "the capture holds less than the two 3 MiB copies: "
                + pcap.length + " bytes; " + this);
        assertNotNull(firstFound(pcap, List.of(utf8(control)), List.of("control")),
                "the capture does not show a plaintext that crossed it: " + this);
        assertNull(firstFound(pcap, sessions.plaintexts, sessions.names),
                "session plaintext crossed the " + machine);
        assertNull(firstFound(pcap, passwords.stream().map(Capture::utf8).toList(), names),
                "a password crossed the " + machine);
    }

    /**
     * The first of {@code needles} found in {@code haystack} (as "what: index"), or null when none is
     * there: every needle is a plaintext that must not cross the captured machine.
     */
    static String firstFound(byte[] haystack, List<byte[]> needles, List<String> names) {
        for (int n = 0; n < needles.size(); n++) {
            byte[] needle = needles.get(n);
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return names.get(n) + " at byte " + i;
            }
        }
        return null;
    }

    /** {@code count} windows of {@code size} bytes spread over {@code data}, each a needle for {@link #firstFound}. */
    static List<byte[]> samples(byte[] data, int count, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int at = (int) ((long) (data.length - size) * k / Math.max(1, count - 1));
            byte[] w = new byte[size];
            System.arraycopy(data, at, w, 0, size);
            out.add(w);
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (tcpdump.isAlive()) {
            tcpdump.destroy(); // SIGTERM: tcpdump flushes and closes the file
            if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
                tcpdump.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public String toString() {
        try {
            return "capture " + file + " (" + Files.size(file) + " bytes; " + Files.readString(log).trim() + ")";
        } catch (IOException e) {
            return "capture " + file;
        }
    }
}
