package org.tandemrc.itest.plugins.alpha.v1;

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
 * Test-only plugin "alpha" (v1), a Declarative Services component. Lives in test sources and is packaged
 * into its own bundle by {@code org.tandemrc.itest.PluginBundles} at test time; never shipped.
 */
@Component(service = RemoteTool.class, immediate = true, property = RemoteTool.ID_PROPERTY + "=alpha")
public class AlphaTool implements RemoteTool {

    /** What {@code hello} answers. */
    public static final String MESSAGE = "alpha v1";

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
        return "alpha";
    }

    @Override
    public String title() {
        return "Test plugin alpha";
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
