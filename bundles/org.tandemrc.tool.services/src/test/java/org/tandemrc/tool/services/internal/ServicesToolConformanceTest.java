package org.tandemrc.tool.services.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class ServicesToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new ServicesTool();
    }
}
