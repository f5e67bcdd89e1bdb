package org.tandemrc.session.remotecontrol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.protocol.HostilePeer;

/**
 * Remote control and remote input against a malicious Guest that speaks the real protocol: escaping
 * display names, oversized clipboard text, requests out of order and after the session closed. Each
 * is refused by the session (closing its channel or answering "refused"), nothing throws, and the Host
 * serves an honest Guest afterwards.
 */
class RemoteControlHostilePeerTest {

    private static final Set<Privilege> ALL = EnumSet.allOf(Privilege.class);

    private final RemoteScreenTest.FakeScreen screen = new RemoteScreenTest.FakeScreen();
    private final RemoteControl control = new RemoteControl();
    private final RemoteInput input = new RemoteInput();

    RemoteControlHostilePeerTest() {
        control.screens.add(screen);
        control.clipboards.add(screen);
        input.screens.add(screen);
        input.inputs.add(screen);
    }

    @Test
    void anEscapingDisplayNameIsRefused() {
        HostilePeer peer = HostilePeer.guestAgainst(control, ALL, "mallory\n\u001b[2J", new Random(1));
        peer.open(1, 0, RemoteControl.ID);
        peer.data(1, start(Wire.MODE_LAYOUT, "../../:0\r\n\u001b[2J"));
        assertTrue(peer.sessionEnded(1).startsWith("this Host has no display '../../:0"), peer.sessionEnded(1));
        assertStaysUp(peer);
    }

    @Test
    void oversizedClipboardTextIsRefused() {
        HostilePeer peer = HostilePeer.guestAgainst(control, ALL, "mallory", new Random(2));
        peer.open(1, 0, RemoteControl.ID);
        peer.data(1, start(Wire.MODE_LAYOUT, null));
        byte[] text = new byte[1 + Wire.MAX_CLIPBOARD + 1]; // the type, then one byte too many
        java.util.Arrays.fill(text, (byte) 'a');
        text[0] = Wire.CLIP_SET;
        for (int at = 0; at < text.length; at += 60_000) {
            int end = Math.min(text.length, at + 60_000);
            peer.fragment(1, end == text.length, java.util.Arrays.copyOfRange(text, at, end));
        }
        assertEquals("clipboard text larger than " + Wire.MAX_CLIPBOARD + " bytes", peer.sessionEnded(1));
        assertEquals("", screen.clipboard);
        assertStaysUp(peer);
    }

    @Test
    void messagesOutOfOrderAreAnsweredOrRefusedNeverFatal() {
        HostilePeer peer = HostilePeer.guestAgainst(control, ALL, "mallory", new Random(3));
        peer.open(1, 0, RemoteControl.ID);
        // An acknowledgement of a frame never sent, a sync, all before the start.
        peer.data(1, ByteBuffer.allocate(5).put((byte) Wire.ACK).putInt(Integer.MAX_VALUE).array());
        peer.data(1, ByteBuffer.allocate(5).put((byte) Wire.SYNC).putInt(7).array());
        List<HostilePeer.Frame> answers = peer.frames();
        assertTrue(answers.stream().anyMatch(f -> f.kind() == HostilePeer.DATA && f.data().get() == Wire.SYNCED),
                "the Host answers the sync");
        assertNull(peer.sessionEnded(1));
        // A message type only the Host sends, then a start cut short.
        peer.data(1, new byte[] {(byte) Wire.FRAME, 0, 0});
        assertEquals("unknown remote-control message " + Wire.FRAME, peer.sessionEnded(1));
        peer.open(3, 0, RemoteControl.ID);
        peer.data(3, new byte[] {(byte) Wire.START, (byte) Wire.MODE_ONCE});
        assertEquals("malformed remote-control message", peer.sessionEnded(3));
        assertStaysUp(peer);
    }

    @Test
    void inputAfterTheSessionClosedIsNeverInjected() {
        HostilePeer peer = HostilePeer.guestAgainst(input, ALL, "mallory", new Random(4));
        peer.open(1, 0, RemoteInput.ID);
        peer.data(1, ByteBuffer.allocate(9).put((byte) Wire.MOVE).putInt(5).putInt(6).array());
        int injected = screen.injected.size();
        peer.data(1, new byte[] {(byte) 77});
        assertEquals("unknown input message 77", peer.sessionEnded(1));
        peer.data(1, ByteBuffer.allocate(9).put((byte) Wire.MOVE).putInt(50).putInt(60).array());
        peer.data(1, ByteBuffer.allocate(6).put((byte) Wire.KEY).putInt(0xff0d).put((byte) 1).array());
        assertEquals(injected, screen.injected.size(), "nothing injected after the session ended");
        peer.assertVictimUnharmed();
    }

    private void assertStaysUp(HostilePeer peer) {
        peer.assertVictimUnharmed();
        HostilePeer honest = HostilePeer.guestAgainst(control, ALL, "alice", new Random(9));
        honest.open(1, 0, RemoteControl.ID);
        honest.data(1, start(Wire.MODE_LAYOUT, null));
        assertTrue(honest.frames().stream().anyMatch(f -> f.kind() == HostilePeer.DATA && f.data().get() == Wire.INFO),
                "an honest Guest gets the screen's layout");
        assertNull(honest.sessionEnded(1));
    }

    private static byte[] start(int mode, String display) {
        byte[] id = display == null ? new byte[0] : display.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + id.length).put((byte) Wire.START).put((byte) mode).put((byte) 0).put((byte) 0)
                .put((byte) 0).put(id).array();
    }
}
