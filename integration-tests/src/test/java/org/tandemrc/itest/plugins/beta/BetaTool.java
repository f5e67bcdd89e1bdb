package org.tandemrc.itest.plugins.beta;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * Test-only plugin "beta" (v1), a Declarative Services component. Lives in test sources and is packaged
 * into its own bundle by {@code org.tandemrc.itest.PluginBundles} at test time; never shipped.
 * Beta is the plugin that must never be disturbed while alpha is swapped.
 */
@Component(service = RemoteTool.class, immediate = true, property = RemoteTool.ID_PROPERTY + "=beta")
public class BetaTool implements RemoteTool {

    /** What {@code hello} answers. */
    public static final String MESSAGE = "beta v1";

    private volatile boolean active;

    @Activate
    void activate() {
        active = true;
    }

    @Deactivate
    void deactivate() {
        active = false;
    }

    @Override
    public String id() {
        return "beta";
    }

    @Override
    public String title() {
        return "Test plugin beta";
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
            throw new ToolException(MESSAGE + " is not active");
        }
        if (!"hello".equals(operationId)) {
            throw new ToolException("unknown operation " + operationId);
        }
        return new Result.Message(MESSAGE);
    }
}
