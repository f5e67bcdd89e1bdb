package org.tandemrc.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where audit events go: the local log file, a central server, syslog, the OS event log. Every
 * registered sink receives every event.
 */
@ConsumerType
public interface EventSink {

    /**
     * Records one event. Must return quickly: a sink that talks to a remote store queues the event and
     * sends it from its own thread, keeping what it could not send yet.
     */
    void record(AuditEvent event);
}
