package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
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
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.StreamListener;
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
            return refused(context, "remote management on a Guest is opened through the RemoteTools service");
        }
        return new HostTools(context, () -> List.copyOf(tools), new ToolAudit(context, sinks));
    }

    /** Closes a session opened where it has no business, with a handler that ignores what still comes. */
    static SessionHandler refused(SessionContext context, String why) {
        context.channel().close(why);
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

    @Override
    public ToolSession open(HostConnection connection) throws GuestException, InterruptedException {
        GuestTools session = new GuestTools(ANSWER_TIMEOUT_MILLIS);
        SessionContext context = connection.open(ID, ChannelPriority.CONTROL, List.of(), c -> session);
        session.attach(context.channel());
        return session;
    }

    @Override
    public OpenStream stream(HostConnection connection, String toolId, String operationId, StreamKind kind,
            Map<String, String> arguments, StreamListener listener)
            throws GuestException, ToolException, InterruptedException {
        GuestStream stream = new GuestStream(kind, listener);
        SessionContext context = connection.open(ToolStreamSessionType.ID, priority(kind), List.of(), c -> stream);
        stream.start(context.channel(), toolId, operationId, arguments, ANSWER_TIMEOUT_MILLIS);
        return stream;
    }

    /** A terminal's keys overtake bulk data; a tunnel's bytes are bulk data; what is shown, a screen's. */
    static ChannelPriority priority(StreamKind kind) {
        return switch (kind) {
            case TERMINAL -> ChannelPriority.INPUT;
            case TEXT, TABLE -> ChannelPriority.SCREEN;
            case BYTES -> ChannelPriority.BULK;
        };
    }
}
