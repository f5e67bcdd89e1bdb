package org.tandemrc.tool.inventory.internal;

import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.StreamingTool;

class InventoryToolConformanceTest extends StreamingToolConformance {
    @Override
    protected StreamingTool tool() {
        return new InventoryTool();
    }
}
