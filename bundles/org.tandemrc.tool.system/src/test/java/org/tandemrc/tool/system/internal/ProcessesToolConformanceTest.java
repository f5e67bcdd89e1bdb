package org.tandemrc.tool.system.internal;

import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.StreamingTool;

class ProcessesToolConformanceTest extends StreamingToolConformance {
    @Override
    protected StreamingTool tool() {
        return new ProcessesTool();
    }
}
