package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.session.files.testing.Trees.describe;
import static org.tandemrc.session.files.testing.Trees.randomFile;
import static org.tandemrc.session.files.testing.Trees.sampleTree;
import static org.tandemrc.session.files.testing.Trees.sha;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.session.files.testing.Trees;

/**
 * The Guest's file session against the Host's side in one process, over an ordered in-memory
 * channel: trees, delta, resume, sync, clone, and paths that try to leave the shared folder.
 */
class FilesTest {

    @TempDir
    Path tmp;

    private GuestFiles files;
    private Path share;
    private Path guest;
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private Wired wired;

    @BeforeEach
    void open() throws Exception {
        share = Files.createDirectories(tmp.resolve("host/share"));
        guest = Files.createDirectories(tmp.resolve("guest"));
        wired = new Wired();
        wired.toHost.to = new HostFiles(wired.hostContext(), Map.of("share", share),
                (who, why) -> refusals.add(who + ": " + why), Wired.NO_OFFERS, null);
        RemoteTree remote = new RemoteTree();
        remote.attach(wired.toHost);
        wired.toGuest.to = remote;
        files = new GuestFiles(remote);
    }

    @AfterEach
    void close() {
        files.close();
        wired.close();
    }

    private static TransferOptions options(TransferOptions.Overwrite overwrite) {
        return options(overwrite, Set.of());
    }

    private static TransferOptions options(TransferOptions.Overwrite overwrite, Set<TransferOptions.Confirm> confirm) {
        return new TransferOptions(true, overwrite, true, true, false, false, TransferOptions.OnError.NEXT, 0, true,
                confirm);
    }

    @Test
    void aTreeGoesToTheHostAndBackIdentical() throws Exception {
        Path src = guest.resolve("tree");
        randomFile(sampleTree(src, 12).resolve("data.bin"), 3 * 1024 * 1024 + 17, 5);
        TransferResult up = files.copy(Place.local(src.toString()), Place.host("/share"), TransferOptions.defaults(),
                null);
        assertTrue(up.ok(), up.failed().toString());
        assertEquals(describe(src), describe(share.resolve("tree")));
        Path back = guest.resolve("back");
        TransferResult down = files.copy(Place.host("/share/tree"), Place.local(back.toString()),
                TransferOptions.defaults(), null);
        assertTrue(down.ok(), down.failed().toString());
        assertEquals(describe(src), describe(back));
        try (Stream<Path> all = Files.walk(tmp)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(LocalTree.PARTIAL)),
                    "no partial file is left");
        }
    }

    @Test
    void aChangedFileSendsOnlyItsChangesAndAnUnchangedOneIsSkipped() throws Exception {
        Path f = guest.resolve("big.bin");
        byte[] data = randomFile(f, 8 * 1024 * 1024, 1);
        TransferResult first = files.copy(Place.local(f.toString()), Place.host("/share"), TransferOptions.defaults(),
                null);
        assertTrue(first.wireBytes() >= data.length, "a new file goes whole: " + first.wireBytes());
        TransferResult again = files.copy(Place.local(f.toString()), Place.host("/share"), TransferOptions.defaults(),
                null);
        assertEquals(1, again.skipped(), "unchanged");
        for (int i = 0; i < 5; i++) {
            data[1_000_000 * i + 12345] ^= 0x5a;
        }
        Files.write(f, data);
        TransferResult delta = files.copy(Place.local(f.toString()), Place.host("/share"),
                options(TransferOptions.Overwrite.ALWAYS), null);
        assertTrue(delta.ok(), delta.failed().toString());
        assertEquals(sha(f), sha(share.resolve("big.bin")));
        assertTrue(delta.wireBytes() < data.length / 20, "5 changed bytes cost " + delta.wireBytes() + " bytes");
        // And the other way.
        data[7_000_000] ^= 1;
        Files.write(share.resolve("big.bin"), data);
        Path back = guest.resolve("big-back.bin");
        Files.copy(f, back);
        TransferResult down = files.copy(Place.host("/share/big.bin"), Place.local(back.toString()),
                options(TransferOptions.Overwrite.ALWAYS), null);
        assertTrue(down.ok(), down.failed().toString());
        assertEquals(sha(share.resolve("big.bin")), sha(back));
        assertTrue(down.wireBytes() < data.length / 20, "1 changed byte cost " + down.wireBytes() + " bytes");
    }

    @Test
    void anInterruptedUploadResumesAfterWhatArrived() throws Exception {
        Path f = guest.resolve("resume.bin");
        byte[] data = randomFile(f, 20 * 1024 * 1024, 2);
        // What a killed transfer leaves: the first 12.5 MiB under the partial name.
        Path partial = share.resolve(".resume.bin" + LocalTree.PARTIAL);
        Files.write(partial, java.util.Arrays.copyOf(data, 12 * 1024 * 1024 + 512 * 1024));
        List<String> heard = new CopyOnWriteArrayList<>();
        TransferResult r = files.copy(Place.local(f.toString()), Place.host("/share"), TransferOptions.defaults(),
                new TransferListener() {
                    @Override
                    public void finished(String file, String action, String detail) {
                        heard.add(file + " " + action + " " + detail);
                    }
                });
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(sha(f), sha(share.resolve("resume.bin")));
        assertFalse(Files.exists(partial));
        assertTrue(r.wireBytes() < 8 * 1024 * 1024 + 64 * 1024, "resent " + r.wireBytes() + " bytes");
        assertTrue(heard.get(0).contains("resumed after 12582912"), heard.toString());
        // A partial that is not the start of the file is not trusted: the file goes whole and right.
        Files.write(partial, new byte[2 * 1024 * 1024]);
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        r = files.copy(Place.local(f.toString()), Place.host("/share"), TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(sha(f), sha(share.resolve("resume.bin")));
    }

    @Test
    void sparseFilesTravelAsRunsOfZeros() throws Exception {
        Path f = guest.resolve("sparse.img");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(256L * 1024 * 1024);
            raf.seek(100L * 1024 * 1024);
            raf.write("in the middle".getBytes());
        }
        TransferResult r = files.copy(Place.local(f.toString()), Place.host("/share"), TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertTrue(r.wireBytes() < 1024 * 1024, "256 MiB of mostly zeros cost " + r.wireBytes() + " bytes");
        assertEquals(sha(f), sha(share.resolve("sparse.img")));
    }

    @Test
    void synchronizeAndCloneLeaveExactlyTheExpectedTrees() throws Exception {
        Path a = Files.createDirectories(guest.resolve("a"));
        Path b = Files.createDirectories(share.resolve("b"));
        Files.writeString(a.resolve("only-a"), "a");
        Files.writeString(b.resolve("only-b"), "b");
        Files.writeString(a.resolve("both"), "old");
        Files.writeString(b.resolve("both"), "new");
        Files.setLastModifiedTime(a.resolve("both"), FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(b.resolve("both"), FileTime.fromMillis(1_500_000_000_000L));
        TransferResult r = files.synchronize(Place.local(a.toString()), Place.host("/share/b"),
                TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(Set.of("only-a", "only-b", "both"), names(a));
        assertEquals(describe(a), describe(b));
        assertEquals("new", Files.readString(a.resolve("both")), "the newer side wins");

        // One way, only existing: nothing comes back, nothing new goes.
        Files.writeString(b.resolve("host-new"), "x");
        Files.writeString(a.resolve("guest-new"), "y");
        Files.writeString(a.resolve("only-a"), "a2");
        Files.setLastModifiedTime(a.resolve("only-a"), FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        r = files.synchronize(Place.local(a.toString()), Place.host("/share/b"),
                new TransferOptions(true, TransferOptions.Overwrite.NEWER, true, true, true, true,
                        TransferOptions.OnError.NEXT, 0, true, Set.of()), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals("a2", Files.readString(b.resolve("only-a")));
        assertFalse(Files.exists(a.resolve("host-new")));
        assertFalse(Files.exists(b.resolve("guest-new")));

        // Clone: the Host's folder becomes the Guest's, extras deleted.
        Files.createDirectories(b.resolve("extra-folder/inner"));
        Files.writeString(b.resolve("extra-folder/inner/file"), "gone soon");
        r = files.clone(Place.local(a.toString()), Place.host("/share/b"), TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(describe(a), describe(b));

        // Clone into a folder that does not exist yet, with a subfolder, and back.
        Files.createDirectories(a.resolve("sub/inner"));
        Files.writeString(a.resolve("sub/inner/deep.txt"), "deep");
        r = files.clone(Place.local(a.toString()), Place.host("/share/fresh"), TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(describe(a), describe(share.resolve("fresh")));
        Path mirror = guest.resolve("mirror");
        r = files.clone(Place.host("/share/fresh"), Place.local(mirror.toString()), TransferOptions.defaults(), null);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(describe(a), describe(mirror));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void confirmationAsksBeforeReplacingOrDeletingAndHonoursTheAnswers() throws Exception {
        Path a = guest.resolve("c");
        Path b = share.resolve("c");
        Files.createDirectories(a);
        Files.createDirectories(b.resolve("extra/inner"));
        for (String n : List.of("keep", "replace", "all-1", "all-2")) {
            Files.writeString(a.resolve(n), "new " + n);
            Files.writeString(b.resolve(n), "old " + n);
        }
        Files.writeString(b.resolve(".hidden-extra"), "hidden");
        Files.writeString(b.resolve("extra/inner/f"), "x");
        Files.writeString(a.resolve("fresh"), "no question: nothing to replace");

        // Copy asks before each replacement: the first answer is no (the old file stays), the second
        // yes, the third all (no more questions); never for a file that is new.
        List<String> asked = new ArrayList<>();
        List<TransferListener.Answer> script = List.of(TransferListener.Answer.NO, TransferListener.Answer.YES,
                TransferListener.Answer.ALL);
        TransferListener answers = new TransferListener() {
            @Override
            public Answer confirm(String file, FileEntry existing, boolean delete, TransferOptions.Confirm reason) {
                asked.add(file.substring(file.lastIndexOf('/') + 1) + " " + (delete ? "delete" : "replace") + " "
                        + reason);
                return script.get(asked.size() - 1);
            }
        };
        TransferResult r = files.copy(Place.local(a.toString()), Place.host("/share"),
                options(TransferOptions.Overwrite.ALWAYS, Set.of(TransferOptions.Confirm.REPLACE)), answers);
        assertTrue(r.ok(), r.failed().toString());
        assertEquals(3, asked.size(), asked.toString());
        assertTrue(asked.stream().allMatch(q -> q.endsWith(" replace REPLACE")), asked.toString());
        String refused = asked.get(0).split(" ")[0];
        for (String n : List.of("keep", "replace", "all-1", "all-2")) {
            assertEquals((n.equals(refused) ? "old " : "new ") + n, Files.readString(b.resolve(n)), n);
        }
        assertEquals("no question: nothing to replace", Files.readString(b.resolve("fresh")));
        assertEquals(1, r.skipped());

        // Clone asks the most specific reason: a hidden extra as HIDDEN, a folder with content as FOLDER;
        // cancel stops there and leaves what is left.
        asked.clear();
        TransferListener cancelAtFolder = new TransferListener() {
            @Override
            public Answer confirm(String file, FileEntry existing, boolean delete, TransferOptions.Confirm reason) {
                asked.add(file + " " + (delete ? "delete" : "replace") + " " + reason);
                return reason == TransferOptions.Confirm.FOLDER ? Answer.CANCEL : Answer.YES;
            }
        };
        r = files.clone(Place.local(a.toString()), Place.host("/share/c"),
                options(TransferOptions.Overwrite.ALWAYS, Set.of(TransferOptions.Confirm.HIDDEN,
                        TransferOptions.Confirm.FOLDER)), cancelAtFolder);
        assertTrue(r.stopped(), "a cancel stops the operation");
        assertTrue(asked.stream().anyMatch(q -> q.endsWith("extra delete FOLDER")), asked.toString());
        assertTrue(Files.exists(b.resolve("extra/inner/f")), "the folder the answer cancelled at is still there");
    }

    @Test
    void pathsThatTryToLeaveTheShareAreRefusedAndLogged() throws Exception {
        Path outside = Trees.outside(tmp);
        Files.createSymbolicLink(share.resolve("escape"), outside);
        Files.createSymbolicLink(share.resolve("secret-link"), outside.resolve("secret"));
        Path local = guest.resolve("x.txt");
        Files.writeString(local, "payload");
        for (String bad : List.of("/share/../outside/secret", "/share/./x", "share/x", "/nope/x", "/share//x",
                "/share/a\0b", "/share/a\\b", "/share/escape/secret", "/share/escape/new")) {
            FileException e = assertThrows(FileException.class, () -> files.list(Place.host(bad)), bad);
            assertTrue(e.getMessage().contains("is refused") || e.getMessage().contains("no such"), e.getMessage());
            assertThrows(FileException.class, () -> files.mkdir(Place.host(bad)), bad);
            assertThrows(FileException.class, () -> files.copy(Place.local(local.toString()), Place.host(bad),
                    TransferOptions.defaults(), null), bad);
            assertThrows(FileException.class, () -> files.copy(Place.host(bad),
                    Place.local(guest.resolve("got").toString()), TransferOptions.defaults(), null), bad);
        }
        // A link is copied as a link, never followed, and only when it stays inside the destination.
        TransferResult r = files.copy(Place.host("/share/secret-link"), Place.local(guest.resolve("link-copy").toString()),
                TransferOptions.defaults(), null);
        assertFalse(r.ok(), "a link that leads out of the destination: " + r);
        assertTrue(r.failed().get(0).contains("leads out of the destination folder"), r.failed().toString());
        assertFalse(Files.exists(guest.resolve("link-copy"), LinkOption.NOFOLLOW_LINKS));
        FileException e = assertThrows(FileException.class,
                () -> files.list(Place.host("/share/escape")));
        assertTrue(e.getMessage().contains("symbolic link, which is never followed"), e.getMessage());
        // A link from the Guest may not point out either.
        Files.createSymbolicLink(guest.resolve("evil"), Path.of("../../outside/secret"));
        r = files.copy(Place.local(guest.resolve("evil").toString()), Place.host("/share"), TransferOptions.defaults(),
                null);
        assertFalse(r.ok());
        assertTrue(r.failed().get(0).contains("leads out of the shared folder"), r.failed().toString());
        assertFalse(Files.exists(share.resolve("evil"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Set.of("secret"), names(outside), "nothing was written outside");
        assertEquals(Trees.SECRET, Files.readString(outside.resolve("secret")));
        assertFalse(refusals.isEmpty());
        assertTrue(refusals.get(0).startsWith("tester: the path"), refusals.get(0));
        List<FileEntry> shares = files.shares();
        assertEquals(List.of("share"), shares.stream().map(FileEntry::name).toList());
    }
}
