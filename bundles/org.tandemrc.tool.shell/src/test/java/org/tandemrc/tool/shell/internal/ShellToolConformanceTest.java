package org.tandemrc.tool.shell.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.StreamingTool;

class ShellToolConformanceTest extends StreamingToolConformance {

    @Override
    protected StreamingTool tool() {
        return new ShellTool(ShellToolTest.SH, ShellToolTest.SETSID);
    }

    /** The shell changes the Host, so the suite opens it only when told to; it prints and ends. */
    @Override
    protected Map<String, String> arguments(Operation operation) {
        return Map.of();
    }

    @Override
    protected byte[] input(Operation operation) {
        return "seq 1 20000; exit 0\n".getBytes(StandardCharsets.UTF_8);
    }
}
