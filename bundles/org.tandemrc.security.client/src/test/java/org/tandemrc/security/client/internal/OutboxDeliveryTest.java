package org.tandemrc.security.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.testing.EventLog;

/**
 * Nothing lost, nothing twice: events recorded while the Security Server is down wait on disk and
 * reach it once it is up, each number stored once with its own event, across lost and repeated
 * acknowledgements and a restart of the node in the middle.
 */
class OutboxDeliveryTest {

    @TempDir
    Path home;
    private final ScriptedServer server = new ScriptedServer();
    private final EventLog log = new EventLog();
    private final List<ServerClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerClient c : clients) {
            c.stop();
        }
        server.close();
    }

    private ServerClient node() throws Exception {
        ServerClient c = Nodes.start(home, server, Nodes.settings(server, "guest"), log, List::of);
        clients.add(c);
        return c;
    }

    private static AuditEvent event(int i) {
        return new AuditEvent(Instant.ofEpochMilli(1_700_000_000_000L + i), "TEST", Severity.INFO, "node-1",
                "192.0.2.7:4000", "alice", "event " + i);
    }

    private void assertStoredOnce(int n) {
        assertEquals(LongStream.range(0, n).boxed().toList(), List.copyOf(server.stored.keySet()));
        for (Map.Entry<Long, AuditEvent> e : server.stored.entrySet()) {
            assertEquals("event " + e.getKey(), e.getValue().detail(), "number " + e.getKey() + " carries its own event");
        }
    }

    @Test
    void aThousandEventsRecordedWhileTheServerIsDownArriveOnceWhenItIsUp() throws Exception {
        server.up = false;
        ServerClient c = node();
        for (int i = 0; i < 1000; i++) {
            c.record(event(i));
        }
        Nodes.await("the outbox holds 1000 events", () -> c.status().contains("outbox 1000 event(s)"));
        assertTrue(server.received.isEmpty());
        AuditEvent fb = log.await(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE);
        assertTrue(fb.detail().contains("cannot reach the Security Server at mem:ss"), fb.detail());
        server.repeatAcks = true;
        server.up = true;
        Nodes.await("all 1000 are acknowledged", () -> c.status().contains("outbox 0 event(s)"));
        assertStoredOnce(1000);
        assertEquals(1000, server.received.size(), "sent once each: " + duplicates());
        assertTrue(log.recorded().stream().anyMatch(e -> e.detail().contains("reachable again")));
        assertFalse(Files.list(home.resolve("data/security/outbox")).anyMatch(p -> p.toString().endsWith(".events")),
                "acknowledged segments are deleted");
    }

    @Test
    void aLostAcknowledgementMeansTheBatchIsSentAgainAndStoredOnce() throws Exception {
        server.up = false;
        ServerClient c = node();
        for (int i = 0; i < 1000; i++) {
            c.record(event(i));
        }
        Nodes.await("the outbox holds 1000 events", () -> c.status().contains("outbox 1000 event(s)"));
        server.loseAcks.set(2);
        server.up = true;
        Nodes.await("all 1000 are acknowledged", () -> c.status().contains("outbox 0 event(s)"));
        assertStoredOnce(1000);
        assertTrue(server.received.size() > 1000, "what was not acknowledged was sent again");
    }

    /**
     * A server that drops a batch without an answer and keeps the connection (its audit trail was not up
     * yet after a restart): the node sends what is not acknowledged again on the same connection, instead
     * of waiting for the next connection, which may be days away.
     */
    @Test
    void aBatchDroppedWithoutAnAnswerIsSentAgainOnTheSameConnection() throws Exception {
        ServerClient c = node();
        Nodes.await("welcomed", () -> c.status().startsWith("connected"));
        server.dropBatches.set(1);
        for (int i = 0; i < 10; i++) {
            c.record(event(i));
        }
        Nodes.await("the server dropped the batch", () -> server.dropBatches.get() <= 0);
        Nodes.await("all 10 are stored and acknowledged",
                () -> server.stored.size() == 10 && c.status().contains("outbox 0 event(s)"));
        assertStoredOnce(10);
        assertEquals(1, server.accepted.get(), "connections the node made");
    }

    @Test
    void aRestartOfTheNodeInTheMiddleLosesNothingAndRepeatsNothing() throws Exception {
        server.up = false;
        ServerClient first = node();
        for (int i = 0; i < 300; i++) {
            first.record(event(i));
        }
        server.up = true;
        Nodes.await("300 are acknowledged", () -> server.stored.size() == 300 && first.status().contains("outbox 0 event(s)"));
        server.down();
        for (int i = 300; i < 600; i++) {
            first.record(event(i));
        }
        first.stop(); // writes what it holds
        clients.remove(first);
        ServerClient second = node();
        for (int i = 600; i < 1000; i++) {
            second.record(event(i));
        }
        Nodes.await("the outbox holds 700 events", () -> second.status().contains("outbox 700 event(s)"));
        server.up = true;
        Nodes.await("all 1000 are acknowledged", () -> second.status().contains("outbox 0 event(s)"));
        assertStoredOnce(1000);
        assertEquals(1000, server.received.size(), "sent once each: " + duplicates());
    }

    private String duplicates() {
        return server.received.stream().collect(Collectors.groupingBy(n -> n, Collectors.counting())).entrySet()
                .stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList().toString();
    }
}
