package org.tandemrc.itest.plugins.beta;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.itest.plugins.common.HelloTool;

/**
 * Test-only plugin "beta" (v1), a Declarative Services component. Lives in test sources and is packaged
 * into its own bundle by {@code org.tandemrc.itest.PluginBundles} at test time; never shipped.
 * Beta is the plugin that must never be disturbed while alpha is swapped.
 */
@Component(service = RemoteTool.class, immediate = true, property = RemoteTool.ID_PROPERTY + "=beta")
public class BetaTool extends HelloTool {

    /** What {@code hello} answers. */
    public static final String MESSAGE = "beta v1";

    public BetaTool() {
        super("beta", MESSAGE);
    }
}
