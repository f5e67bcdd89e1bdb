package org.tandemrc.tool.command.internal;

import java.util.Map;

import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.StreamingTool;

class CommandToolConformanceTest extends StreamingToolConformance {
    @Override
    protected StreamingTool tool() {
        return new CommandTool();
    }

    /** Far more output than a window (4 MiB), so the suite sees whether the tool waits for the Guest. */
    @Override
    protected Map<String, String> arguments(Operation operation) {
        return Map.of("command", "head -c 20000000 /dev/zero | tr '\\0' x");
    }
}
