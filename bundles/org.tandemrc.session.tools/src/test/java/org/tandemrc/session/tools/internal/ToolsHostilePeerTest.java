package org.tandemrc.session.tools.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.protocol.HostilePeer;
import org.tandemrc.protocol.HostilePeers;

/**
 * Remote management against a malicious Guest that speaks the real protocol: oversized counts,
 * escaping tool names, messages only a Host sends, requests after the session closed. Each is refused
 * by the session, no tool runs that was not asked for properly, and an honest Guest is served after.
 */
class ToolsHostilePeerTest {

    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);
    private static final long ANSWER_MILLIS = 10_000;

    private final ToolsSessionTest.Echo alpha = new ToolsSessionTest.Echo("alpha", "Alpha", "System",
            Privilege.REMOTE_MANAGEMENT);
    private final ToolsSessionType type = new ToolsSessionType();
    @RegisterExtension
    final HostilePeers peers = new HostilePeers(type, ALL);

    ToolsHostilePeerTest() {
        type.tools.add(alpha);
    }

    @Test
    void oversizedCountsAreRefusedBeforeAnythingRuns() {
        HostilePeer peer = peers.guest("mallory", 1);
        peer.open(1, 0, "tools");
        ByteBuffer invoke = ToolWire.encode(new ToolWire.Invoke("alpha", "set", Map.of()));
        byte[] b = new byte[invoke.remaining()];
        invoke.get(b);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt(Integer.MAX_VALUE); // the argument count
        peer.data(1, b);
        assertTrue(peer.sessionEnded(1).startsWith("malformed remote-management request"), peer.sessionEnded(1));

        peer.open(3, 0, "tools");
        peer.data(3, ByteBuffer.allocate(5).put((byte) ToolWire.INVOKE).putInt(-1).array()); // a text of 4 GiB
        assertTrue(peer.sessionEnded(3).startsWith("malformed remote-management request"), peer.sessionEnded(3));
        assertEquals(List.of(), alpha.calls);
        assertStaysUp(peer);
    }

    @Test
    void anEscapingToolNameIsAnErrorNotATool() {
        HostilePeer peer = peers.guest("mallory\r\nHSES+ forged\u001b[2J", 2);
        peer.open(1, 0, "tools");
        peer.data(1, bytes(ToolWire.encode(new ToolWire.Invoke("../../alpha\n\u001b[2J", "set", Map.of("count", "1")))));
        HostilePeer.Frame answer = last(peer.framesUntil(f -> f.kind() == HostilePeer.DATA && f.channel() == 1,
                ANSWER_MILLIS));
        assertEquals(ToolWire.ERROR, answer.data().get(0));
        assertEquals(List.of(), alpha.calls);
        assertTrue(peer.victimConnected());
        assertStaysUp(peer);
    }

    @Test
    void anAnswerSentToTheHostIsRefused() {
        HostilePeer peer = peers.guest("mallory", 3);
        peer.open(1, 0, "tools");
        peer.data(1, bytes(ToolWire.encode(new ToolWire.Failure("I am the Host now"))));
        assertEquals("malformed remote-management request: unknown request " + ToolWire.ERROR, peer.sessionEnded(1));
        assertStaysUp(peer);
    }

    @Test
    void aRequestAfterTheSessionClosedNeverRuns() {
        HostilePeer peer = peers.guest("mallory", 4);
        peer.open(1, 0, "tools");
        peer.data(1, new byte[] {99});
        assertTrue(peer.sessionEnded(1).startsWith("malformed"), peer.sessionEnded(1));
        peer.data(1, bytes(ToolWire.encode(new ToolWire.Invoke("alpha", "set", Map.of("count", "2")))));
        assertEquals(List.of(), alpha.calls);
        peer.assertVictimUnharmed();
    }

    private void assertStaysUp(HostilePeer peer) {
        peer.assertVictimUnharmed();
        HostilePeer honest = peers.guest("alice", 9);
        honest.open(1, 0, "tools");
        honest.data(1, bytes(ToolWire.encode(new ToolWire.ListTools())));
        HostilePeer.Frame answer = last(honest.framesUntil(f -> f.kind() == HostilePeer.DATA && f.channel() == 1,
                ANSWER_MILLIS));
        ToolWire.Answer tools = assertDoesNotThrow(() -> ToolWire.readAnswer(answer.data()));
        assertEquals(1, ((ToolWire.Tools) tools).tools().size(), "an honest Guest sees the Host's tool");
    }

    private static HostilePeer.Frame last(List<HostilePeer.Frame> frames) {
        return frames.get(frames.size() - 1);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
