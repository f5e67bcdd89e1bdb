package org.tandemrc.itest.plugins.common;

import java.util.List;
import java.util.Map;

import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * What the test plugins share: one operation, {@code hello}, that answers which plugin and version runs,
 * and refuses once the instance is deactivated. Each plugin bundle carries its own copy of this package
 * ({@code org.tandemrc.itest.PluginBundles}), so swapping one plugin never touches another's classes.
 * Declarative Services finds {@code activate} and {@code deactivate} here by their default names.
 */
public abstract class HelloTool implements RemoteTool {

    private final String id;
    private final String message;
    private volatile boolean active;

    protected HelloTool(String id, String message) {
        this.id = id;
        this.message = message;
    }

    protected void activate() {
        active = true;
    }

    protected void deactivate() {
        active = false;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return "Test plugin " + id;
    }

    @Override
    public String section() {
        return "Test";
    }

    @Override
    public List<Operation> operations() {
        return List.of(new Operation("hello", "Say which plugin and version answers", List.of(), false));
    }

    @Override
    public Result invoke(String operationId, Map<String, String> arguments) throws ToolException {
        if (!active) {
            // A caller still holding a deactivated instance must notice.
            throw new ToolException(message + " is not active");
        }
        if (!"hello".equals(operationId)) {
            throw new ToolException("unknown operation " + operationId);
        }
        return new Result.Message(message);
    }
}
