package org.tandemrc.itest.plugins.alpha.v1;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.itest.plugins.common.HelloTool;

/**
 * Test-only plugin "alpha" (v1), a Declarative Services component. Lives in test sources and is packaged
 * into its own bundle by {@code org.tandemrc.itest.PluginBundles} at test time; never shipped.
 */
@Component(service = RemoteTool.class, immediate = true, property = RemoteTool.ID_PROPERTY + "=alpha")
public class AlphaTool extends HelloTool {

    /** What {@code hello} answers. */
    public static final String MESSAGE = "alpha v1";

    public AlphaTool() {
        super("alpha", MESSAGE);
    }
}
