package org.tandemrc.tool.inventory.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Inventory: the Host's hardware, its installed software, and the custom items its operator defines, each
 * as a table whose last column is the value and whose other columns name the item, so that a Guest keeps
 * runs and compares them without knowing the tool. Needs the {@code inventory} privilege; changes nothing.
 * The tables are request operations for any front end (in the remote-management session), and all of them
 * at once are the text stream {@code collect} ({@link InventoryText}), which a role with the inventory
 * privilege alone may open: the reference's "Inventory only" role.
 */
@Component(service = RemoteTool.class, configurationPid = InventoryTool.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@TandemToolId(InventoryTool.ID)
public class InventoryTool extends OperationTool implements StreamingTool {

    static final String ID = "inventory";
    static final String PID = "org.tandemrc.tool.inventory";

    /** Each custom item is a key {@code item.NAME} whose value is its command line. */
    static final String ITEM_PREFIX = "item.";
    /** Seconds one custom item's program may run (1..600; 10 by default). */
    static final String TIMEOUT = "timeout";

    static final Operation HARDWARE = new Operation("hardware", "Hardware", List.of(), false);
    static final Operation SOFTWARE = new Operation("software", "Installed software",
            List.of(Field.of("start", "From package number (0 = the first)", FieldType.INTEGER, false)), false);
    static final Operation CUSTOM = new Operation("custom", "Custom items", List.of(), false);
    static final Operation COLLECT = new Operation("collect", "Collect everything", List.of(), false, StreamKind.TEXT);

    private static final List<Field> HARDWARE_COLUMNS = List.of(
            Field.of("category", "Category", FieldType.TEXT, false), Field.of("name", "Name", FieldType.TEXT, false),
            Field.of("value", "Value", FieldType.TEXT, false));
    private static final List<Field> SOFTWARE_COLUMNS = List.of(
            Field.of("package", "Package", FieldType.TEXT, false),
            Field.of("architecture", "Architecture", FieldType.TEXT, false),
            Field.of("version", "Version", FieldType.TEXT, false));
    private static final List<Field> CUSTOM_COLUMNS = List.of(
            Field.of("item", "Item", FieldType.TEXT, false), Field.of("value", "Value", FieldType.TEXT, false));

    private static final String NO_PACKAGES =
            "This Host has neither dpkg-query nor rpm: its installed software cannot be listed";

    /** Collections at once: each runs the package manager and every custom command. */
    static final int MAX_COLLECTING = 4;

    private final Semaphore collecting = new Semaphore(MAX_COLLECTING);
    private final Path root;
    private final Packages packages;
    private volatile CustomItems custom = CustomItems.parse(new String[0], 10);
    private volatile String customProblem;

    public InventoryTool() {
        this(Path.of("/"), Packages.find());
    }

    InventoryTool(Path root, Packages packages) {
        super(ID, "Inventory", "System");
        this.root = root;
        this.packages = packages;
        operation(HARDWARE, arguments -> new Result.Table(HARDWARE_COLUMNS, Hardware.read(root)));
        operation(SOFTWARE, this::software);
        operation(CUSTOM, arguments -> custom());
        operation(COLLECT, arguments -> {
            throw new ToolException("Collect everything is a text stream: open it, e.g. with 'tandem guest inventory'");
        });
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output) throws ToolException {
        if (!operationId.equals(COLLECT.id())) {
            throw new ToolException("Inventory has no streaming operation '" + operationId + "'");
        }
        if (!collecting.tryAcquire()) {
            throw new ToolException("The Host is already collecting " + MAX_COLLECTING + " inventories; try again later");
        }
        AtomicBoolean stopped = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            try {
                collect(output, stopped::get);
            } finally {
                collecting.release();
            }
        }, "tandem-inventory-collect");
        collector.setDaemon(true);
        collector.start();
        return reason -> {
            // The flag holds even where an interrupt is consumed on the way (an interruptible read).
            stopped.set(true);
            collector.interrupt();
        };
    }

    /** Every table, one after the other, then the end with how many items and problems there were. */
    private void collect(ToolStream output, BooleanSupplier stopped) {
        InventoryText text = new InventoryText(output);
        int items = 0;
        int problems = 0;
        try {
            for (Operation op : List.of(HARDWARE, SOFTWARE, CUSTOM)) {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedException("the Guest closed the stream");
                }
                Result.Table table;
                try {
                    table = op == HARDWARE ? new Result.Table(HARDWARE_COLUMNS, Hardware.read(root))
                            : op == SOFTWARE ? softwareAll(stopped) : customTable(stopped);
                } catch (ToolException e) {
                    text.problem(op.id(), op.title(), e.getMessage());
                    problems++;
                    continue;
                }
                text.section(op.id(), op.title(), table.columns().stream().map(Field::label).toList());
                for (List<String> row : table.rows()) {
                    text.row(row);
                }
                items += table.rows().size();
            }
            text.flush();
            output.end(items + " item(s)" + (problems == 0 ? "" : ", " + problems + " table(s) not read"), true);
        } catch (InterruptedException e) {
            output.end("The inventory stopped: " + e.getMessage(), false);
        }
    }

    private Result.Table softwareAll(BooleanSupplier stopped) throws ToolException, InterruptedException {
        Packages p = packages;
        if (p == null) {
            throw new ToolException(NO_PACKAGES);
        }
        return new Result.Table(SOFTWARE_COLUMNS, p.all(stopped));
    }

    /**
     * Reads {@code etc/org.tandemrc.tool.inventory.cfg}: {@code item.NAME = /ABSOLUTE/PROGRAM [ARGUMENT ...]}
     * per custom item (listed by name; arguments split at white space, no shell) and {@code timeout}.
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        try {
            List<String> lines = new ArrayList<>();
            new TreeMap<>(properties).forEach((key, value) -> {
                if (key.startsWith(ITEM_PREFIX)) {
                    lines.add(key.substring(ITEM_PREFIX.length()) + "=" + value);
                }
            });
            Object timeout = properties.get(TIMEOUT);
            int seconds;
            try {
                seconds = timeout == null ? 10 : Integer.parseInt(timeout.toString().strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timeout is a number of seconds, not '" + timeout + "'");
            }
            custom(CustomItems.parse(lines.toArray(String[]::new), seconds));
        } catch (IllegalArgumentException e) {
            // A wrong line refuses the custom items (never half of them) and leaves hardware and software working.
            custom = null;
            customProblem = "The Host's custom inventory items are misconfigured: " + e.getMessage();
        }
    }

    @Override
    public Privilege requiredPrivilege() {
        return Privilege.INVENTORY;
    }

    private Result software(Map<String, String> arguments) throws ToolException {
        Packages p = packages;
        if (p == null) {
            throw new ToolException(NO_PACKAGES);
        }
        int start;
        try {
            String s = arguments.get("start");
            start = s == null || s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            start = -1;
        }
        if (start < 0) {
            throw new ToolException("The start is a package number from 0, not '" + arguments.get("start") + "'");
        }
        try {
            return new Result.Table(SOFTWARE_COLUMNS, p.page(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("The software inventory was interrupted");
        }
    }

    private Result custom() throws ToolException {
        try {
            return customTable(() -> false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("The custom items were interrupted");
        }
    }

    private Result.Table customTable(BooleanSupplier stopped) throws ToolException, InterruptedException {
        CustomItems items = custom;
        if (items == null) {
            throw new ToolException(customProblem);
        }
        return new Result.Table(CUSTOM_COLUMNS, items.rows(stopped));
    }

    void custom(CustomItems items) {
        customProblem = null;
        custom = items;
    }
}
