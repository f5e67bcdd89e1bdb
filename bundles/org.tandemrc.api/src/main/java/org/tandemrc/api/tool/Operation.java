package org.tandemrc.api.tool;

import java.util.List;
import java.util.Objects;

/**
 * One thing a tool can do, e.g. "list processes" or "stop service".
 *
 * @param id          stable id, used on the wire
 * @param title       what a person sees
 * @param parameters  what the operation takes
 * @param changesHost true when it changes the Host (a front end asks before running it); false for
 *                    read-only operations
 */
public record Operation(String id, String title, List<Field> parameters, boolean changesHost) {

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        parameters = List.copyOf(parameters);
    }
}
