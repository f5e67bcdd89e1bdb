package org.tandemrc.api.tool;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.tandemrc.api.security.Privilege;

/**
 * A remote management tool on the Host: processes, services, event log, disks, users and groups,
 * registry, shared folders, command console, system control, or a third party's own. Registered as a
 * service with {@value #ID_PROPERTY}; a Guest lists tools and operations and renders the results
 * without knowing the tool.
 */
@ConsumerType
public interface RemoteTool {

    /** Service property carrying {@link #id()}. */
    String ID_PROPERTY = "tandem.tool.id";

    /** Stable id, e.g. {@code processes}. */
    String id();

    /** What a person sees, e.g. "Task Manager". */
    String title();

    /** The group the tool is listed under, e.g. "System". */
    String section();

    /** The privilege a Guest needs to use the tool at all, usually {@link Privilege#REMOTE_MANAGEMENT}. */
    default Privilege requiredPrivilege() {
        return Privilege.REMOTE_MANAGEMENT;
    }

    /** The operations offered. */
    List<Operation> operations();

    /**
     * Runs one operation on the Host. The caller has checked the Guest's privilege and validated the
     * arguments against the operation's parameters.
     *
     * @param operationId one of {@link #operations()}' ids
     * @param arguments   parameter values by {@link Field#name()}
     * @throws ToolException when the operation fails
     */
    Result invoke(String operationId, Map<String, String> arguments) throws ToolException;
}
