package org.tandemrc.tool.wake.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class WakeToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new WakeTool();
    }
}
