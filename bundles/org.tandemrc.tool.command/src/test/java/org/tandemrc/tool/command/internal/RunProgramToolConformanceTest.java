package org.tandemrc.tool.command.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class RunProgramToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new RunProgramTool(null);
    }
}
