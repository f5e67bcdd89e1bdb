package org.tandemrc.security.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.security.SecurityServerWire;

/** The outbox on its own: its bound and the marker of what it dropped, a torn record, its size per event. */
class OutboxTest {

    @TempDir
    Path dir;

    /** A Host's typical event: a logon with a Guest's address, user and a short detail. */
    static AuditEvent typical(int i) {
        return new AuditEvent(Instant.now(), EventCodes.HOST_SESSION_STARTED, Severity.INFO, "desk-17.example.org",
                "192.0.2.66:40122", "alice", "logged on with role Full access " + i);
    }

    @Test
    void whenFullItKeepsTheOldestAndMarksHowManyItDroppedOnceThereIsRoomAgain() throws Exception {
        long max = 1L << 20;
        try (Outbox box = new Outbox(dir, max)) {
            box.node("desk-17");
            int perEvent = Outbox.RECORD_HEADER + SecurityServerWire.encode(typical(0)).length;
            int fit = (int) (max / perEvent);
            for (int i = 0; i < fit + 500; i++) {
                box.append(typical(i));
                if (i % 1000 == 0) {
                    box.flush();
                }
            }
            box.flush();
            long kept = box.next();
            assertTrue(box.bytes() <= max && box.bytes() > max - 2 * perEvent, "filled up to the bound: " + box.bytes());
            assertEquals("logged on with role Full access " + (kept - 1), box.read(kept - 1, 1).get(0).detail(),
                    "the oldest are kept");
            box.ack(kept / 2); // the server stored half: whole segments go, room again
            box.append(typical(-1));
            box.flush();
            List<AuditEvent> tail = box.read(kept, 2);
            assertEquals(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE, tail.get(0).code());
            assertTrue(tail.get(0).detail().startsWith((fit + 500 - kept) + " events dropped between "), tail.get(0).detail());
            assertEquals("logged on with role Full access -1", tail.get(1).detail());
        }
    }

    @Test
    void aRecordTornByACrashIsCutOffAndNumberingGoesOn() throws Exception {
        try (Outbox box = new Outbox(dir, 1L << 20)) {
            for (int i = 0; i < 10; i++) {
                box.append(typical(i));
            }
            box.flush();
        }
        Path segment = dir.resolve(String.format("%020d.events", 0));
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3);
        }
        try (Outbox box = new Outbox(dir, 1L << 20)) {
            assertEquals(9, box.next());
            box.append(typical(42));
            box.flush();
            assertEquals("logged on with role Full access 42", box.read(9, 1).get(0).detail());
            assertEquals(10, box.read(0, 48).size());
        }
    }

    @Test
    void whatAnEventTakesOnDisk() throws Exception {
        int n = 10_000;
        try (Outbox box = new Outbox(dir, 256L << 20)) {
            for (int i = 0; i < n; i++) {
                box.append(typical(i));
            }
            box.flush();
            long perEvent = box.bytes() / n;
            // The lead's figure for the backlog after 10 minutes offline: events/s x 600 x this.
            System.out.println("outbox bytes per typical Host event: " + perEvent);
            assertTrue(perEvent > 50 && perEvent < 200, "bytes per event " + perEvent);
            assertEquals(box.bytes(), Files.size(dir.resolve(String.format("%020d.events", 0))));
        }
    }
}
