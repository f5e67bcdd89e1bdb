package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.protocol.ProtocolException;

/** The records' bytes are those the hand-written encoder sent before them, so old and new peers agree. */
class FileWireTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void messagesKeepTheirBytes() throws IOException, ProtocolException {
        FileEntry file = new FileEntry("Grüße.txt", FileEntry.Kind.FILE, 12, 1_600_000_000_000L, 0644, true, null);
        FileEntry link = new FileEntry("l", FileEntry.Kind.LINK, 0, 0, 0777, false, "target");
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(legacy);
        out.writeByte(FileWire.ENTRIES);
        out.writeByte(1);
        out.writeInt(2);
        for (FileEntry e : List.of(file, link)) {
            text(out, e.name());
            out.writeByte(e.kind().ordinal());
            out.writeLong(e.size());
            out.writeLong(e.modified());
            out.writeInt(e.mode());
            out.writeByte(e.hidden() ? 1 : 0);
            out.writeByte(e.target() != null ? 1 : 0);
            text(out, e.target());
        }
        FileWire.Entries entries = new FileWire.Entries(true, List.of(file, link));
        assertArrayEquals(legacy.toByteArray(), bytes(FileWire.encode(entries)));
        assertEquals(entries, FileWire.decode(ByteBuffer.wrap(legacy.toByteArray())));

        legacy.reset();
        out.writeByte(FileWire.GET);
        text(out, "/s/a");
        out.writeByte(1);
        out.writeLong(5);
        out.writeInt(32);
        out.write(new byte[32]);
        out.writeByte(0);
        assertArrayEquals(legacy.toByteArray(),
                bytes(FileWire.encode(new FileWire.Get("/s/a", true, new Offer(5, new byte[32], null)))));

        assertArrayEquals(ByteBuffer.allocate(1 + 8 + 4 + 32 + 8 + 4).put((byte) FileWire.DATA_END).putLong(9).putInt(32)
                .put(new byte[32]).putLong(3).putInt(0600).array(),
                bytes(FileWire.encode(new FileWire.End(new FileData.End(9, new byte[32], 3, 0600)))));
        assertArrayEquals(new byte[] {FileWire.ENTRY, 0}, bytes(FileWire.encode(new FileWire.Entry(Optional.empty()))));
    }

    @Test
    void aListingLongerThanOneMessageHoldsIsRefused() {
        ByteBuffer m = ByteBuffer.allocate(6).put((byte) FileWire.ENTRIES).put((byte) 0)
                .putInt(FileWire.ENTRIES_PER_MESSAGE + 1).flip();
        assertThrows(ProtocolException.class, () -> FileWire.decode(m));
    }
}
