package org.tandemrc.session.tools.internal;

import java.time.Instant;
import java.util.List;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.session.SessionContext;

/**
 * Records the tools' events of one session on the Host: each operation that changes the Host
 * ({@value EventCodes#TANDEM_TOOL_OPERATION}) and each tool a role may not use.
 */
final class ToolAudit implements HostTools.Audit {

    private final SessionContext context;
    private final List<EventSink> sinks;

    ToolAudit(SessionContext context, List<EventSink> sinks) {
        this.context = context;
        this.sinks = sinks;
    }

    @Override
    public void operation(String guest, String detail, boolean ok) {
        record(EventCodes.TANDEM_TOOL_OPERATION, ok ? Severity.INFO : Severity.WARNING, guest, ok ? detail : "failed: " + detail);
    }

    @Override
    public void refused(String guest, String detail) {
        record(EventCodes.TANDEM_PRIVILEGE_REFUSED, Severity.SECURITY, guest, detail);
    }

    private void record(String code, Severity severity, String guest, String detail) {
        AuditEvent event = new AuditEvent(Instant.now(), code, severity, context.hostName(), context.peerAddress(),
                guest, detail);
        for (EventSink sink : sinks) {
            try {
                sink.record(event);
            } catch (RuntimeException e) {
                System.getLogger("org.tandemrc.session.tools").log(System.Logger.Level.WARNING, "an event sink failed", e);
            }
        }
    }
}
