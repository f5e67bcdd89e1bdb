package org.tandemrc.session.tools.internal;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.StreamingTool;

/**
 * The {@code tool-stream} session: one streaming operation of a {@link StreamingTool} (a shell, a followed
 * log, a live table, a tunnel) on a channel of its own. The session needs no privilege of its own: the
 * tool's {@link RemoteTool#requiredPrivilege()} decides (a tunnel needs {@code tunnel}, not remote
 * management), checked with the operation when the Guest opens it; confirm access applies. On a Guest it
 * is opened through {@link org.tandemrc.api.tool.client.RemoteTools#stream}.
 */
@Component(service = SessionType.class)
@TandemSessionType(ToolStreamSessionType.ID)
public class ToolStreamSessionType implements SessionType {

    static final String ID = "tool-stream";

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
        return "Remote tool";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return Set.of();
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (context.side() == Side.GUEST) {
            return ToolsSessionType.refused(context, "a stream on a Guest is opened through the RemoteTools service");
        }
        return new HostStream(context, () -> List.copyOf(tools), new ToolAudit(context, sinks));
    }
}
