package org.tandemrc.support.event;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tandemrc.support.text.PeerText;

/**
 * Hands a node's events to every {@link EventSink} it is given and to the node log: what a role
 * needs to record events, so that Host, Guest and Gateway do not each carry a copy. Sinks come and
 * go with {@link #add} and {@link #remove} (a role's dynamic {@code EventSink} reference); a sink
 * that throws is logged and skipped. The node log's line has every field {@link PeerText#escape escaped};
 * sinks receive the event unchanged and escape for their own medium.
 */
public final class EventRecorder {

    private final System.Logger log;
    private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
    private volatile String node = "";

    /** @param logger the name of the node log's logger the events also go to */
    public EventRecorder(String logger) {
        this.log = System.getLogger(logger);
    }

    public void add(EventSink sink) {
        sinks.add(sink);
    }

    public void remove(EventSink sink) {
        sinks.remove(sink);
    }

    /** The name events carry as their node (the Host's or the Gateway's name). */
    public void node(@Nullable String name) {
        node = name == null ? "" : name;
    }

    public void record(String code, Severity severity, @Nullable String peer, @Nullable String user,
            @Nullable String detail) {
        AuditEvent e = new AuditEvent(Instant.now(), code, severity, node, peer == null ? "" : peer,
                user == null ? "" : user, detail == null ? "" : detail);
        // Peer, user and detail carry what peers chose (a Guest's name, a reason): escaped, or a line end
        // in them would forge a line of the node log. Sinks receive the event as it is.
        log.log(severity == Severity.INFO ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "{0} peer={1} user={2} {3}", PeerText.escape(code), PeerText.escape(e.peer()),
                PeerText.escape(e.user()), PeerText.escape(e.detail()));
        for (EventSink s : sinks) {
            try {
                s.record(e);
            } catch (RuntimeException ex) {
                log.log(System.Logger.Level.WARNING, "event sink " + s + " failed: " + ex);
            }
        }
    }
}
