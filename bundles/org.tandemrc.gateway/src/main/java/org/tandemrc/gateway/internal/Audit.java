package org.tandemrc.gateway.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;

/** Hands Gateway events to every registered sink, and to the node log. */
final class Audit {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.gateway.audit");

    final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private volatile String node = "gateway";

    void node(String name) {
        node = name;
    }

    void record(String code, Severity severity, String peer, String user, String detail) {
        AuditEvent e = new AuditEvent(Instant.now(), code, severity, node, peer == null ? "" : peer,
                user == null ? "" : user, detail == null ? "" : detail);
        LOG.log(severity == Severity.INFO ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "{0} peer={1} user={2} {3}", code, e.peer(), e.user(), e.detail());
        for (EventSink s : sinks) {
            try {
                s.record(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "event sink " + s + " failed: " + ex);
            }
        }
    }
}
