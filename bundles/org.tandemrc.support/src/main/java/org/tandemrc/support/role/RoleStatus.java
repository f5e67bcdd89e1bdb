package org.tandemrc.support.role;

import java.util.List;

/**
 * What a role tells the kernel, as the {@link org.tandemrc.api.node.NodeRole} service properties carry it.
 *
 * @param listening endpoint addresses
 * @param problems  one sentence per profile or setting that failed
 * @param waiting   one sentence per enabled profile whose device is not installed
 * @param details   label-and-value lines printed when the node is up
 * @param endpoints one {@code PROFILE\tADDRESS} entry per open endpoint (may be empty)
 */
public record RoleStatus(List<String> listening, List<String> problems, List<String> waiting,
        List<String> details, List<String> endpoints) {

    public RoleStatus {
        listening = List.copyOf(listening);
        problems = List.copyOf(problems);
        waiting = List.copyOf(waiting);
        details = List.copyOf(details);
        endpoints = List.copyOf(endpoints);
    }

    /** A role that listens on nothing yet and has nothing to report. */
    public static RoleStatus empty() {
        return new RoleStatus(List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
