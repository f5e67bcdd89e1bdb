package org.tandemrc.itest.plugins.alpha.v2;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.itest.plugins.common.HelloTool;

/**
 * Test-only plugin "alpha" (v2), a Declarative Services component. Lives in test sources and is packaged
 * into its own bundle by {@code org.tandemrc.itest.PluginBundles} at test time; never shipped.
 * Version 2 of alpha: same bundle, new code, replaces v1 in place.
 */
@Component(service = RemoteTool.class, immediate = true, property = RemoteTool.ID_PROPERTY + "=alpha")
public class AlphaTool extends HelloTool {

    /** What {@code hello} answers. */
    public static final String MESSAGE = "alpha v2";

    /** How long activation takes. */
    public static final long STARTUP_MILLIS = 200;

    public AlphaTool() {
        super("alpha", MESSAGE);
    }

    @Activate
    @Override
    protected void activate() {
        // Starts slowly on purpose, so the swap has a window of known length in which the other
        // plugin must keep serving.
        try {
            Thread.sleep(STARTUP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.activate();
    }
}
