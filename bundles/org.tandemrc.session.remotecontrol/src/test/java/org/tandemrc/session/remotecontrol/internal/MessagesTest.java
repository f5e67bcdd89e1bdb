package org.tandemrc.session.remotecontrol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Display;
import org.tandemrc.protocol.ProtocolException;

/** The records' bytes are those the hand-written encoders sent before them, so old and new peers agree. */
class MessagesTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void theGuestsMessagesKeepTheirBytes() throws ProtocolException {
        byte[] id = ":1 Bildschirm ✓".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(ByteBuffer.allocate(5 + id.length).put((byte) Wire.START).put((byte) Wire.MODE_STREAM)
                .put((byte) 2).put((byte) 1).put((byte) 1).put(id).array(),
                bytes(Messages.encode(new Messages.Start(Wire.MODE_STREAM, 2, 1, true, ":1 Bildschirm ✓"))));
        assertArrayEquals(new byte[] {Wire.START, Wire.MODE_LAYOUT, 0, 0, 0},
                bytes(Messages.encode(new Messages.Start(Wire.MODE_LAYOUT, 0, 0, false, null))));
        assertArrayEquals(ByteBuffer.allocate(6).put((byte) Wire.KEY).putInt(0xff0d).put((byte) 1).array(),
                bytes(Messages.encode(new Messages.Key(0xff0d, true))));
        assertArrayEquals(ByteBuffer.allocate(9).put((byte) Wire.MOVE).putInt(-5).putInt(70000).array(),
                bytes(Messages.encode(new Messages.Move(-5, 70000))));
        assertArrayEquals(ByteBuffer.allocate(5).put((byte) Wire.SYNC).putInt(42).array(),
                bytes(Messages.encode(new Messages.Sync(42))));
        assertArrayEquals(new byte[] {Wire.BLANK_SCREEN, 1}, bytes(Messages.encode(new Messages.BlankScreen(true))));

        assertEquals(new Messages.Start(Wire.MODE_STREAM, 2, 1, true, ":1"),
                Messages.readScreen(Messages.encode(new Messages.Start(Wire.MODE_STREAM, 2, 1, true, ":1"))));
        assertEquals(new Messages.Text("héllo"), Messages.readInput(Messages.encode(new Messages.Text("héllo"))));
    }

    @Test
    void theHostsMessagesKeepTheirBytes() throws IOException, ProtocolException {
        List<Display> displays = List.of(new Display(":0.0", 0, 0, 1920, 1080), new Display("HDMI-1", 1920, -200, 1280,
                1024));
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(legacy);
        out.writeByte(Wire.INFO);
        out.writeUTF("x11");
        out.writeShort(2);
        for (Display d : displays) {
            out.writeUTF(d.id());
            out.writeInt(d.x());
            out.writeInt(d.y());
            out.writeInt(d.width());
            out.writeInt(d.height());
        }
        out.writeShort(1);
        Messages.Info info = new Messages.Info("x11", displays, 1);
        assertArrayEquals(legacy.toByteArray(), bytes(Messages.encode(info)));
        assertEquals(info, Messages.readToGuest(ByteBuffer.wrap(legacy.toByteArray())));

        Cursor c = new Cursor(10, 20, 1, 0, 2, 1, new int[] {0xff000000, 0x00ffffff}, 7L);
        ByteBuffer pointer = ByteBuffer.allocate(1 + 4 + 4 + 8 + 1 + 8 + 8).put((byte) Wire.CURSOR).putInt(10).putInt(20)
                .putLong(7L).put((byte) 1).putShort((short) 1).putShort((short) 0).putShort((short) 2)
                .putShort((short) 1).putInt(0xff000000).putInt(0x00ffffff);
        assertArrayEquals(pointer.array(), bytes(HostScreen.cursorMessage(c, true)));
        Messages.Pointer read = (Messages.Pointer) Messages.readToGuest(HostScreen.cursorMessage(c, true));
        assertArrayEquals(c.argb(), read.shape().argb());
        assertNull(((Messages.Pointer) Messages.readToGuest(HostScreen.cursorMessage(c, false))).shape());
        assertArrayEquals(ByteBuffer.allocate(3).put((byte) Wire.REFUSED).put("no".getBytes(StandardCharsets.UTF_8))
                .array(), bytes(Messages.encode(new Messages.Refused("no"))));
    }

    @Test
    void eachChannelTakesOnlyItsOwnMessages() {
        ByteBuffer key = Messages.encode(new Messages.Key(1, true));
        ProtocolException e = assertThrows(ProtocolException.class, () -> Messages.readScreen(key));
        assertEquals("unknown remote-control message " + Wire.KEY, e.getMessage());
        ByteBuffer ack = Messages.encode(new Messages.Ack(1));
        e = assertThrows(ProtocolException.class, () -> Messages.readInput(ack));
        assertEquals("unknown input message " + Wire.ACK, e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Messages.readInput(ByteBuffer.wrap(new byte[] {Wire.KEY, 0})));
        assertEquals("malformed input message", e.getMessage());
    }
}
