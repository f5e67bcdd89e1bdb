package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.session.files.testing.Trees.describe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.session.files.testing.Trees;

/**
 * A file a Guest offers to a Host that shares no folder: saved only where the person at the Host chose,
 * under a name the Guest cannot turn into a path, and nothing at all left when they cancel, the link
 * breaks, or the Guest sends more than it announced.
 */
class OfferedFileTest {

    @TempDir
    Path tmp;

    private Path chosen;
    private Wired wired;
    private final List<String> audit = new CopyOnWriteArrayList<>();
    private final List<String> askedNames = new CopyOnWriteArrayList<>();
    /** The person at the Host: the name and size offered to where to save it, or null to cancel. */
    private volatile BiFunction<String, Long, Path> person;
    private Map<String, String> before;

    @BeforeEach
    void host() throws Exception {
        chosen = Files.createDirectories(tmp.resolve("host/Downloads"));
        Trees.outside(tmp);
        before = describe(tmp);
        person = (name, size) -> chosen.resolve(name);
        wired = new Wired();
        wired.toHost.to = new HostFiles(wired.hostContext(), Map.of(), (who, why) -> audit.add("refused " + why),
                new HostFiles.Offers() {
                    @Override
                    public Optional<Path> ask(String name, long size) {
                        askedNames.add(name);
                        return Optional.ofNullable(person.apply(name, size));
                    }

                    @Override
                    public void audit(String code, Severity severity, String detail) {
                        audit.add(code + " " + detail);
                    }
                }, "this Host shares no folders");
    }

    @AfterEach
    void close() {
        wired.close();
    }

    private GuestFiles guest() {
        RemoteTree remote = new RemoteTree();
        remote.attach(wired.toHost);
        wired.toGuest.to = remote;
        return new GuestFiles(remote);
    }

    /** A Guest that speaks raw messages and reads every answer. */
    private BlockingQueue<FileWire.Message> rawGuest() {
        BlockingQueue<FileWire.Message> answers = new LinkedBlockingQueue<>();
        wired.toGuest.to = new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                try {
                    answers.add(FileWire.decode(message));
                } catch (Exception e) {
                    answers.add(new FileWire.Error("undecodable: " + e));
                }
            }

            @Override
            public void closed(String reason) {
                answers.add(new FileWire.Error("closed: " + reason));
            }
        };
        return answers;
    }

    private void send(FileWire.Message m) {
        wired.toHost.send(FileWire.encode(m));
    }

    /** The next answer that is not an acknowledgement. */
    private static FileWire.Message answer(BlockingQueue<FileWire.Message> answers) throws InterruptedException {
        while (true) {
            FileWire.Message m = answers.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no answer from the Host");
            if (!(m instanceof FileWire.Ack)) {
                return m;
            }
        }
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private void assertNothingWritten() throws Exception {
        assertEquals(before, describe(tmp), "nothing may be written anywhere, no partial file either");
    }

    @Test
    void hostileNamesBecomeOnePlainNameAndOnlyTheChosenFolderIsWritten() throws Exception {
        Map<String, String> names = Map.of("../../etc/x", "x", "/etc/passwd", "passwd",
                "..\\..\\boot.ini", "boot.ini", "a\u0000b\u001b[2J\nc.txt", "ab[2Jc.txt", "...", "received-file",
                ".bashrc", "bashrc", "x.tandem-part", "received-file", " .. /", "received-file");
        for (Map.Entry<String, String> e : names.entrySet()) {
            assertEquals(e.getValue(), Names.offered(e.getKey()), e.getKey());
            assertEquals(null, Names.problem(Names.offered(e.getKey())), e.getKey());
        }
        String longest = Names.offered("é".repeat(300));
        assertTrue(longest.getBytes(StandardCharsets.UTF_8).length <= Names.MAX_NAME, longest);

        BlockingQueue<FileWire.Message> answers = rawGuest();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        for (String hostile : List.of("../../etc/x", "/etc/passwd", "a\u0000b\u001b[2J\n.txt")) {
            send(new FileWire.OfferFile(hostile, data.length));
            assertInstanceOf(FileWire.Ok.class, answer(answers), hostile);
            send(new FileWire.Start(0, data.length));
            send(new FileWire.Literal(ByteBuffer.wrap(data)));
            send(new FileWire.End(new FileData.End(data.length, sha256(data), 0, 0644)));
            assertInstanceOf(FileWire.Ok.class, answer(answers), hostile);
        }
        assertEquals(List.of("x", "passwd", "ab[2J.txt"), askedNames);
        try (var files = Files.list(chosen)) {
            assertEquals(List.of("ab[2J.txt", "passwd", "x"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Map<String, String> after = describe(tmp);
        after.keySet().removeIf(k -> k.contains("Downloads/"));
        before.keySet().removeIf(k -> k.contains("Downloads/"));
        assertEquals(before, after, "nothing outside the chosen folder changed");
    }

    @Test
    void anAcceptedFileIsSavedWhereThePersonChoseAndAudited() throws Exception {
        Path local = tmp.resolve("guest-report.pdf");
        byte[] content = Trees.randomFile(local, 3 * 1024 * 1024 + 5, 7);
        before = describe(tmp);
        Path where = chosen.resolve("renamed by the person.pdf");
        person = (name, size) -> {
            assertEquals("guest-report.pdf", name);
            assertEquals(content.length, size);
            return where;
        };
        try (GuestFiles files = guest()) {
            // The file's length, not what crossed the link (compressed, framed).
            assertEquals(content.length, files.offer(local));
        }
        assertArrayEquals(content, Files.readAllBytes(where));
        try (var list = Files.list(chosen)) {
            assertEquals(List.of(where), list.toList(), "no partial file stays");
        }
        assertEquals(List.of(EventCodes.TANDEM_FILE_OFFERED + " guest-report.pdf, " + content.length + " bytes",
                EventCodes.TANDEM_FILE_OFFER_ACCEPTED + " " + where,
                EventCodes.TANDEM_FILE_RECEIVED + " " + where + ", " + content.length + " bytes"), audit);
    }

    @Test
    void aCancelledFileIsRefusedToTheGuestAndNothingIsWritten() throws Exception {
        Path local = Files.writeString(tmp.resolve("offer.txt"), "unwanted");
        before = describe(tmp);
        person = (name, size) -> null;
        try (GuestFiles files = guest()) {
            GuestException e = assertThrows(GuestException.class, () -> files.offer(local));
            assertEquals(GuestException.Reason.SESSION_REFUSED, e.reason());
            assertTrue(e.getMessage().contains("did not accept offer.txt"), e.getMessage());
        }
        assertNothingWritten();
        assertEquals(List.of(EventCodes.TANDEM_FILE_OFFERED + " offer.txt, 8 bytes",
                EventCodes.TANDEM_FILE_OFFER_REFUSED + " offer.txt"), audit);
    }

    @Test
    void moreDataThanAnnouncedIsRefusedAndNothingStays() throws Exception {
        BlockingQueue<FileWire.Message> answers = rawGuest();
        send(new FileWire.OfferFile("small.txt", 10));
        assertInstanceOf(FileWire.Ok.class, answer(answers));
        send(new FileWire.Start(0, 10));
        send(new FileWire.Literal(ByteBuffer.wrap(new byte[10])));
        send(new FileWire.Literal(ByteBuffer.wrap(new byte[4096])));
        send(new FileWire.End(new FileData.End(4106, new byte[32], 0, 0644)));
        FileWire.Message m = answer(answers);
        assertInstanceOf(FileWire.Error.class, m);
        assertTrue(((FileWire.Error) m).sentence().contains("more than the 10 bytes"), m.toString());

        // A Start that claims a larger file than the one offered is refused before anything is written.
        send(new FileWire.OfferFile("small.txt", 10));
        assertInstanceOf(FileWire.Ok.class, answer(answers));
        send(new FileWire.Start(0, 1L << 40));
        send(new FileWire.Literal(ByteBuffer.wrap(new byte[4096])));
        send(new FileWire.End(new FileData.End(4096, new byte[32], 0, 0644)));
        m = answer(answers);
        assertInstanceOf(FileWire.Error.class, m);
        assertTrue(((FileWire.Error) m).sentence().contains("after offering 10 bytes"), m.toString());
        assertNothingWritten();
        assertTrue(audit.stream().filter(a -> a.startsWith(EventCodes.TANDEM_FILE_RECEIVE_FAILED + " ")).count() == 2,
                audit.toString());
    }

    @Test
    void aLinkBrokenMidFileLeavesNothing() throws Exception {
        BlockingQueue<FileWire.Message> answers = rawGuest();
        send(new FileWire.OfferFile("half.bin", 1 << 20));
        assertInstanceOf(FileWire.Ok.class, answer(answers));
        send(new FileWire.Start(0, 1 << 20));
        send(new FileWire.Literal(ByteBuffer.wrap(new byte[1 << 19])));
        Path partial = chosen.resolve(".half.bin" + Names.PARTIAL);
        long until = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(partial) && Files.size(partial) == 1 << 19) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(partial), "the first half arrived");
        wired.toHost.close("the link broke");
        while (Files.exists(partial) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertNothingWritten();
        assertTrue(audit.stream().anyMatch(a -> a.startsWith(EventCodes.TANDEM_FILE_RECEIVE_FAILED + " ")), audit.toString());
    }

    @Test
    void aLinkAtThePlaceChosenIsNeverWrittenThroughNorReplaced() throws Exception {
        Path secret = tmp.resolve("outside/secret");
        Path link = Files.createSymbolicLink(chosen.resolve("notes.txt"), secret);
        before = describe(tmp);
        BlockingQueue<FileWire.Message> answers = rawGuest();
        send(new FileWire.OfferFile("notes.txt", 3));
        FileWire.Message m = answer(answers);
        assertInstanceOf(FileWire.Error.class, m);
        assertTrue(((FileWire.Error) m).sentence().contains("a link is in the way"), m.toString());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(Trees.SECRET, Files.readString(secret));
        assertNothingWritten();
    }

    @Test
    void theHostProposesAnUntakenNameInItsFolderAndAsksOnlyWhatFits() throws Exception {
        FileTransfer type = new FileTransfer();
        type.modified(Map.of("offerFolder", chosen.toString(), "offerSeconds", "5"));
        var context = wired.hostContext();
        assertEquals(Optional.empty(), type.askToSave(context, "a.txt", 1), "no prompt: refused");
        List<org.tandemrc.api.consent.FileOffer> offers = new CopyOnWriteArrayList<>();
        type.prompt = new org.tandemrc.api.consent.ConsentPrompt() {
            @Override
            public java.util.concurrent.CompletionStage<org.tandemrc.api.consent.ConsentDecision> ask(
                    org.tandemrc.api.consent.ConsentRequest request) {
                throw new AssertionError("a file is asked through save");
            }

            @Override
            public java.util.concurrent.CompletionStage<Optional<Path>> save(org.tandemrc.api.consent.FileOffer offer) {
                offers.add(offer);
                return java.util.concurrent.CompletableFuture.completedFuture(Optional.of(offer.proposed()));
            }
        };
        Files.writeString(chosen.resolve("report.pdf"), "taken");
        Files.createSymbolicLink(chosen.resolve("report (2).pdf"), tmp.resolve("outside/secret"));
        assertEquals(Optional.of(chosen.resolve("report (3).pdf")), type.askToSave(context, "report.pdf", 10));
        org.tandemrc.api.consent.FileOffer offer = offers.get(0);
        assertEquals("tester", offer.request().guestName());
        assertEquals("192.0.2.7:4000", offer.request().address());
        assertEquals(org.tandemrc.api.consent.ConsentKind.FILE_PUSH, offer.request().kind());
        assertEquals(java.time.Duration.ofSeconds(5), offer.request().timeout());
        assertEquals(Optional.empty(), type.askToSave(context, "huge.iso", Long.MAX_VALUE),
                "more than the disk has free is refused before anybody is asked");
        assertEquals(1, offers.size());
        type.modified(Map.of("offerFolder", "relative/folder"));
        assertTrue(type.askToSave(context, "b.txt", 1).isPresent(), "a bad folder setting falls back to Downloads or home");
    }

    @Test
    void aHostWithoutSharesServesNothingButOffers() throws Exception {
        BlockingQueue<FileWire.Message> answers = rawGuest();
        send(new FileWire.ListFolder("/"));
        FileWire.Message m = answer(answers);
        assertEquals(new FileWire.Error("closed: this Host shares no folders"), m);
        assertFalse(Files.list(chosen).findAny().isPresent());
    }
}
