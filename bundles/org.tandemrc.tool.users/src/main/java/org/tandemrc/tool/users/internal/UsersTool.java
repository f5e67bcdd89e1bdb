package org.tandemrc.tool.users.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Local Users and Groups: the Host's accounts from {@code /etc/passwd}, {@code /etc/group} and (where the
 * node may read it) whether each is locked from {@code /etc/shadow}; and changes through the shadow tools
 * {@code useradd}, {@code userdel}, {@code usermod} and {@code gpasswd}, each name checked against a strict
 * pattern and given as its own argument after {@code --}. Only ordinary accounts (uid {@link #UID_MIN} to
 * {@link #UID_MAX}) are removed, locked or unlocked, never the one the node runs as. The node needs root for changes; the
 * tools' own refusal is passed on otherwise.
 */
@Component(service = RemoteTool.class)
@TandemToolId(UsersTool.ID)
public class UsersTool extends OperationTool {

    static final String ID = "users";
    /** The first uid of an ordinary account (login.defs' usual UID_MIN); below it are the system's own. */
    static final long UID_MIN = 1000;
    /** The last uid of an ordinary account (login.defs' usual UID_MAX); above it are nobody (65534) and the like. */
    static final long UID_MAX = 60000;
    /** A user or group name as useradd's default NAME_REGEX has it, at most 32 characters. */
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,30}\\$?");
    /** A full name: printable, no ':' (the passwd separator), at most 100 characters. */
    static final Pattern FULL_NAME = Pattern.compile("[^:\\p{Cntrl}]{0,100}");
    /** At most this many rows and this many bytes of one account file. */
    static final int MAX_ROWS = 5000;
    static final int MAX_FILE = 4 * 1024 * 1024;
    /** How long one of the shadow tools may take, and how much of what it says is kept. */
    static final long COMMAND_SECONDS = 30;
    static final int MAX_SAID = 2000;

    static final Field USER = Field.of("user", "User name", FieldType.TEXT, true);
    static final Field GROUP = Field.of("group", "Group name", FieldType.TEXT, true);
    static final Operation USERS = new Operation("users", "List users", List.of(), false);
    static final Operation GROUPS = new Operation("groups", "List groups", List.of(), false);
    static final Operation ADD = new Operation("add", "Add user", List.of(USER,
            Field.of("fullName", "Full name", FieldType.TEXT, false),
            Field.of("createHome", "Create the home folder", FieldType.BOOLEAN, false)), true);
    static final Operation REMOVE = new Operation("remove", "Remove user", List.of(USER,
            Field.of("removeHome", "Remove the home folder and mail too", FieldType.BOOLEAN, false)), true);
    static final Operation LOCK = new Operation("lock", "Lock user", List.of(USER), true);
    static final Operation UNLOCK = new Operation("unlock", "Unlock user", List.of(USER), true);
    static final Operation JOIN = new Operation("join", "Add user to group", List.of(USER, GROUP), true);
    static final Operation LEAVE = new Operation("leave", "Remove user from group", List.of(USER, GROUP), true);

    static final List<Field> USER_COLUMNS = List.of(
            Field.of("user", "User", FieldType.TEXT, false),
            Field.of("uid", "UID", FieldType.INTEGER, false),
            Field.of("group", "Primary group", FieldType.TEXT, false),
            Field.of("fullName", "Full name", FieldType.TEXT, false),
            Field.of("home", "Home", FieldType.TEXT, false),
            Field.of("shell", "Shell", FieldType.TEXT, false),
            Field.of("locked", "Locked", FieldType.BOOLEAN, false),
            Field.of("groups", "Other groups", FieldType.TEXT, false));
    static final List<Field> GROUP_COLUMNS = List.of(
            Field.of("group", "Group", FieldType.TEXT, false),
            Field.of("gid", "GID", FieldType.INTEGER, false),
            Field.of("members", "Members", FieldType.TEXT, false));

    private final Path etc;
    private final Map<String, Path> commands = new LinkedHashMap<>();

    public UsersTool() {
        this(Path.of("/etc"));
    }

    UsersTool(Path etc) {
        super(ID, "Local Users and Groups", "System");
        this.etc = etc;
        for (String c : List.of("useradd", "userdel", "usermod", "gpasswd")) {
            // resolved once, from the system's own folders only (not the node's PATH)
            for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
                Path p = Path.of(dir, c);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    commands.put(c, p);
                    break;
                }
            }
        }
        operation(USERS, arguments -> users());
        operation(GROUPS, arguments -> groups());
        operation(ADD, arguments -> add(arguments.get("user"), arguments.getOrDefault("fullName", ""),
                Boolean.parseBoolean(arguments.get("createHome"))));
        operation(REMOVE, arguments -> remove(arguments.get("user"), Boolean.parseBoolean(arguments.get("removeHome"))));
        operation(LOCK, arguments -> lock(arguments.get("user"), true));
        operation(UNLOCK, arguments -> lock(arguments.get("user"), false));
        operation(JOIN, arguments -> membership(arguments.get("user"), arguments.get("group"), true));
        operation(LEAVE, arguments -> membership(arguments.get("user"), arguments.get("group"), false));
    }

    /** One line of /etc/passwd. */
    record Account(String name, long uid, long gid, String fullName, String home, String shell) {
    }

    /** One line of /etc/group. */
    record Group(String name, long gid, List<String> members) {
    }

    /** The lines of an account file split at ':' into at least {@code fields} fields; bounded, malformed ones skipped. */
    private List<String[]> entries(String file, int fields, boolean required) throws ToolException {
        Path p = etc.resolve(file);
        String text;
        try (InputStream in = Files.newInputStream(p)) {
            text = new String(in.readNBytes(MAX_FILE), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            if (required) {
                throw new ToolException("this Host has no readable " + p + " (it is not Linux or Unix): "
                        + "its local users and groups cannot be listed");
            }
            return List.of();
        }
        List<String[]> list = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (list.size() == MAX_ROWS) {
                break;
            }
            if (f.length >= fields && !line.startsWith("#") && !f[0].isEmpty()) {
                list.add(f);
            }
        }
        return list;
    }

    List<Account> accounts() throws ToolException {
        List<Account> list = new ArrayList<>();
        for (String[] f : entries("passwd", 7, true)) {
            if (f[2].matches("\\d{1,10}") && f[3].matches("\\d{1,10}")) {
                list.add(new Account(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4].split(",", -1)[0], f[5], f[6]));
            }
        }
        return list;
    }

    List<Group> groupList() throws ToolException {
        List<Group> list = new ArrayList<>();
        for (String[] f : entries("group", 4, true)) {
            if (f[2].matches("\\d{1,10}")) {
                list.add(new Group(f[0], Long.parseLong(f[2]), f[3].isEmpty() ? List.of() : List.of(f[3].split(","))));
            }
        }
        return list;
    }

    Result.Table users() throws ToolException {
        List<Group> groups = groupList();
        Map<String, String> locked = locked();
        List<List<String>> rows = new ArrayList<>();
        for (Account a : accounts()) {
            String primary = groups.stream().filter(g -> g.gid() == a.gid()).map(Group::name).findFirst()
                    .orElse(Long.toString(a.gid()));
            String others = String.join(", ", groups.stream().filter(g -> g.members().contains(a.name()))
                    .map(Group::name).toList());
            rows.add(List.of(a.name(), Long.toString(a.uid()), primary, a.fullName(), a.home(), a.shell(),
                    locked.getOrDefault(a.name(), ""), others));
        }
        return new Result.Table(USER_COLUMNS, rows);
    }

    /** Whether each account's password is locked ('!' before it in /etc/shadow); empty where the node may not read it. */
    private Map<String, String> locked() throws ToolException {
        Map<String, String> locked = new LinkedHashMap<>();
        for (String[] f : entries("shadow", 2, false)) {
            locked.put(f[0], Boolean.toString(f[1].startsWith("!")));
        }
        return locked;
    }

    Result.Table groups() throws ToolException {
        List<List<String>> rows = new ArrayList<>();
        for (Group g : groupList()) {
            rows.add(List.of(g.name(), Long.toString(g.gid()), String.join(", ", g.members())));
        }
        return new Result.Table(GROUP_COLUMNS, rows);
    }

    static String name(String what, String name) throws ToolException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ToolException("'" + shorten(name) + "' is not a " + what + " name (lower-case letters, digits, _"
                    + " and -, starting with a letter or _, at most 32 characters)");
        }
        return name;
    }

    private Optional<Account> account(String user) throws ToolException {
        return accounts().stream().filter(a -> a.name().equals(user)).findFirst();
    }

    /** The ordinary account {@code user}, which may be changed: it exists, is not the system's, not the node's. */
    private Account ordinary(String user) throws ToolException {
        Account a = account(name("user", user)).orElseThrow(() -> new ToolException("there is no user " + user));
        if (a.uid() < UID_MIN || a.uid() > UID_MAX) {
            throw new ToolException("user " + user + " (uid " + a.uid() + ") is one of the system's own accounts;"
                    + " it is not changed from here");
        }
        if (user.equals(System.getProperty("user.name"))) {
            throw new ToolException("user " + user + " is the account this Tandem node runs as; it is not changed from here");
        }
        return a;
    }

    Result.Message add(String user, String fullName, boolean createHome) throws ToolException {
        name("user", user);
        if (!FULL_NAME.matcher(fullName).matches()) {
            throw new ToolException("a full name has at most 100 characters, without ':' or control characters");
        }
        if (account(user).isPresent()) {
            throw new ToolException("there is a user " + user + " already");
        }
        List<String> argv = new ArrayList<>(List.of(createHome ? "--create-home" : "--no-create-home"));
        if (!fullName.isBlank()) {
            argv.addAll(List.of("--comment", fullName));
        }
        run("useradd", argv, user);
        return new Result.Message("User " + user + " added" + (createHome ? " with a home folder." : "."));
    }

    Result.Message remove(String user, boolean removeHome) throws ToolException {
        ordinary(user);
        run("userdel", removeHome ? List.of("--remove") : List.of(), user);
        return new Result.Message("User " + user + " removed" + (removeHome ? " with the home folder." : "."));
    }

    Result.Message lock(String user, boolean lock) throws ToolException {
        ordinary(user);
        String said = run("usermod", List.of(lock ? "--lock" : "--unlock"), user);
        // usermod leaves an account without a password locked and still ends with status 0: check the result
        if (!lock && "true".equals(locked().get(user))) {
            throw new ToolException("user " + user + " is still locked" + (said.isEmpty() ? "" : ": " + said));
        }
        return new Result.Message("User " + user + (lock ? " locked: the password no longer logs on." : " unlocked."));
    }

    Result.Message membership(String user, String group, boolean join) throws ToolException {
        name("user", user);
        name("group", group);
        if (account(user).isEmpty()) {
            throw new ToolException("there is no user " + user);
        }
        Group g = groupList().stream().filter(x -> x.name().equals(group)).findFirst()
                .orElseThrow(() -> new ToolException("there is no group " + group));
        if (join == g.members().contains(user)) {
            throw new ToolException("user " + user + (join ? " is in group " : " is not in group ") + group + " already");
        }
        // gpasswd takes no "--": both names were checked above not to start with '-'
        run("gpasswd", List.of(join ? "--add" : "--delete", user, group), null);
        return new Result.Message("User " + user + (join ? " added to group " : " removed from group ") + group + ".");
    }

    /**
     * Runs one of the shadow tools with {@code options}, then {@code --} and {@code last} unless null.
     *
     * @return what it said (its first {@link #MAX_SAID} bytes)
     */
    private String run(String tool, List<String> options, String last) throws ToolException {
        Path program = commands.get(tool);
        if (program == null) {
            throw new ToolException("this Host has no " + tool + " (the shadow tools): the change cannot be made");
        }
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(options);
        if (last != null) {
            argv.add("--");
            argv.add(last);
        }
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ToolException(tool + " cannot start: " + e.getMessage());
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            byte[] b = new byte[4096];
            try (InputStream in = p.getInputStream()) {
                for (int n = in.read(b); n >= 0; n = in.read(b)) {
                    synchronized (said) {
                        said.write(b, 0, Math.max(0, Math.min(n, MAX_SAID - said.size())));
                    }
                }
            } catch (IOException e) {
                // the tool ended
            }
        }, "tandem-users-" + tool);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ToolException(tool + " did not end within " + COMMAND_SECONDS + " s; it was killed");
            }
            reader.join(1000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while " + tool + " ran");
        }
        String text;
        synchronized (said) {
            text = said.toString(StandardCharsets.UTF_8).strip();
        }
        if (p.exitValue() != 0) {
            throw new ToolException(tool + " refused (exit status " + p.exitValue() + ")"
                    + (text.isEmpty() ? "" : ": " + text));
        }
        return text;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
