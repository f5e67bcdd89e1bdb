package org.tandemrc.tool.services.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Services: the Host's services with their state and whether they start at boot; start, stop, restart,
 * enable and disable one. Through systemd where it runs the machine ({@code /run/systemd/system} exists, as
 * sd_booted(3) tests), else through SysV init scripts; where neither is there, every operation refuses and
 * says so.
 */
@Component(service = RemoteTool.class)
@TandemToolId(ServicesTool.ID)
public class ServicesTool extends OperationTool {

    static final String ID = "services";
    /**
     * A service name as a Guest may give it: letters, digits and {@code _ . @ : + -}, not starting with a
     * dash or dot (never an option to the program, never a path).
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@:+-]{0,127}");

    static final Field NAME_FIELD = Field.of("name", "Service", FieldType.TEXT, true);
    static final List<Field> COLUMNS = List.of(Field.of("name", "Service", FieldType.TEXT, false), Field.of("state", "State", FieldType.TEXT, false),
            Field.of("boot", "At boot", FieldType.TEXT, false), Field.of("description", "Description", FieldType.TEXT, false));

    private final ServiceManager manager;
    private final String missing;

    public ServicesTool() {
        this(detect(), "this Host has neither systemd (systemctl) nor SysV init scripts (service, update-rc.d)");
    }

    ServicesTool(ServiceManager manager, String missing) {
        super(ID, "Services", "System");
        this.manager = manager;
        this.missing = missing;
        operation(new Operation("list", "List services", List.of(), false), arguments -> list());
        for (ServiceManager.Action a : ServiceManager.Action.values()) {
            String title = Character.toUpperCase(a.verb.charAt(0)) + a.verb.substring(1) + " service";
            operation(new Operation(a.verb, title, List.of(NAME_FIELD), true), arguments -> act(arguments.get("name"), a));
        }
    }

    /** systemd where it booted the machine, else SysV init where its programs are; null where neither. */
    static ServiceManager detect() {
        if (Files.isDirectory(Path.of("/run/systemd/system"))) {
            var systemctl = Commands.find("/usr/bin/systemctl", "/bin/systemctl");
            if (systemctl.isPresent()) {
                return new SystemdServices(systemctl.get(), null);
            }
        }
        var service = Commands.find("/usr/sbin/service", "/sbin/service");
        var updateRcD = Commands.find("/usr/sbin/update-rc.d", "/sbin/update-rc.d");
        if (service.isPresent() && updateRcD.isPresent() && Files.isDirectory(Path.of("/etc/init.d"))) {
            return new SysvServices(Path.of("/etc/init.d"), Path.of("/etc"), service.get(), updateRcD.get());
        }
        return null;
    }

    private ServiceManager manager() throws ToolException {
        if (manager == null) {
            throw new ToolException(missing);
        }
        return manager;
    }

    Result.Table list() throws ToolException {
        return new Result.Table(COLUMNS, manager().list().stream()
                .map(s -> List.of(s.name(), s.state(), s.boot(), s.description())).toList());
    }

    Result.Message act(String name, ServiceManager.Action action) throws ToolException {
        if (name == null || !NAME.matcher(name).matches()) {
            // Not echoed: a name that is not one may carry anything, control characters included.
            throw new ToolException("that is not a service name (letters, digits and _ . @ : + -, at most 128,"
                    + " not starting with a dot or dash)");
        }
        return new Result.Message(manager().act(name, action));
    }
}
