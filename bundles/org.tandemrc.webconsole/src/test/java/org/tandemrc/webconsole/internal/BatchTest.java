package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.support.batch.Batch.Message;
import org.tandemrc.support.batch.Batch.Outcome;
import org.tandemrc.support.batch.Batch.Tool;
import org.tandemrc.support.batch.Batch.Wake;

class BatchTest {

    @Test
    void thePagesActionsAreRead() throws Exception {
        assertEquals(new Message("Backup at 8"), Batch.action(Map.of("kind", "message", "text", "Backup at 8")));
        assertEquals(new Tool("processes", "end", Map.of("pid", "42")), Batch.action(Map.of("kind", "tool", "tool",
                "processes", "operation", "end", "arguments", Map.of("pid", "42"))));
        assertEquals(new Wake(null), Batch.action(Map.of("kind", "wake")));
        assertEquals(new Wake("Branch/server"), Batch.action(Map.of("kind", "wake", "via", "Branch/server")));
    }

    /** The page's JSON is a peer's: anything but the documented shapes is refused with a 400 and a sentence. */
    @Test
    void malformedActionsAreRefused() {
        List<Object> wrong = List.of("message", List.of(), Map.of(), Map.of("kind", "reboot"),
                Map.of("kind", "message"), Map.of("kind", "message", "text", " "), Map.of("kind", 7),
                Map.of("kind", "tool", "tool", "system"), Map.of("kind", "tool", "tool", "p", "operation", "end",
                        "arguments", Map.of("pid", 42)), Map.of("kind", "tool", "tool", "p", "operation", "end",
                        "arguments", List.of("pid=42")), Map.of("kind", "wake", "via", List.of()),
                Map.of("kind", "send", "file", "/etc/shadow"));
        for (Object json : wrong) {
            Api.Problem p = assertThrows(Api.Problem.class, () -> Batch.action(json), String.valueOf(json));
            assertEquals(400, p.status, String.valueOf(json));
            assertTrue(!p.getMessage().isBlank());
        }
    }

    /** A run's Hosts, outputs and errors are its supporter's: another login asking for its id hears "no such run". */
    @Test
    void aRunIsShownOnlyToTheLoginThatStartedIt() throws Exception {
        Batch batch = new Batch();
        Batch.Run run = new Batch.Run("r1", "alice", "tool system show", 2);
        run.add(new Outcome("office/pc1", true, "Host name: pc1", 1200));
        batch.keep(run);
        Map<?, ?> shown = (Map<?, ?>) batch.state("r1", "alice").get("run");
        assertEquals(1, shown.get("done"));
        assertEquals(0L, shown.get("failed"));
        assertEquals(false, shown.get("finished"));
        assertEquals(404, assertThrows(Api.Problem.class, () -> batch.state("r1", "mallory")).status);
        assertEquals(404, assertThrows(Api.Problem.class, () -> batch.state(null, "alice")).status);
    }

    @Test
    void onlyTheLastRunsAreKeptAndRunningOnesStay() throws Exception {
        Batch batch = new Batch();
        Batch.Run running = new Batch.Run("running", "alice", "wake", 1);
        batch.keep(running);
        for (int i = 0; i < Batch.KEPT + 5; i++) {
            Batch.Run done = new Batch.Run("done" + i, "alice", "wake", 1);
            done.finished = true;
            batch.keep(done);
        }
        batch.state("running", "alice");
        batch.state("done" + (Batch.KEPT + 4), "alice");
        assertEquals(404, assertThrows(Api.Problem.class, () -> batch.state("done0", "alice")).status);
    }
}
