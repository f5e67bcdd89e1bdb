package org.tandemrc.tool.power.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class PowerToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new PowerTool();
    }
}
