package org.tandemrc.tool.tunnel.internal;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.StreamingTool;

/** The suite opens a tunnel to a server that sends more than a window at once, and input it echoes. */
class TunnelToolConformanceTest extends StreamingToolConformance {

    private static Destination destination;

    @BeforeAll
    static void start() throws Exception {
        destination = new Destination(6 * 1024 * 1024);
    }

    @AfterAll
    static void stop() throws Exception {
        destination.close();
    }

    @Override
    protected StreamingTool tool() {
        TunnelTool tool = new TunnelTool();
        // RecordingStream's Guest has the role Helpdesk.
        tool.configure(Map.of("Helpdesk", "127.0.0.1:" + destination.port(), "listen.Helpdesk", "127.0.0.1:*"));
        return tool;
    }

    @Override
    protected Map<String, String> arguments(Operation operation) {
        if (operation.id().equals(TunnelTool.ACCEPT.id())) {
            // Listens on a free port: nobody connects, so the suite sees a stream that waits and stops when closed.
            return Map.of("port", Integer.toString(TunnelToolTest.freePort()));
        }
        return Map.of("host", "127.0.0.1", "port", Integer.toString(destination.port()));
    }

    @Override
    protected byte[] input(Operation operation) {
        return operation.id().equals(TunnelTool.ACCEPT.id()) ? new byte[0] : "echo me".getBytes();
    }
}
