package org.tandemrc.comm.udp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reassembly stays within the announced length and the link's limit. */
class ReassemblerTest {

    private final List<byte[]> messages = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final Reassembler.Sink sink = new Reassembler.Sink() {
        @Override
        public void message(ByteBuffer m) {
            byte[] b = new byte[m.remaining()];
            m.get(b);
            messages.add(b);
        }

        @Override
        public void closed(String reason) {
            closes.add(reason);
        }
    };

    @Test
    void fragmentsMakeWholeMessagesAndOneFragmentMessagesPassStraight() throws Exception {
        Reassembler r = new Reassembler(4096);
        r.fragment(Packet.FIRST, 5, new byte[] {1, 2}, 0, 2, sink);
        assertEquals(5, r.buffered());
        r.fragment(0, -1, new byte[] {3, 4}, 0, 2, sink);
        r.fragment(Packet.LAST, -1, new byte[] {9, 5}, 1, 1, sink);
        r.fragment(Packet.FIRST | Packet.LAST, 0, new byte[0], 0, 0, sink);
        r.fragment(Packet.FIRST | Packet.LAST | Packet.CLOSE, -1, "bye".getBytes(), 0, 3, sink);
        assertEquals(2, messages.size());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, messages.get(0));
        assertEquals(0, messages.get(1).length);
        assertEquals(List.of("bye"), closes);
        assertEquals(0, r.buffered());
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeAnythingIsAllocated() {
        Reassembler r = new Reassembler(4096);
        Reassembler.Violation v = assertThrows(Reassembler.Violation.class,
                () -> r.fragment(Packet.FIRST, 0xFFFF_FFFFL, new byte[10], 0, 10, sink));
        assertTrue(v.getMessage().contains("4294967295"), v.getMessage());
        assertEquals(0, r.buffered(), "nothing was allocated");
        assertThrows(Reassembler.Violation.class, () -> Reassembler.checkAnnounced(4097, 4096));
        Reassembler.class.getName();
    }

    @Test
    void fragmentsThatDoNotAddUpAreViolations() throws Exception {
        Reassembler r = new Reassembler(4096);
        r.fragment(Packet.FIRST, 3, new byte[2], 0, 2, sink);
        assertThrows(Reassembler.Violation.class, () -> r.fragment(0, -1, new byte[2], 0, 2, sink), "more than announced");

        Reassembler short1 = new Reassembler(4096);
        short1.fragment(Packet.FIRST, 3, new byte[1], 0, 1, sink);
        assertThrows(Reassembler.Violation.class, () -> short1.fragment(Packet.LAST, -1, new byte[1], 0, 1, sink), "ended early");

        Reassembler orphan = new Reassembler(4096);
        assertThrows(Reassembler.Violation.class, () -> orphan.fragment(0, -1, new byte[1], 0, 1, sink), "no first fragment");

        Reassembler twice = new Reassembler(4096);
        twice.fragment(Packet.FIRST, 3, new byte[1], 0, 1, sink);
        assertThrows(Reassembler.Violation.class, () -> twice.fragment(Packet.FIRST, 3, new byte[1], 0, 1, sink), "restarted");
        assertThrows(Reassembler.Violation.class,
                () -> twice.fragment(Packet.FIRST | Packet.LAST | Packet.CLOSE, -1, new byte[0], 0, 0, sink), "closed mid-message");

        Reassembler lying = new Reassembler(4096);
        assertThrows(Reassembler.Violation.class, () -> lying.fragment(Packet.FIRST | Packet.LAST, 9, new byte[2], 0, 2, sink));
        assertTrue(messages.isEmpty());
    }
}
