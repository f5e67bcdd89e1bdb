package org.tandemrc.api.tool;

import java.util.List;
import java.util.Objects;

/**
 * One thing a tool can do, e.g. "list processes" or "stop service".
 *
 * <p>Row actions come from names: a front end offers an operation with {@code changesHost} on each row of
 * a table its tool returned when every required parameter of the operation is a column of that table with
 * the same {@link Field#name()} (and at least one parameter is). The row's values are the arguments;
 * parameters without a column stay unset. So a tool gets "End process" on each process's row by naming its
 * table's column {@code pid} like the parameter of its operation {@code end}; the browser console does
 * this, and asks before running it, naming the row.
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
