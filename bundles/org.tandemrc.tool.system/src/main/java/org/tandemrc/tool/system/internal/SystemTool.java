package org.tandemrc.tool.system.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.Result;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * System Information: the Host's name, operating system, processors, uptime (where {@code /proc/uptime}
 * tells it), the Java runtime the node runs on, its memory, and the user the node runs as.
 */
@Component(service = RemoteTool.class)
@TandemToolId(SystemTool.ID)
public class SystemTool extends OperationTool {

    static final String ID = "system";
    static final Operation SHOW = new Operation("show", "Show", List.of(), false);

    public SystemTool() {
        super(ID, "System Information", "System");
        operation(SHOW, arguments -> show(Path.of("/proc/uptime")));
    }

    static Result.Form show(Path procUptime) {
        List<Field> fields = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        put(fields, values, Field.of("host", "Host name", FieldType.TEXT, false), hostName());
        put(fields, values, Field.of("os.name", "Operating system", FieldType.TEXT, false),
                System.getProperty("os.name"));
        put(fields, values, Field.of("os.version", "OS version", FieldType.TEXT, false),
                System.getProperty("os.version"));
        put(fields, values, Field.of("os.arch", "Architecture", FieldType.TEXT, false),
                System.getProperty("os.arch"));
        put(fields, values, Field.of("processors", "Processors", FieldType.INTEGER, false),
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        String uptime = uptime(procUptime);
        if (uptime != null) {
            put(fields, values, Field.of("uptime", "Uptime", FieldType.TEXT, false), uptime);
        }
        put(fields, values, Field.of("jvm", "Java runtime", FieldType.TEXT, false),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version",
                        System.getProperty("java.version")));
        put(fields, values, Field.of("memory.total", "Node memory (total)", FieldType.BYTES, false),
                Long.toString(Runtime.getRuntime().totalMemory()));
        put(fields, values, Field.of("memory.free", "Node memory (free)", FieldType.BYTES, false),
                Long.toString(Runtime.getRuntime().freeMemory()));
        put(fields, values, Field.of("user", "Node user", FieldType.TEXT, false), System.getProperty("user.name"));
        return new Result.Form(fields, values);
    }

    private static void put(List<Field> fields, Map<String, String> values, Field field, String value) {
        fields.add(field);
        values.put(field.name(), value == null ? "" : value);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }

    /** {@code /proc/uptime}'s first number as "D d HH:MM:SS"; null when it cannot be read. */
    static String uptime(Path procUptime) {
        try {
            String first = Files.readString(procUptime).trim().split("\\s+")[0];
            long s = (long) Double.parseDouble(first);
            if (s < 0) {
                return null;
            }
            return String.format("%d d %02d:%02d:%02d", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
