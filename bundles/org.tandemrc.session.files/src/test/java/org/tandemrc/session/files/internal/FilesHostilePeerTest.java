package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.session.files.testing.Trees.describe;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.protocol.HostilePeer;
import org.tandemrc.protocol.HostilePeers;
import org.tandemrc.session.files.testing.Trees;

/**
 * The Host's file-transfer session against a malicious Guest that speaks the real protocol (the
 * hostile-peer kit): paths that escape or forge, oversized counts, file data without a file, a request
 * in the middle of a file's data, messages after the session closed. Each is refused by an answer or
 * by ending that session only; nothing outside the share changes; the connection and the session type
 * go on serving.
 */
class FilesHostilePeerTest {

    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);
    private static final long ANSWER_MILLIS = 10_000;

    @TempDir
    Path tmp;

    private final FileTransfer type = new FileTransfer();
    @RegisterExtension
    final HostilePeers peers = new HostilePeers(type, ALL);
    private Path share;
    private Map<String, String> before;

    @BeforeEach
    void share() throws Exception {
        share = Files.createDirectories(tmp.resolve("share"));
        Files.writeString(share.resolve("inside.txt"), "shared");
        Trees.outside(tmp);
        type.modified(Map.of("shares", "s=" + share));
        before = describe(tmp);
    }

    @Test
    void escapingPathsGetAnErrorAndNothingOutsideChanges() throws Exception {
        HostilePeer peer = peers.guest("mallory\nHSES+ forged\u001b[2J", 1);
        peer.open(1, 0, FileTransfer.ID);
        List<String> paths = List.of("/s/../outside/secret", "/s/../../etc/passwd", "s/inside.txt", "/s//inside.txt",
                "/s/./inside.txt", "/s/a\u0000b", "/s/a\nb", "/s/\u001b[2J", "/s/" + "x".repeat(300),
                "/s/.inside.txt.tandem-part", "/s/.tandem-new-0", "/nosuchshare/x");
        for (String p : paths) {
            peer.data(1, bytes(FileWire.encode(new FileWire.Stat(p))));
            assertEquals(FileWire.ERROR, answer(peer, 1).get(0), "STAT " + p);
        }
        peer.data(1, bytes(FileWire.encode(new FileWire.Rename("/s/inside.txt", "/s/../outside/x"))));
        assertEquals(FileWire.ERROR, answer(peer, 1).get(0));
        peer.data(1, bytes(FileWire.encode(new FileWire.Symlink("/s/out", "../outside/secret"))));
        assertEquals(FileWire.ERROR, answer(peer, 1).get(0));
        peer.data(1, bytes(FileWire.encode(new FileWire.Put("/s/../outside/secret", false))));
        assertEquals(FileWire.ERROR, answer(peer, 1).get(0));
        assertUnchangedAndUp(peer, 3);
    }

    @Test
    void oversizedCountsEndOnlyTheSession() throws Exception {
        HostilePeer peer = peers.guest("mallory", 2);
        assertMalformed(peer, 1, ByteBuffer.allocate(5).put((byte) FileWire.LIST).putInt(-1).array()); // a text of 4 GiB
        assertMalformed(peer, 3, ByteBuffer.allocate(5).put((byte) FileWire.STAT).putInt(Integer.MAX_VALUE).array());
        assertMalformed(peer, 5, new byte[] {(byte) 200}); // no such request
        assertUnchangedAndUp(peer, 7);
    }

    @Test
    void fileDataOutOfOrderEndsOnlyTheSession() throws Exception {
        HostilePeer peer = peers.guest("mallory", 3);
        // A run of zeros with no file to write it to: nine bytes that once asked for 64 GiB of work.
        assertMalformed(peer, 1, ByteBuffer.allocate(9).put((byte) FileWire.DATA_ZEROS).putLong(64L << 30).array());

        peer.open(3, 0, FileTransfer.ID);
        peer.data(3, bytes(FileWire.encode(new FileWire.Put("/s/new.txt", false))));
        assertEquals(FileWire.OFFER, answer(peer, 3).get(0));
        peer.data(3, bytes(FileWire.encode(new FileWire.Stat("/s/inside.txt"))));
        assertEnded(peer, 3, "malformed file-transfer message: a request in the middle of a file's data");
        assertTrue(Files.notExists(share.resolve("new.txt")), "a file the Guest never finished appeared");
        assertStaysUp(peer, 5);
    }

    @Test
    void messagesAfterTheSessionClosedAreDropped() throws Exception {
        HostilePeer peer = peers.guest("mallory", 4);
        assertMalformed(peer, 1, new byte[] {(byte) 200});
        peer.data(1, bytes(FileWire.encode(new FileWire.Delete("/s/inside.txt"))));
        peer.data(1, bytes(FileWire.encode(new FileWire.Mkdir("/s/late"))));
        peer.closeChannel(1, "late");
        assertUnchangedAndUp(peer, 3);
    }

    /** {@code message} alone on a new session on {@code channel} ends that session as malformed. */
    private static void assertMalformed(HostilePeer peer, int channel, byte[] message) throws InterruptedException {
        peer.open(channel, 0, FileTransfer.ID);
        peer.data(channel, message);
        assertEnded(peer, channel, "malformed file-transfer message");
    }

    /** Nothing in the share or outside it changed, and the connection goes on serving. */
    private void assertUnchangedAndUp(HostilePeer peer, int channel) throws Exception {
        assertEquals(before, describe(tmp));
        assertStaysUp(peer, channel);
    }

    /** No handler threw, the connection is open, and the share still answers on a new channel. */
    private void assertStaysUp(HostilePeer peer, int channel) {
        assertEquals(List.of(), peer.sessionFailures());
        assertTrue(peer.victimConnected(), peer.victimCloseReason());
        peer.open(channel, 0, FileTransfer.ID);
        peer.data(channel, bytes(FileWire.encode(new FileWire.Stat("/s/inside.txt"))));
        ByteBuffer entry = answer(peer, channel);
        assertEquals(FileWire.ENTRY, entry.get(0));
        assertEquals(1, entry.get(1), "the share's own file is found");
    }

    /** The Host ended the session on a channel for {@code reason}; its worker thread ends it, so wait. */
    private static void assertEnded(HostilePeer peer, int channel, String reason) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_MILLIS * 1_000_000L;
        String why = peer.sessionEnded(channel);
        while (why == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
            why = peer.sessionEnded(channel);
        }
        assertNotNull(why, "the session on channel " + channel + " did not end");
        assertTrue(why.startsWith(reason), why);
    }

    /** The next answer on a channel. */
    private static ByteBuffer answer(HostilePeer peer, int channel) {
        List<HostilePeer.Frame> frames = peer.framesUntil(f -> f.kind() == HostilePeer.DATA && f.channel() == channel,
                ANSWER_MILLIS);
        return frames.get(frames.size() - 1).data();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
