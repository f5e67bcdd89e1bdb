package org.tandemrc.api.tool;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link RemoteTool} with streaming operations (those whose {@link Operation#stream()} is set). It is
 * registered as a {@link RemoteTool} service like any tool; the tools session sees that it also
 * streams. {@link #invoke} is never called with a streaming operation.
 */
@ConsumerType
public interface StreamingTool extends RemoteTool {

    /**
     * Starts a streaming operation. The caller has checked the Guest's privilege and validated the
     * arguments, as for {@link #invoke}. It may take a moment (start a process, connect a socket) but
     * returns once the stream runs: the output goes to {@code output} from the tool's own threads, and
     * the returned input gets what the Guest sends and, once, the end.
     *
     * @param operationId one of {@link #operations()}' streaming ids
     * @param arguments   parameter values by {@link Field#name()}
     * @param output      where the output goes; the tool ends it with {@link ToolStream#end}
     * @return what receives the Guest's input and the stream's end
     * @throws ToolException when the operation cannot start; nothing is left running
     */
    StreamInput open(String operationId, Map<String, String> arguments, ToolStream output) throws ToolException;
}
