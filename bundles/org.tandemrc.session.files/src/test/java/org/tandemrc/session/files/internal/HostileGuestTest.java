package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.session.files.testing.Trees.describe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.session.files.testing.Trees;

/**
 * A Guest that attacks the Host's shared folder: links through links, a link planted under the
 * name of the Host's own partial file, a folder swapped for a link while the Host works, every
 * operation against a link that leads out, and counts that would make the Host work without end.
 */
class HostileGuestTest {

    @TempDir
    Path tmp;

    private Wired wired;
    private GuestFiles files;
    private RemoteTree remote;
    private HostFiles host;
    private Path share;
    private Path outside;
    private Path guest;
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private Map<String, String> outsideBefore;

    @BeforeEach
    void open() throws Exception {
        share = Files.createDirectories(tmp.resolve("host/share"));
        outside = Trees.outside(tmp);
        guest = Files.createDirectories(tmp.resolve("guest"));
        wired = new Wired();
        host = new HostFiles(wired.hostContext(), Map.of("share", share),
                (who, why) -> refusals.add(who + ": " + why), Wired.NO_OFFERS, null);
        wired.toHost.to = host;
        remote = new RemoteTree();
        remote.attach(wired.toHost);
        wired.toGuest.to = remote;
        files = new GuestFiles(remote);
        outsideBefore = describe(tmp.resolve("host"));
        outsideBefore.keySet().removeIf(k -> k.startsWith("share"));
    }

    @AfterEach
    void close() throws Exception {
        files.close();
        wired.close();
    }

    /** Nothing outside the share changed: not the folder beside it, not the folder elsewhere. */
    private void nothingOutsideChanged() throws Exception {
        assertEquals(Map.of("", "folder", "secret", describe(outside).get("secret")), describe(outside));
        assertEquals(Trees.SECRET, Files.readString(outside.resolve("secret")));
        Map<String, String> beside = describe(tmp.resolve("host"));
        beside.keySet().removeIf(k -> k.startsWith("share"));
        assertEquals(outsideBefore, beside, "nothing appeared beside the share");
    }

    private Path payload(String name, String text) throws IOException {
        Path p = guest.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aLinkThroughALinkIsNeverFollowed() throws Exception {
        // The Host's owner made b lead out; a leads to b.
        Files.createSymbolicLink(share.resolve("b"), outside);
        Files.createSymbolicLink(share.resolve("a"), Path.of("b"));
        Path x = payload("x", "payload");
        assertThrows(FileException.class, () -> files.copy(Place.local(x.toString()), Place.host("/share/a/x"),
                TransferOptions.defaults(), null));
        assertThrows(FileException.class, () -> files.list(Place.host("/share/a")));
        assertThrows(FileException.class, () -> files.mkdir(Place.host("/share/a/d")));
        // A chain the Guest builds itself, each link spelled inside: d1/d2/l -> ../.. is the share,
        // m -> d1/d2/l/.. is the share's parent.
        remote.mkdirs("/share/d1/d2");
        remote.symlink("/share/d1/d2/l", "../..");
        FileException e = assertThrows(FileException.class, () -> remote.symlink("/share/m", "d1/d2/l/.."));
        assertTrue(e.getMessage().contains("leads out"), e.getMessage());
        assertFalse(Files.exists(share.resolve("m"), LinkOption.NOFOLLOW_LINKS));
        e = assertThrows(FileException.class, () -> remote.symlink("/share/n", "a/secret"));
        assertTrue(e.getMessage().contains("leads out"), e.getMessage());
        // Copied to the link's own name, the file replaces the link (never follows it).
        assertTrue(files.copy(Place.local(x.toString()), Place.host("/share/a"), TransferOptions.defaults(), null).ok());
        assertEquals("payload", Files.readString(share.resolve("a")));
        nothingOutsideChanged();
        assertTrue(refusals.size() >= 3, refusals.toString());
    }

    @Test
    void aLinkPlantedAsThePartialFileIsNeverWrittenThrough() throws Exception {
        // The attack: a link under the name of the Host's own partial file, which leads out
        // through a chain of links that each look inside.
        remote.mkdirs("/share/d1/d2");
        remote.symlink("/share/d1/d2/l", "../..");
        try {
            remote.symlink("/share/m", "d1/d2/l/..");
        } catch (FileException refused) {
            // the fixed Host refuses this link already
        }
        assertThrows(FileException.class, () -> remote.symlink("/share/.f.txt" + LocalTree.PARTIAL, "m/victim"));
        assertThrows(FileException.class, () -> remote.symlink("/share/.g.txt" + LocalTree.PARTIAL, "d1"));
        remote.symlink("/share/plain", "d1");
        assertThrows(FileException.class, () -> remote.rename("/share/plain", "/share/.g.txt" + LocalTree.PARTIAL));
        assertThrows(FileException.class, () -> remote.mkdirs("/share/.h.txt" + LocalTree.PARTIAL));
        // One planted by someone on the Host itself is not written through either.
        Files.createSymbolicLink(share.resolve(".k.txt" + LocalTree.PARTIAL), outside.resolve("victim"));
        for (String name : List.of("f.txt", "k.txt")) {
            TransferResult r = files.copy(Place.local(payload(name, "payload " + name).toString()), Place.host("/share"),
                    TransferOptions.defaults(), null);
            if (r.ok()) {
                assertEquals("payload " + name, Files.readString(share.resolve(name)));
                assertFalse(Files.isSymbolicLink(share.resolve(name)));
            }
        }
        assertFalse(Files.exists(tmp.resolve("host/victim")), "written through the planted partial link");
        assertFalse(Files.exists(outside.resolve("victim")), "written through the planted partial link");
        nothingOutsideChanged();
    }

    @Test
    void everyOperationRefusesALinkThatLeadsOut() throws Exception {
        Files.createSymbolicLink(share.resolve("out"), outside);
        Files.createSymbolicLink(share.resolve("fout"), outside.resolve("secret"));
        Files.writeString(share.resolve("inside.txt"), "inside");
        Path x = payload("x", "payload");
        assertThrows(FileException.class, () -> files.stat(Place.host("/share/out/secret")), "stat");
        assertThrows(FileException.class, () -> files.list(Place.host("/share/out")), "list");
        assertThrows(FileException.class, () -> files.list(Place.host("/share/fout")), "list a file link");
        assertThrows(FileException.class, () -> files.mkdir(Place.host("/share/out/d")), "mkdir");
        assertThrows(FileException.class, () -> files.delete(Place.host("/share/out/secret")), "delete");
        assertThrows(FileException.class, () -> files.rename(Place.host("/share/out/secret"), Place.host("/share/got")),
                "rename from");
        assertThrows(FileException.class, () -> files.rename(Place.host("/share/inside.txt"),
                Place.host("/share/out/moved")), "rename to");
        assertThrows(FileException.class, () -> remote.symlink("/share/out/l", "x"), "link in");
        assertThrows(FileException.class, () -> remote.symlink("/share/l", "out/secret"), "link to");
        assertThrows(FileException.class, () -> remote.symlink("/share/l", "/etc/passwd"), "absolute link");
        remote.symlink("/share/inside-link", "sub//inside.txt");
        assertEquals(Path.of("sub/inside.txt"), Files.readSymbolicLink(share.resolve("inside-link")), "a link inside is made");
        assertThrows(FileException.class, () -> files.copy(Place.local(x.toString()), Place.host("/share/out/x"),
                TransferOptions.defaults(), null), "write in");
        assertFalse(files.copy(Place.host("/share/fout"), Place.local(guest.resolve("read").toString()),
                TransferOptions.defaults(), null).ok(), "read through a final link");
        assertThrows(FileException.class, () -> files.copy(Place.host("/share/out/secret"),
                Place.local(guest.resolve("read2").toString()), TransferOptions.defaults(), null), "read in");
        assertFalse(Files.exists(guest.resolve("read2")));
        // Writing to the name of a link replaces the link, never what it leads to; times and
        // permissions go to the new file.
        TransferResult r = files.copy(Place.local(x.toString()), Place.host("/share/fout"),
                new TransferOptions(true, TransferOptions.Overwrite.ALWAYS, true, true, false, false,
                        TransferOptions.OnError.NEXT, 0, true, java.util.Set.of()), null);
        assertTrue(r.ok(), r.toString());
        assertFalse(Files.isSymbolicLink(share.resolve("fout")));
        assertEquals("payload", Files.readString(share.resolve("fout")));
        // Deleting a link removes the link only.
        files.delete(Place.host("/share/out"));
        assertFalse(Files.exists(share.resolve("out"), LinkOption.NOFOLLOW_LINKS));
        nothingOutsideChanged();
        assertTrue(refusals.stream().allMatch(s -> s.startsWith("tester")), refusals.toString());
    }

    @Test
    void aFolderSwappedForALinkMeanwhileNeverLeadsOut() throws Exception {
        Path d = Files.createDirectories(share.resolve("d"));
        Files.writeString(d.resolve("secret"), "the share's own");
        Path away = share.resolve("d-away");
        Path link = share.resolve("d-link");
        Files.createSymbolicLink(link, outside);
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> {
            // d is the folder, then the link, then the folder again, as fast as the disk allows.
            while (!stop.get()) {
                try {
                    Files.move(d, away, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, d, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(d, link, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(away, d, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "swapper");
        swapper.start();
        Path x = payload("x", "payload");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        int rounds = 0;
        try {
            for (; rounds < 400 && System.nanoTime() < until; rounds++) {
                String n = "f" + rounds;
                try {
                    files.copy(Place.local(x.toString()), Place.host("/share/d/" + n), TransferOptions.defaults(), null);
                } catch (FileException e) {
                    // refused while d was the link
                }
                try {
                    files.mkdir(Place.host("/share/d/m" + rounds));
                } catch (FileException e) {
                    // refused
                }
                try {
                    files.list(Place.host("/share/d")).forEach(entry -> assertNotEquals("victim", entry.name()));
                } catch (FileException e) {
                    // refused
                }
                Path got = guest.resolve("got" + rounds);
                try {
                    files.copy(Place.host("/share/d/secret"), Place.local(got.toString()), TransferOptions.defaults(), null);
                } catch (FileException e) {
                    // refused
                }
                if (Files.exists(got)) {
                    assertEquals("the share's own", Files.readString(got), "read outside the share in round " + rounds);
                }
                try {
                    files.delete(Place.host("/share/d/" + n));
                } catch (FileException e) {
                    // refused
                }
                assertEquals(1, outside.toFile().list().length, "written outside the share in round " + rounds + ": "
                        + List.of(outside.toFile().list()));
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        nothingOutsideChanged();
        assertTrue(rounds > 20, "only " + rounds + " rounds");
    }

    // ---------------------------------------------------------------- unbounded work

    /** A Guest that speaks the file wire itself. */
    private final BlockingQueue<ByteBuffer> answers = new LinkedBlockingQueue<>();

    private void raw() {
        wired.toGuest.to = new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                answers.add(message);
            }

            @Override
            public void closed(String reason) {
                answers.add(ByteBuffer.wrap(new byte[] {0}));
            }
        };
    }

    private int answer() throws InterruptedException {
        while (true) {
            ByteBuffer m = answers.poll(2, TimeUnit.SECONDS);
            if (m == null) {
                return -1;
            }
            int type = m.get(0) & 0xff;
            if (type != FileWire.ACK) {
                return type;
            }
        }
    }

    private static long busyNanos(String threadPrefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(threadPrefix) && t.isAlive()) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    @Test
    void aRunOfZerosBeyondTheFileIsRefusedAtOnce() throws Exception {
        raw();
        host.received(FileWire.encode(new FileWire.Put("/share/zeros", false)));
        assertEquals(FileWire.OFFER, answer());
        long t0 = System.nanoTime();
        // The 9-byte message: 64 GiB of zeros in a file that says it has 1 byte.
        host.received(FileWire.encode(new FileWire.Start(0, 1)));
        host.received(FileWire.encode(new FileWire.Zeros(64L << 30)));
        host.received(FileWire.encode(new FileWire.End(new FileData.End(1, new byte[32], 0, 0644))));
        assertEquals(FileWire.ERROR, answer(), "refused");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "refused after " + ms + " ms");
        assertFalse(Files.exists(share.resolve("zeros")));
    }

    @Test
    void aFileLargerThanTheDiskCouldHoldIsRefused() throws Exception {
        raw();
        host.received(FileWire.encode(new FileWire.Put("/share/huge", false)));
        assertEquals(FileWire.OFFER, answer());
        long t0 = System.nanoTime();
        host.received(FileWire.encode(new FileWire.Start(0, Long.MAX_VALUE / 2)));
        host.received(FileWire.encode(new FileWire.Zeros(Long.MAX_VALUE / 2)));
        host.received(FileWire.encode(new FileWire.End(new FileData.End(Long.MAX_VALUE / 2, new byte[32], 0, 0644))));
        assertEquals(FileWire.ERROR, answer(), "refused");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aMalformedAcknowledgementClosesTheSessionOnly() throws Exception {
        raw();
        host.received(ByteBuffer.wrap(new byte[] {(byte) FileWire.ACK, 1}));
        ByteBuffer m;
        do {
            m = answers.poll(5, TimeUnit.SECONDS);
        } while (m != null && m.get(0) != 0);
        assertTrue(m != null, "the session stayed open after a malformed message");
    }

    @Test
    void aGuestThatIgnoresTheWindowIsDisconnectedRatherThanQueued() throws Exception {
        raw();
        host.received(FileWire.encode(new FileWire.Put("/share/flood", false)));
        assertEquals(FileWire.OFFER, answer());
        long size = Math.min(Files.getFileStore(share).getUsableSpace() / 2, 64L << 30);
        host.received(FileWire.encode(new FileWire.Start(0, size)));
        host.received(FileWire.encode(new FileWire.Zeros(size - 64L * 1024 * 1024)));
        // While the Host hashes those zeros, 48 MiB arrive at once: three times the window.
        ByteBuffer literal = ByteBuffer.allocate(1 + 1024 * 1024);
        literal.put((byte) FileWire.DATA_LITERAL);
        for (int i = 0; i < 48; i++) {
            host.received(literal.duplicate().position(0));
        }
        ByteBuffer m;
        do {
            m = answers.poll(5, TimeUnit.SECONDS);
        } while (m != null && m.get(0) != 0);
        assertTrue(m != null, "the Host kept queueing");
        host.closed("test over");
    }

    @Test
    void theHostStopsWorkingWhenTheSessionEnds() throws Exception {
        raw();
        long free = Files.getFileStore(share).getUsableSpace();
        long size = Math.min(free / 2, 64L << 30);
        assertTrue(size > 2L << 30, "this test needs 4 GiB of free disk space, there are " + free);
        host.received(FileWire.encode(new FileWire.Put("/share/sparse", false)));
        assertEquals(FileWire.OFFER, answer());
        host.received(FileWire.encode(new FileWire.Start(0, size)));
        host.received(FileWire.encode(new FileWire.Zeros(size)));
        Thread.sleep(300); // the Host is hashing the zeros
        long busyBefore = busyNanos("tandem-files-");
        assertTrue(busyBefore > 50_000_000L, "the Host was working: " + busyBefore / 1_000_000 + " ms");
        host.closed("the Guest left");
        Thread.sleep(500); // the worker notices within one chunk of work
        long a = busyNanos("tandem-files-");
        Thread.sleep(1000);
        long b = busyNanos("tandem-files-");
        assertTrue(b - a < 20_000_000L, "the Host still worked " + (b - a) / 1_000_000 + " ms of CPU in the second"
                + " after the Guest left");
    }
}
