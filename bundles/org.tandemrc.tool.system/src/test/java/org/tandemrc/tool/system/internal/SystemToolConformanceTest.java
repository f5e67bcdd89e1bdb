package org.tandemrc.tool.system.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class SystemToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new SystemTool();
    }
}
