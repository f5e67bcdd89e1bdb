package org.tandemrc.tool.services.internal;

import java.util.List;

import org.tandemrc.api.tool.ToolException;

/** The Host's service manager: systemd or SysV init. */
interface ServiceManager {

    /** What a service does now and whether it starts at boot, as the manager words it. */
    record Service(String name, String state, String boot, String description) {
    }

    /** What a Guest may do to a service. */
    enum Action {
        START("start", "started"), STOP("stop", "stopped"), RESTART("restart", "restarted"),
        ENABLE("enable", "enabled (starts at boot)"), DISABLE("disable", "disabled (does not start at boot)");

        final String verb;
        final String done;

        Action(String verb, String done) {
            this.verb = verb;
            this.done = done;
        }
    }

    /** "systemd" or "SysV init", for sentences. */
    String kind();

    /** The services, sorted by name. */
    List<Service> list() throws ToolException;

    /**
     * Does {@code action} to the service {@code name} (checked against {@link ServicesTool#NAME}).
     *
     * @return a sentence saying what changed
     * @throws ToolException when there is no such service or the manager refused, with its words
     */
    String act(String name, Action action) throws ToolException;
}
