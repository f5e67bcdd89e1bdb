package org.tandemrc.tool.disks.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class DisksToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new DisksTool();
    }
}
