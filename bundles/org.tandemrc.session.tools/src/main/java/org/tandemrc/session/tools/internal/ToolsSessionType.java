package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.ToolSession;

/**
 * The {@code tools} session (Remote Management). On a Host it offers the {@link RemoteTool} services
 * registered there, as they come and go, to a Guest whose role has {@link Privilege#REMOTE_MANAGEMENT}
 * (the Host core enforces that; each tool's own {@link RemoteTool#requiredPrivilege()} is checked
 * here); confirm access applies. Each operation that changes the Host is recorded as an audit event
 * ({@value EventCodes#TANDEM_TOOL_OPERATION}). On a Guest it is used through {@link RemoteTools}.
 */
@Component(service = {SessionType.class, RemoteTools.class})
@TandemSessionType(ToolsSessionType.ID)
public class ToolsSessionType implements SessionType, RemoteTools {

    static final String ID = "tools";
    /** How long a Guest waits for the Host's answer to one request. */
    static final long ANSWER_TIMEOUT_MILLIS = 60_000;

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<RemoteTool> tools = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<EventSink> sinks = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Remote Management";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return EnumSet.of(Privilege.REMOTE_MANAGEMENT);
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (context.side() == Side.GUEST) {
            context.channel().close("remote management on a Guest is opened through the RemoteTools service");
            return new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                    // the session is closing
                }

                @Override
                public void closed(String reason) {
                    // nothing held
                }
            };
        }
        return new HostTools(context, () -> List.copyOf(tools), new HostTools.Audit() {
            @Override
            public void operation(String guest, String detail, boolean ok) {
                record(context, EventCodes.TANDEM_TOOL_OPERATION, ok ? Severity.INFO : Severity.WARNING, guest,
                        ok ? detail : "failed: " + detail);
            }

            @Override
            public void refused(String guest, String detail) {
                record(context, EventCodes.TANDEM_PRIVILEGE_REFUSED, Severity.SECURITY, guest, detail);
            }
        });
    }

    private void record(SessionContext context, String code, Severity severity, String guest, String detail) {
        AuditEvent event = new AuditEvent(Instant.now(), code, severity, context.hostName(), context.peerAddress(),
                guest, detail);
        for (EventSink sink : sinks) {
            try {
                sink.record(event);
            } catch (RuntimeException e) {
                System.getLogger("org.tandemrc.session.tools").log(System.Logger.Level.WARNING,
                        "an event sink failed", e);
            }
        }
    }

    @Override
    public ToolSession open(HostConnection connection) throws GuestException, InterruptedException {
        GuestTools session = new GuestTools(ANSWER_TIMEOUT_MILLIS);
        SessionContext context = connection.open(ID, ChannelPriority.CONTROL, List.of(), c -> session);
        session.attach(context.channel());
        return session;
    }
}
