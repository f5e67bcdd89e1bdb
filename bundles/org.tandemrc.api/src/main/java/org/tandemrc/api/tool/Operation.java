package org.tandemrc.api.tool;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

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
 * <p>An operation with a {@link #stream()} kind is a streaming one: it is not invoked but opened
 * ({@link StreamingTool#open}), and runs on its own channel with flow control until either side ends it —
 * a shell, a followed log, a live table, a tunnel. Its kind tells a front end that has never seen the tool
 * how to show it.
 *
 * @param id          stable id, used on the wire
 * @param title       what a person sees
 * @param parameters  what the operation takes
 * @param changesHost true when it changes the Host (a front end asks before running it); false for
 *                    read-only operations
 * @param stream      how a streaming operation's output is shown; null for a request with one result
 */
public record Operation(String id, String title, List<Field> parameters, boolean changesHost,
        @Nullable StreamKind stream) {

    public Operation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        parameters = List.copyOf(parameters);
    }

    /** A request with one result (a table, a form or a message). */
    public Operation(String id, String title, List<Field> parameters, boolean changesHost) {
        this(id, title, parameters, changesHost, null);
    }

    /** Whether the operation is opened as a stream rather than invoked. */
    public boolean streams() {
        return stream != null;
    }
}
