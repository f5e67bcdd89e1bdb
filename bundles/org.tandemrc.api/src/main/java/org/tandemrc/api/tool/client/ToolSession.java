package org.tandemrc.api.tool.client;

import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One remote-management session with a Host. One request runs at a time; calls from several threads
 * wait their turn.
 */
@ProviderType
public interface ToolSession extends AutoCloseable {

    /** The tools the Host offers that this Guest's role may use, sorted by section then title. */
    List<ToolInfo> tools() throws ToolException, InterruptedException;

    /**
     * Runs an operation on the Host. The Host checks the privilege and validates the arguments
     * (required, {@link FieldType#CHOICE} values, number and boolean formats) and answers a
     * {@link ToolException} with a sentence when they are wrong or the tool fails.
     *
     * @param arguments parameter values by {@link Field#name()}
     */
    Result invoke(String toolId, String operationId, Map<String, String> arguments)
            throws ToolException, InterruptedException;

    /** Ends the session; the connection stays open. */
    @Override
    void close();
}
