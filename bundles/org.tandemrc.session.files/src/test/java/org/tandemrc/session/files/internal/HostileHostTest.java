package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tandemrc.session.files.testing.Trees.describe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.api.session.SessionHandler;

/**
 * A Host that lies to the Guest over the real file wire (the class of scp's CVE-2019-6111): its
 * listings hold names that climb out of the destination, absolute paths, control characters, names
 * too long, duplicates and links that lead out. The Guest writes nothing outside its destination,
 * says why, and leaves what the destination held as it was.
 */
class HostileHostTest {

    @TempDir
    Path tmp;

    private Wired wired;
    private GuestFiles files;
    private Path dst;
    private Path victim;
    /** Folder path on the Host to what its listing says. */
    private final Map<String, List<FileEntry>> listings = new LinkedHashMap<>();
    private final byte[] content = "pwned\n".getBytes(StandardCharsets.US_ASCII);
    /** Sends 64 GiB of zeros in a file it says has 6 bytes. */
    private volatile boolean zeroBomb;
    /** Says the file is this large and sends that many zeros, then leaves; 0 for an honest file. */
    private volatile long sparse;
    /** Says the file is this large, sends zeros but its last 48 MiB, then those at once, ignoring the window. */
    private volatile long flood;
    /** Why the Guest closed the session, as this Host heard it. */
    private final java.util.concurrent.BlockingQueue<String> closedBecause = new java.util.concurrent.LinkedBlockingQueue<>();

    @BeforeEach
    void open() throws Exception {
        dst = Files.createDirectories(tmp.resolve("a/b/dst"));
        Files.writeString(dst.resolve("mine.txt"), "the user's own file");
        victim = Files.createDirectories(tmp.resolve("victim"));
        wired = new Wired();
        wired.toHost.to = new LyingHost();
        RemoteTree remote = new RemoteTree();
        remote.attach(wired.toHost);
        wired.toGuest.to = remote;
        files = new GuestFiles(remote);
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var all = Files.walk(p)) {
            for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @AfterEach
    void close() {
        files.close();
        wired.close();
    }

    /** Answers every request from its script; every file it sends holds "pwned". */
    private final class LyingHost implements SessionHandler {
        @Override
        public void received(ByteBuffer message) {
            FileWire.Message request = assertDoesNotThrow(() -> FileWire.decode(message), "the Guest's request");
            if (request instanceof FileWire.Stat stat) {
                String path = stat.path();
                String name = path.substring(path.lastIndexOf('/') + 1);
                boolean folder = listings.containsKey(path);
                send(new FileWire.Entry(Optional.of(new FileEntry(name,
                        folder ? FileEntry.Kind.FOLDER : FileEntry.Kind.FILE, folder ? 0 : content.length,
                        1_600_000_000_000L, folder ? 0755 : 0644, false, null))));
            } else if (request instanceof FileWire.ListFolder list) {
                send(new FileWire.Entries(false, listings.getOrDefault(list.path(), List.of())));
            } else if (request instanceof FileWire.Get) {
                try {
                    byte[] sha = MessageDigest.getInstance("SHA-256").digest(content);
                    if (flood > 0) {
                        send(new FileWire.Start(0, flood));
                        send(new FileWire.Zeros(flood - 48L * ((1 << 20) - 1)));
                        byte[] mib = new byte[(1 << 20) - 1]; // with its type byte, the largest message
                        for (int i = 0; i < 48; i++) {
                            wired.toGuest.send(FileWire.literal(null, mib, 0, mib.length));
                        }
                        return;
                    }
                    if (sparse > 0) {
                        send(new FileWire.Start(0, sparse));
                        send(new FileWire.Zeros(sparse));
                        Thread.sleep(300);
                        wired.toGuest.close("the Host left");
                        return;
                    }
                    send(new FileWire.Start(0, content.length));
                    if (zeroBomb) {
                        send(new FileWire.Zeros(64L << 30));
                    }
                    wired.toGuest.send(FileWire.literal(null, content, 0, content.length));
                    send(new FileWire.End(new FileData.End(content.length, sha, 1_600_000_000_000L, 0644)));
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (!(request instanceof FileWire.Ack || request instanceof FileWire.Cancel)) {
                send(new FileWire.Error("this Host only lists and sends"));
            }
        }

        private void send(FileWire.Message m) {
            wired.toGuest.send(FileWire.encode(m));
        }

        @Override
        public void closed(String reason) {
            closedBecause.add(reason);
        }
    }

    private static FileEntry file(String name) {
        return new FileEntry(name, FileEntry.Kind.FILE, 6, 1_600_000_000_000L, 0644, false, null);
    }

    /** Everything under tmp but the destination, and the destination's own file. */
    private Map<String, String> everything() throws Exception {
        return describe(tmp);
    }

    private static final List<String> EVIL = List.of("../../x", "../../../victim/x", "/tmp/tandem-hostile-host-x",
            tmpAbsolute(), "a/b", ".", "..", "", "a\0b", "evil\nHSES+ forged", "\u001b]0;title\u0007\u001b[2J",
            "x".repeat(300), "back\\slash", ".mine.txt" + LocalTree.PARTIAL);

    private static String tmpAbsolute() {
        return System.getProperty("java.io.tmpdir") + "/tandem-hostile-host-abs";
    }

    @Test
    void namesThatAreNotOnePlainNameAreRefusedAndNothingIsWritten() throws Exception {
        for (String op : List.of("copy", "move", "sync", "clone")) {
            for (String evil : EVIL) {
                listings.clear();
                listings.put("/share/tree", List.of(file("fine.txt"), file(evil)));
                Map<String, String> before = everything();
                before.keySet().removeIf(k -> k.startsWith("a/b/dst/tree"));
                Path into = op.equals("copy") || op.equals("move") ? dst : dst.resolve("tree");
                try {
                    TransferResult r = switch (op) {
                        case "copy" -> files.copy(Place.host("/share/tree"), Place.local(into.toString()),
                                TransferOptions.defaults(), null);
                        case "move" -> files.move(Place.host("/share/tree"), Place.local(into.toString()),
                                TransferOptions.defaults(), null);
                        case "sync" -> files.synchronize(Place.host("/share/tree"), Place.local(into.toString()),
                                TransferOptions.defaults(), null);
                        default -> files.clone(Place.host("/share/tree"), Place.local(into.toString()),
                                TransferOptions.defaults(), null);
                    };
                    assertFalse(r.ok(), op + " '" + evil + "' went through: " + r);
                } catch (FileException e) {
                    assertTrue(e.getMessage().contains("name"), op + " '" + evil + "': " + e.getMessage());
                }
                Map<String, String> after = everything();
                after.keySet().removeIf(k -> k.startsWith("a/b/dst/tree"));
                assertEquals(before, after, op + " '" + evil + "' wrote outside the destination's new folder");
                assertEquals("the user's own file", Files.readString(dst.resolve("mine.txt")));
                assertFalse(Files.exists(Path.of("/tmp/tandem-hostile-host-x")), op + " '" + evil + "'");
                assertFalse(Files.exists(Path.of(tmpAbsolute())), op + " '" + evil + "'");
                if (Files.exists(dst.resolve("tree"))) {
                    try (var s = Files.list(dst.resolve("tree"))) {
                        for (Path p : (Iterable<Path>) s::iterator) {
                            String n = p.getFileName().toString();
                            if (!n.equals("fine.txt")) {
                                fail(op + " '" + evil + "' left " + n);
                            }
                        }
                    }
                    deleteTree(dst.resolve("tree"));
                }
            }
        }
    }

    @Test
    void aRunOfZerosPastTheFileIsRefusedAtOnce() throws Exception {
        zeroBomb = true;
        listings.put("/share/tree", List.of(file("bomb")));
        long t0 = System.nanoTime();
        TransferResult r = files.copy(Place.host("/share/tree"), Place.local(dst.toString()), TransferOptions.defaults(),
                null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(r.ok(), r.toString());
        assertTrue(r.failed().get(0).contains("more than the 6 bytes"), r.failed().toString());
        assertTrue(ms < 2000, "refused after " + ms + " ms");
        assertFalse(Files.exists(dst.resolve("tree/bomb")));
    }

    @Test
    void theGuestStopsWorkingWhenTheHostLeaves() throws Exception {
        long free = Files.getFileStore(dst).getUsableSpace();
        sparse = Math.min(free / 2, 64L << 30);
        assertTrue(sparse > 2L << 30, "this test needs 4 GiB of free disk space, there are " + free);
        listings.put("/share/tree", List.of(new FileEntry("sparse", FileEntry.Kind.FILE, sparse, 0, 0644, false, null)));
        long t0 = System.nanoTime();
        try {
            TransferResult r = files.copy(Place.host("/share/tree"), Place.local(dst.toString()),
                    TransferOptions.defaults(), null);
            assertFalse(r.ok(), r.toString());
        } catch (FileException e) {
            // the session ended
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Hashing that many zeros takes several seconds; the Guest stops within a chunk of the Host leaving.
        assertTrue(ms < 1300, "the Guest worked on for " + (ms - 300) + " ms after the Host left");
        assertFalse(Files.exists(dst.resolve("tree/sparse")));
    }

    @Test
    void aHostThatIgnoresTheWindowIsDisconnectedRatherThanQueued() throws Exception {
        long free = Files.getFileStore(dst).getUsableSpace();
        flood = Math.min(free / 2, 64L << 30);
        assertTrue(flood > 2L << 30, "this test needs 4 GiB of free disk space, there are " + free);
        listings.put("/share/tree", List.of(new FileEntry("flood", FileEntry.Kind.FILE, flood, 0, 0644, false, null)));
        Thread copy = new Thread(() -> {
            try {
                files.copy(Place.host("/share/tree"), Place.local(dst.toString()), TransferOptions.defaults(), null);
            } catch (FileException | InterruptedException e) {
                // the session ended
            }
        });
        copy.start();
        // While the Guest hashes the zeros, 48 MiB arrive at once: more than the Guest queues for a Host.
        String why = closedBecause.poll(20, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(why != null && why.contains("flow-control window"), "the Guest kept queueing: " + why);
        copy.join(20_000);
        assertFalse(copy.isAlive(), "the Guest worked on after it closed the session");
        assertFalse(Files.exists(dst.resolve("tree/flood")));
    }

    @Test
    void linksAndDuplicatesThatLeadOutAreRefused() throws Exception {
        List<List<FileEntry>> scripts = new ArrayList<>();
        scripts.add(List.of(new FileEntry("l", FileEntry.Kind.LINK, 0, 0, -1, false, victim.toString())));
        scripts.add(List.of(new FileEntry("l", FileEntry.Kind.LINK, 0, 0, -1, false, "../../../../victim")));
        // A link, then a folder of the same name with a file in it: written through the link?
        scripts.add(List.of(new FileEntry("d", FileEntry.Kind.LINK, 0, 0, -1, false, victim.toString()),
                new FileEntry("d", FileEntry.Kind.FOLDER, 0, 0, 0755, false, null)));
        for (List<FileEntry> script : scripts) {
            listings.clear();
            listings.put("/share/tree", script);
            listings.put("/share/tree/d", List.of(file("x")));
            Map<String, String> before = everything();
            before.keySet().removeIf(k -> k.startsWith("a/b/dst/tree"));
            try {
                TransferResult r = files.copy(Place.host("/share/tree"), Place.local(dst.toString()),
                        TransferOptions.defaults(), null);
                assertFalse(r.ok(), script + " went through");
            } catch (FileException e) {
                // refused before anything was written
            }
            Map<String, String> after = everything();
            after.keySet().removeIf(k -> k.startsWith("a/b/dst/tree"));
            assertEquals(before, after, script + " wrote outside the destination");
            assertEquals(0, victim.toFile().list().length, script + " wrote into the victim folder");
            if (Files.exists(dst.resolve("tree"))) {
                try (var s = Files.walk(dst.resolve("tree"))) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        assertFalse(Files.isSymbolicLink(p), script + " left a link " + p);
                    }
                }
                deleteTree(dst.resolve("tree"));
            }
        }
    }
}
