package org.tandemrc.session.tools.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.ToolException;

/**
 * The Host's tools as one Guest's session sees them: the first registered tool of each id, those its
 * privileges allow, and a request checked against them (tool, privilege, operation, arguments) for both
 * the request/answer session and streams.
 */
final class Catalog {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.tools");

    /** A request the Guest may make, with its arguments as the tool gets them. */
    record Call(RemoteTool tool, Operation operation, Map<String, String> arguments, String detail) {
    }

    private final SessionContext context;
    private final Supplier<List<RemoteTool>> tools;
    private final HostTools.Audit audit;

    Catalog(SessionContext context, Supplier<List<RemoteTool>> tools, HostTools.Audit audit) {
        this.context = context;
        this.tools = tools;
        this.audit = audit;
    }

    /** Every tool by id, the first of each id, whether permitted or not. */
    Map<String, RemoteTool> all() {
        Map<String, RemoteTool> out = new LinkedHashMap<>();
        for (RemoteTool t : tools.get()) {
            try {
                out.putIfAbsent(t.id(), t);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a remote tool has no id", e);
            }
        }
        return out;
    }

    Map<String, RemoteTool> permitted() {
        Map<String, RemoteTool> out = all();
        out.values().removeIf(t -> !allowed(t));
        return out;
    }

    boolean allowed(RemoteTool t) {
        try {
            return context.privileges().contains(t.requiredPrivilege());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Checks a request: the tool exists and the role allows it (a refusal is audited), the operation exists,
     * the arguments fit its parameters.
     */
    Call check(String toolId, String operationId, Map<String, String> given) throws ToolException {
        RemoteTool tool = all().get(toolId);
        if (tool == null) {
            throw new ToolException("this Host has no tool '" + toolId + "'");
        }
        if (!allowed(tool)) {
            audit.refused(context.guestName(), "role may not use " + tool.title());
            throw new ToolException("your role does not allow " + tool.title());
        }
        Optional<Operation> found = tool.operations().stream().filter(o -> o.id().equals(operationId)).findFirst();
        if (found.isEmpty()) {
            throw new ToolException(tool.title() + " has no operation '" + operationId + "'");
        }
        Operation operation = found.get();
        Map<String, String> arguments = Arguments.validate(tool.title(), operation, given);
        String detail = tool.id() + " " + operation.id()
                + (arguments.isEmpty() ? "" : " " + Arguments.describe(operation, arguments));
        return new Call(tool, operation, arguments, detail);
    }
}
