package org.tandemrc.tool.inventory.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class InventoryToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new InventoryTool();
    }
}
