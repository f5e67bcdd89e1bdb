package org.tandemrc.toolkit.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ConsumerType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * A {@link RemoteTool} whose operations are methods: the constructor names the tool, and
 * {@link #operation} lists each {@link Operation} with the method that runs it, in the order a front end
 * shows them. {@link #invoke} runs the operation's method, and refuses an id it does not know with a
 * {@link ToolException} that names the id.
 *
 * <pre>{@code
 * @Component(service = RemoteTool.class)
 * @TandemToolId(UptimeTool.ID)
 * public class UptimeTool extends OperationTool {
 *     static final String ID = "uptime";
 *     public UptimeTool() {
 *         super(ID, "Uptime", "System");
 *         operation(new Operation("show", "Show", List.of(), false), arguments -> show());
 *     }
 *     ...
 * }
 * }</pre>
 */
@ConsumerType
public abstract class OperationTool implements RemoteTool {

    /** Runs one operation with its arguments, which the tools session checked against its parameters. */
    @FunctionalInterface
    public interface Action {
        Result run(Map<String, String> arguments) throws ToolException;
    }

    private final String id;
    private final String title;
    private final String section;
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private final Map<String, Action> actions = new LinkedHashMap<>();

    protected OperationTool(String id, String title, String section) {
        this.id = Objects.requireNonNull(id, "id");
        this.title = Objects.requireNonNull(title, "title");
        this.section = Objects.requireNonNull(section, "section");
    }

    /**
     * Offers {@code operation}, run by {@code action}. Call it from the constructor only: the list a Guest
     * sees must not change while the tool is registered.
     *
     * @throws IllegalArgumentException when the tool already has an operation with that id
     */
    protected final void operation(Operation operation, Action action) {
        Objects.requireNonNull(action, "action");
        if (operations.putIfAbsent(operation.id(), operation) != null) {
            throw new IllegalArgumentException(title + " already has an operation '" + operation.id() + "'");
        }
        actions.put(operation.id(), action);
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final String section() {
        return section;
    }

    @Override
    public final List<Operation> operations() {
        return List.copyOf(operations.values());
    }

    @Override
    public final Result invoke(String operationId, Map<String, String> arguments) throws ToolException {
        Action action = actions.get(operationId);
        if (action == null) {
            throw new ToolException(title + " has no operation '" + operationId + "'");
        }
        return action.run(arguments);
    }
}
