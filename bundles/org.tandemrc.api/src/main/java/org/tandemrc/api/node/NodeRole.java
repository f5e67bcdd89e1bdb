package org.tandemrc.api.node;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by the bundle that plays a node's role (host, guest, gateway) once it has tried every
 * enabled communication profile. The kernel reads the service properties, not the object, to tell
 * the operator where the node listens and what failed; the properties must match the methods.
 */
@ConsumerType
public interface NodeRole {

    /** Service property: the role, e.g. {@code host}. */
    String ROLE_PROPERTY = "tandem.role";
    /** Service property: {@code String[]} of {@link org.tandemrc.api.comm.Endpoint#address()}es. */
    String LISTENING_PROPERTY = "tandem.listening";
    /** Service property: {@code String[]} of sentences, one per profile that could not listen. */
    String PROBLEMS_PROPERTY = "tandem.problems";

    /**
     * Service property: {@code String[]} of sentences, one per enabled profile that waits for a
     * communication device that is not installed. The kernel treats the role as still starting while
     * this is not empty.
     */
    String WAITING_PROPERTY = "tandem.waiting";

    /**
     * Service property: {@code String[]} of lines the kernel prints when the node is up, each a label
     * and a value, e.g. {@code identity   SHA256:...}.
     */
    String DETAILS_PROPERTY = "tandem.details";

    /**
     * Service property: {@code String[]} with one entry per open endpoint, the profile's name, a tab, and
     * the endpoint's address, e.g. {@code default\ttcp:[::]:6502}; optional, so that
     * {@code tandem admin profiles} can tell which profile listens where.
     */
    String ENDPOINTS_PROPERTY = "tandem.endpoints";

    /** The role. */
    String role();

    /** Where the node listens, as endpoint addresses. */
    List<String> listening();

    /** One sentence per enabled profile that could not listen, naming the profile and the cause. */
    List<String> problems();
}
