package org.tandemrc.api.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventSink;

/**
 * An {@link EventSink} that keeps every event, for a test that waits for what a role records: events are
 * recorded from the role's own threads, so a test asks with {@link #await} instead of reading at once.
 */
public final class EventLog implements EventSink {

    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
    }

    /** What was recorded so far, oldest first. */
    public synchronized List<AuditEvent> recorded() {
        return List.copyOf(events);
    }

    /** Forgets what was recorded. */
    public synchronized void clear() {
        events.clear();
    }

    /** Waits up to 10 seconds until an event with this code was recorded, and returns the first. */
    public AuditEvent await(String code) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (AuditEvent e : recorded()) {
                if (e.code().equals(code)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + code + " event; recorded: " + recorded());
    }
}
