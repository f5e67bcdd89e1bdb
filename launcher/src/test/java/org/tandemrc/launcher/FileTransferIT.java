package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.session.files.testing.Trees.describe;
import static org.tandemrc.session.files.testing.Trees.sampleTree;
import static org.tandemrc.session.files.testing.Trees.sha;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.session.files.testing.Trees;

/**
 * File transfer between a Guest and a Host as real processes on loopback: whole trees both ways,
 * sync and clone, a transfer resumed after either side was killed, and paths that try to leave the
 * shared folder.
 */
class FileTransferIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path tmp;

    private NodeProcess host(Path home, Path share) throws Exception {
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        return NodeProcess.host(home, pw, Map.of(), false, Map.of("org.tandemrc.files.cfg", "shares = share=" + share + "\n"));
    }


    private String[] guestArgs(String... args) throws IOException {
        return NodeProcess.guestArgs(tmp, PASSWORD, args);
    }

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(guestArgs(args));
    }

    @Test
    void treesArriveIdenticalBothWaysAndSyncAndCloneLeaveTheExpectedTrees() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path src = tmp.resolve("guest/tree");
        Files.writeString(sampleTree(src, 20).resolve("bottom.txt"), "deep");
        try (RandomAccessFile sparse = new RandomAccessFile(src.resolve("sparse-2g.img").toFile(), "rw")) {
            sparse.setLength(2 * GIB);
            sparse.seek(GIB);
            sparse.write("a few bytes in the middle of 2 GiB".getBytes());
        }
        try (NodeProcess host = host(tmp.resolve("host"), share)) {
            String a = host.tcpAddress();
            NodeProcess.Result r = guest("copy", src.toString(), a + ":/share", "--log", tmp.resolve("up.log").toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("copied tree/sparse-2g.img (2147483648 bytes, "), r.out());
            assertEquals(describe(src), describe(share.resolve("tree")));
            assertTrue(Files.readString(tmp.resolve("up.log")).contains("copied tree/sparse-2g.img"));

            Path back = tmp.resolve("guest/back");
            r = guest("copy", a + ":/share/tree", back.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(describe(src), describe(back));

            r = guest("ls", a + ":/share/tree");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Grüße – 日本語 ✓.txt") && r.out().contains("link -> d0/d1"), r.out());

            // Sync both ways: each side gets the other's new file, the newer edit wins.
            Files.writeString(src.resolve("from-guest.txt"), "g");
            Files.writeString(share.resolve("tree/from-host.txt"), "h");
            Files.writeString(src.resolve("empty"), "now the Guest's is newer");
            Files.setLastModifiedTime(src.resolve("empty"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            r = guest("sync", src.toString(), a + ":/share/tree");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(describe(src), describe(share.resolve("tree")));
            assertTrue(Files.exists(src.resolve("from-host.txt")));

            // Clone: the Host's copy becomes exactly the Guest's, extras deleted.
            Files.delete(src.resolve("from-guest.txt"));
            Files.createDirectories(share.resolve("tree/extra/inside"));
            Files.writeString(share.resolve("tree/extra/inside/x"), "extra");
            r = guest("clone", src.toString(), a + ":/share/tree");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(describe(src), describe(share.resolve("tree")));
        }
    }

    @Test
    void pathsOutsideTheShareAreRefusedLoggedAndNothingOutsideIsTouched() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path outside = Trees.outside(tmp);
        Files.createSymbolicLink(share.resolve("out"), outside);
        Path local = tmp.resolve("payload.txt");
        Files.writeString(local, "payload");
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, share)) {
            String a = host.tcpAddress();
            for (String bad : new String[] {"/share/../outside", "/share/out/secret", "/share/out/new", "/elsewhere"}) {
                NodeProcess.Result r = guest("copy", local.toString(), a + ":" + bad);
                assertEquals(1, r.status(), bad + ": " + r.out() + r.err());
                assertTrue(r.err().contains("is refused") || r.err().contains("shares no folder"), r.err());
                r = guest("copy", a + ":" + bad, tmp.resolve("got").toString());
                assertEquals(1, r.status(), bad + ": " + r.out() + r.err());
            }
            assertFalse(Files.exists(tmp.resolve("got")));
            assertEquals(1, outside.toFile().list().length, "nothing was written outside");
            assertEquals(Trees.SECRET, Files.readString(outside.resolve("secret")));
            String events = Files.readString(home.resolve("data/log/events.log"));
            assertTrue(events.contains("TSECPATH!"), events);
            assertTrue(events.contains("HSESFXFER+"), events);
        }
    }

    /**
     * The attack with stock commands: a chain of links that each look inside the share, a
     * link planted under the name of the Host's partial file, then an ordinary copy. Nothing is
     * written outside, and each refusal is an audit event with the Guest's address.
     */
    @Test
    void linksPlantedByAGuestNeverLeadAWriteOutOfTheShare() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        // In the share: planted/d1/d2/l is the share itself, planted/m its parent; each spelled inside.
        Path src = Files.createDirectories(tmp.resolve("planted/d1/d2"));
        Files.createSymbolicLink(src.resolve("l"), Path.of("../../.."));
        Path planted = tmp.resolve("planted");
        Files.createSymbolicLink(planted.resolve("m"), Path.of("d1/d2/l/.."));
        Path partial = tmp.resolve("partial-link");
        Files.createSymbolicLink(partial, Path.of("m/victim"));
        Path f = tmp.resolve("f.txt");
        Files.writeString(f, "payload");
        Path home = tmp.resolve("host");
        try (NodeProcess host = host(home, share)) {
            String a = host.tcpAddress();
            NodeProcess.Result r = guest("copy", planted.toString(), a + ":/share");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("leads out of the shared folder"), r.out());
            r = guest("copy", partial.toString(), a + ":/share/planted/.f.txt.tandem-part");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue((r.out() + r.err()).contains("the transfer's own"), r.out() + r.err());
            r = guest("copy", f.toString(), a + ":/share/planted");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("payload", Files.readString(share.resolve("planted/f.txt")));
            assertFalse(Files.exists(tmp.resolve("victim")), "written through the planted links");
            assertFalse(Files.exists(share.resolve("planted/m"), LinkOption.NOFOLLOW_LINKS));
            String events = Files.readString(home.resolve("data/log/events.log"));
            assertTrue(events.lines().anyMatch(l -> l.contains("TSECPATH!") && l.contains("127.0.0.1")), events);
        }
    }

    @Test
    void confirmAsksOnTheTerminalAndRefusesWithoutOne() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(share.resolve("src"));
        for (String n : new String[] {"one", "two"}) {
            Files.writeString(src.resolve(n), "new " + n);
            Files.writeString(share.resolve("src").resolve(n), "old " + n);
        }
        try (NodeProcess host = host(tmp.resolve("host"), share)) {
            String a = host.tcpAddress();
            NodeProcess.Result r = guest("copy", src.toString(), a + ":/share", "--overwrite", "always",
                    "--confirm", "replace");
            assertEquals(2, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("--confirm asks on a terminal"), r.err());
            r = guest("copy", src.toString(), a + ":/share", "--confirm", "sometimes");
            assertEquals(2, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("replace, read-only, hidden, folders or all"), r.err());

            // On a terminal: "n" to the first question, "y" to the second.
            try (NodeProcess copy = NodeProcess.startOnTerminal(guestArgs("copy", src.toString(), a + ":/share",
                    "--overwrite", "always", "--confirm", "replace"))) {
                copy.type("n");
                copy.type("y");
                assertEquals(0, copy.awaitExit(60_000), copy.output());
                String out = copy.output();
                assertEquals(2, out.split("Overwrite src/", -1).length - 1, out);
                assertTrue(out.contains("skipped src/") && out.contains("not replaced, as answered"), out);
            }
            long old = Stream.of("one", "two").filter(n -> {
                try {
                    return Files.readString(share.resolve("src").resolve(n)).startsWith("old");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).count();
            assertEquals(1, old, "the file answered no keeps its old content, the other is replaced");
        }
    }

    /** Starts a copy, kills one side once the Host holds {@code atLeast} bytes of it, and returns. */
    private void interrupt(NodeProcess transfer, NodeProcess host, boolean killHost, Path partial, long atLeast)
            throws Exception {
        long end = System.currentTimeMillis() + 120_000;
        while (!(Files.exists(partial) && Files.size(partial) >= atLeast)) {
            assertTrue(System.currentTimeMillis() < end, "the transfer never got far: " + transfer.output());
            assertTrue(transfer.process().isAlive(), "the transfer ended early: " + transfer.output());
            Thread.sleep(10);
        }
        (killHost ? host : transfer).process().destroyForcibly().waitFor();
        if (killHost) {
            transfer.awaitExit(60_000);
        }
    }

    @Test
    void aGigabyteTransferResumesAfterTheGuestOrTheHostWasKilledInEitherDirection() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path big = tmp.resolve("big.bin");
        Random random = new Random(11);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 1024; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        // Downloads come from the share's "src" folder into a local "down" folder.
        Files.createDirectories(share.resolve("src"));
        Files.copy(big, share.resolve("src/big.bin"));
        Path down = Files.createDirectories(tmp.resolve("down"));
        Path home = tmp.resolve("host");
        Pattern resumed = Pattern.compile("copied big\\.bin \\((\\d+) bytes, (\\d+) on the wire, resumed after (\\d+)\\)");
        for (boolean upload : new boolean[] {true, false}) {
            Path target = upload ? share.resolve("big.bin") : down.resolve("big.bin");
            Path partial = target.resolveSibling(".big.bin.tandem-part");
            for (boolean killHost : new boolean[] {false, true}) {
                String what = (upload ? "upload, " : "download, ") + (killHost ? "host killed: " : "guest killed: ");
                Files.deleteIfExists(target);
                NodeProcess host = host(home, share);
                String a = host.tcpAddress();
                String[] copy = upload ? new String[] {"copy", big.toString(), a + ":/share"}
                        : new String[] {"copy", a + ":/share/src/big.bin", down.toString()};
                try (NodeProcess transfer = NodeProcess.start(guestArgs(copy))) {
                    interrupt(transfer, host, killHost, partial, 300L * 1024 * 1024);
                }
                if (killHost) {
                    host.close();
                    host = host(home, share);
                    a = host.tcpAddress();
                    copy = upload ? new String[] {"copy", big.toString(), a + ":/share"}
                            : new String[] {"copy", a + ":/share/src/big.bin", down.toString()};
                }
                try {
                    assertFalse(Files.exists(target), what + "nothing under the final name before it is whole");
                    // What was still in flight lands after the kill: wait for the partial to settle.
                    long had = -1;
                    while (had != Files.size(partial)) {
                        had = Files.size(partial);
                        Thread.sleep(500);
                    }
                    NodeProcess.Result r = guest(copy);
                    assertEquals(0, r.status(), what + r.out() + r.err());
                    Matcher m = resumed.matcher(r.out());
                    assertTrue(m.find(), what + r.out());
                    long from = Long.parseLong(m.group(3));
                    double resentMiB = (Long.parseLong(m.group(2)) - (GIB - from)) / 1048576.0;
                    assertTrue(from > 256L * 1024 * 1024 && from <= had, what + "resumed after " + from + " of " + had);
                    assertTrue(resentMiB < 4, what + "re-sent " + resentMiB + " MiB");
                    assertEquals(sha(big), sha(target), what);
                    assertFalse(Files.exists(partial), what);
                } finally {
                    host.close();
                }
            }
        }
    }
}
