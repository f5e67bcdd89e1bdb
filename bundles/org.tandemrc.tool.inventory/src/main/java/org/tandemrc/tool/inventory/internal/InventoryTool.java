package org.tandemrc.tool.inventory.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Inventory: the Host's hardware, its installed software, and the custom items its operator defines, each
 * as a table whose last column is the value and whose other columns name the item, so that a Guest keeps
 * runs and compares them without knowing the tool. Needs the {@code inventory} privilege; changes nothing.
 */
@Component(service = RemoteTool.class, configurationPid = InventoryTool.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = InventoryTool.Config.class)
@TandemToolId(InventoryTool.ID)
public class InventoryTool extends OperationTool {

    static final String ID = "inventory";
    static final String PID = "org.tandemrc.tool.inventory";

    @ObjectClassDefinition(name = "Tandem inventory", description = "The custom items of the Host's inventory")
    public @interface Config {
        @AttributeDefinition(description = "Custom items, each NAME=/ABSOLUTE/PROGRAM [ARGUMENT ...] (no shell;"
                + " arguments split at white space); the program's output is the item's value")
        String[] items() default {};

        @AttributeDefinition(description = "How long one custom item's program may run, in seconds (1..600)")
        int timeoutSeconds() default 10;
    }

    static final Operation HARDWARE = new Operation("hardware", "Hardware", List.of(), false);
    static final Operation SOFTWARE = new Operation("software", "Installed software",
            List.of(Field.of("start", "From package number (0 = the first)", FieldType.INTEGER, false)), false);
    static final Operation CUSTOM = new Operation("custom", "Custom items", List.of(), false);

    private static final List<Field> HARDWARE_COLUMNS = List.of(
            Field.of("category", "Category", FieldType.TEXT, false), Field.of("name", "Name", FieldType.TEXT, false),
            Field.of("value", "Value", FieldType.TEXT, false));
    private static final List<Field> SOFTWARE_COLUMNS = List.of(
            Field.of("package", "Package", FieldType.TEXT, false),
            Field.of("architecture", "Architecture", FieldType.TEXT, false),
            Field.of("version", "Version", FieldType.TEXT, false));
    private static final List<Field> CUSTOM_COLUMNS = List.of(
            Field.of("item", "Item", FieldType.TEXT, false), Field.of("value", "Value", FieldType.TEXT, false));

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
    }

    @Activate
    @Modified
    void configure(Config config) {
        try {
            custom(CustomItems.parse(config.items(), config.timeoutSeconds()));
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
            throw new ToolException("This Host has neither dpkg-query nor rpm: its installed software cannot be listed");
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
        CustomItems items = custom;
        if (items == null) {
            throw new ToolException(customProblem);
        }
        try {
            return new Result.Table(CUSTOM_COLUMNS, items.rows());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("The custom items were interrupted");
        }
    }

    void custom(CustomItems items) {
        customProblem = null;
        custom = items;
    }
}
