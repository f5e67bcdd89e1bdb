package org.tandemrc.tool.shares.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.host.MaintenancePassword;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Shared Folders: the folders file transfer shares with Guests ({@code shares} of {@code etc/org.tandemrc.files.cfg})
 * listed, added, pointed elsewhere and removed from a Guest with remote management. Every change needs the
 * Host's maintenance password when it has one. A share may not be the whole file system, nor hold or lie
 * in the node's own home (its keys, passwords and settings): a share there would let file transfer rewrite
 * who may connect.
 */
@Component(service = RemoteTool.class)
@TandemToolId(SharesTool.ID)
public class SharesTool extends OperationTool {

    static final String ID = "shares";
    /** At most this many shares: a list a person reads. */
    static final int MAX_SHARES = 100;
    static final int MAX_PATH = 4096;
    /** What Guests see as /NAME: plain, and nothing the setting's NAME=PATH, comma list could misread. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
    /** Characters a path may not hold: the setting's separators, escapes and FileInstall's ${...} substitution. */
    static final Pattern BAD_PATH = Pattern.compile("[,\\\\${}\"\\p{Cntrl}]");

    static final Field SHARE = Field.of("name", "Share name", FieldType.TEXT, true);
    static final Field FOLDER = Field.of("path", "Folder (absolute path on the Host)", FieldType.TEXT, true);
    static final Field MAINTENANCE = Field.of("maintenancePassword", "Maintenance password (when the Host has one)",
            FieldType.SECRET, false);

    static final Operation LIST = new Operation("list", "List shared folders", List.of(), false);
    static final Operation ADD = new Operation("add", "Share a folder", List.of(SHARE, FOLDER, MAINTENANCE), true);
    static final Operation CHANGE = new Operation("change", "Change a share's folder", List.of(SHARE, FOLDER, MAINTENANCE), true);
    static final Operation REMOVE = new Operation("remove", "Stop sharing", List.of(SHARE, MAINTENANCE), true);

    static final List<Field> COLUMNS = List.of(
            Field.of("name", "Share name", FieldType.TEXT, false),
            Field.of("path", "Folder", FieldType.TEXT, false),
            Field.of("exists", "Folder exists", FieldType.BOOLEAN, false));

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference
    private MaintenancePassword maintenance;

    private ShareSettings settings;
    private Path home;

    public SharesTool() {
        super(ID, "Shared Folders", "System");
        operation(LIST, arguments -> list());
        operation(ADD, arguments -> change(arguments, "add"));
        operation(CHANGE, arguments -> change(arguments, "change"));
        operation(REMOVE, arguments -> change(arguments, "remove"));
    }

    /** For tests: the settings, the maintenance check and the node's home. */
    SharesTool(ShareSettings settings, MaintenancePassword maintenance, Path home) {
        this();
        this.settings = settings;
        this.maintenance = maintenance;
        this.home = home;
    }

    @Activate
    void activate(BundleContext context) {
        settings = new ShareSettings(configurationAdmin);
        String h = context.getProperty("tandem.home");
        home = h == null ? null : Path.of(h).toAbsolutePath().normalize();
    }

    private Result list() throws ToolException {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : read().entrySet()) {
            boolean exists;
            try {
                exists = Files.isDirectory(Path.of(e.getValue()));
            } catch (InvalidPathException x) {
                exists = false;
            }
            rows.add(List.of(e.getKey(), e.getValue(), Boolean.toString(exists)));
        }
        return new Result.Table(COLUMNS, rows);
    }

    private Map<String, String> read() throws ToolException {
        try {
            return new LinkedHashMap<>(settings.read());
        } catch (IOException | IllegalStateException e) {
            throw new ToolException("the Host's file transfer settings cannot be read: " + e.getMessage());
        }
    }

    private Result change(Map<String, String> arguments, String how) throws ToolException {
        String name = arguments.getOrDefault("name", "").strip();
        if (!NAME.matcher(name).matches()) {
            throw new ToolException("a share name is 1 to 64 letters, digits, spaces, '.', '_' or '-', starting with"
                    + " a letter or digit");
        }
        maintenanceAllows(arguments.get("maintenancePassword"));
        Map<String, String> shares = read();
        String sentence;
        if (how.equals("remove")) {
            if (shares.remove(name) == null) {
                throw new ToolException("there is no share '" + name + "'");
            }
            sentence = "Share '" + name + "' removed: Guests no longer see /" + name + ".";
        } else {
            Path folder = folder(arguments.getOrDefault("path", ""));
            String old = shares.get(name);
            if (how.equals("add") && old != null) {
                throw new ToolException("there is a share '" + name + "' already (of " + old + "); change it instead");
            }
            if (how.equals("change") && old == null) {
                throw new ToolException("there is no share '" + name + "'");
            }
            if (old == null && shares.size() >= MAX_SHARES) {
                throw new ToolException("the Host shares " + MAX_SHARES + " folders already");
            }
            shares.put(name, folder.toString());
            sentence = old == null ? "Share '" + name + "' added: Guests with file transfer see " + folder + " as /" + name + "."
                    : "Share '" + name + "' now shares " + folder + " (was " + old + ").";
        }
        try {
            settings.write(shares);
        } catch (IOException | RuntimeException e) {
            throw new ToolException("the Host's file transfer settings cannot be written: " + e.getMessage());
        }
        return new Result.Message(sentence);
    }

    private void maintenanceAllows(String given) throws ToolException {
        try {
            if (!maintenance.isSet()) {
                return;
            }
            if (given == null || given.isEmpty()) {
                throw new ToolException("this Host has a maintenance password: give it as maintenancePassword");
            }
            char[] password = given.toCharArray();
            try {
                if (!maintenance.matches(password, "a Guest's Shared Folders tool")) {
                    throw new ToolException("wrong maintenance password");
                }
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (IOException e) {
            throw new ToolException("the Host's maintenance password cannot be checked: " + e.getMessage());
        }
    }

    /** The Guest's folder, checked: absolute, an existing folder, not the root, not holding or in the node's home. */
    private Path folder(String given) throws ToolException {
        if (given.isEmpty() || given.length() > MAX_PATH || BAD_PATH.matcher(given).find()) {
            throw new ToolException("a folder is an absolute path of at most " + MAX_PATH + " characters without"
                    + " commas, backslashes, quotes, '$', braces or control characters");
        }
        Path path;
        try {
            path = Path.of(given);
        } catch (InvalidPathException e) {
            throw new ToolException("'" + given + "' is not a path");
        }
        if (!path.isAbsolute()) {
            throw new ToolException("'" + given + "' is not an absolute path");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new ToolException("there is no folder " + path.normalize());
        }
        if (!Files.isDirectory(real)) {
            throw new ToolException(path.normalize() + " is not a folder");
        }
        if (real.getParent() == null) {
            throw new ToolException("the whole file system is not shared");
        }
        if (home != null) {
            Path h;
            try {
                h = home.toRealPath();
            } catch (IOException e) {
                h = home;
            }
            if (real.startsWith(h) || h.startsWith(real)) {
                throw new ToolException(real + (real.startsWith(h) ? " is inside" : " holds") + " this Tandem node's"
                        + " home (its keys, passwords and settings): it is not shared");
            }
        }
        // The real path is shared: a link swapped later does not move the share.
        return real;
    }
}
