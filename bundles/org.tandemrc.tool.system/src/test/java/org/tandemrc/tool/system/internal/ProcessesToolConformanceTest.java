package org.tandemrc.tool.system.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class ProcessesToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new ProcessesTool();
    }
}
