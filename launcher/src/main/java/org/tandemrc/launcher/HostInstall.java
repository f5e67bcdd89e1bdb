package org.tandemrc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem host install} and {@code uninstall}: the Host starts with the desktop (an XDG autostart
 * entry) or with the machine (a systemd unit). Every file carries a mark with the SHA-256 of what follows
 * it, so uninstall removes only a file install wrote and nobody changed since, and install never
 * overwrites a file of the same name that someone else wrote.
 */
final class HostInstall {

    static final String NAME = "tandem-host";
    static final String UNIT = NAME + ".service";
    static final Path SYSTEM_UNIT_DIR = Path.of("/etc/systemd/system");

    private static final Pattern MARK = Pattern.compile("# .* tandem-host-install sha256=([0-9a-f]{64})");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,30}|[0-9]{1,10}");
    private static final Pattern DISPLAY = Pattern.compile("[A-Za-z0-9._\\[\\]:-]{0,255}:\\d{1,5}(\\.\\d{1,3})?");

    private HostInstall() {
    }

    /** {@code --desktop} (the default) or {@code --system}. */
    static final class Where {
        @Option(names = "--desktop", description = "the desktop: an XDG autostart entry in"
                + " $XDG_CONFIG_HOME/autostart (default ~/.config/autostart)/" + NAME + ".desktop (the default)")
        boolean desktop;

        @Option(names = "--system", description = "the machine: the systemd unit " + UNIT + " in /etc/systemd/system"
                + " (needs root)")
        boolean system;
    }

    /** What install and uninstall share: which file, where. */
    abstract static class Target implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true)
        Where where;

        @Option(names = "--unit-dir", paramLabel = "DIR",
                description = "with --system: the folder of the unit instead of /etc/systemd/system")
        Path unitDir;

        boolean system() {
            return where != null && where.system;
        }

        /** The file this command writes or removes; checks the options that only --system takes. */
        Path file() {
            if (!system()) {
                if (unitDir != null) {
                    throw Cli.wrong(spec, "--unit-dir goes with --system");
                }
                return autostartDir(System.getenv(), System.getProperty("user.home")).resolve(NAME + ".desktop");
            }
            return (unitDir == null ? SYSTEM_UNIT_DIR : unitDir.toAbsolutePath().normalize()).resolve(UNIT);
        }

        /** Refuses to touch /etc/systemd/system without root, before anything is read or written. */
        void checkRoot(Path file) throws IOException {
            if (system() && unitDir == null) {
                requireRoot(file, uid());
            }
        }

        PrintStream out() {
            return Cli.root(spec).out;
        }
    }

    @Command(name = "install", sortOptions = false,
            description = {"start this Host with the desktop (--desktop, the default) or with the machine (--system)", "",
                "--desktop writes an XDG autostart entry: the desktop session starts 'tandem --home HOME host' when"
                    + " the user logs on, and the Host shares that display. --system writes a systemd unit that"
                    + " runs the same command at boot, as --user NAME, with JAVA_HOME of this Java; run then:",
                "  systemctl daemon-reload && systemctl enable --now " + UNIT, "",
                "The command names this distribution's bin/tandem and the home in use (--home, $TANDEM_HOME or"
                    + " ~/.tandem) by absolute path; where the Host listens and how Guests log on is the home's"
                    + " configuration (etc/). The unit runs sandboxed as far as a Host sharing an X display allows"
                    + " (NoNewPrivileges, ProtectSystem=full, no kernel tunables, modules, logs or clock);"
                    + " /tmp, /home and System V shared memory stay visible for the X server's socket, its"
                    + " cookie and MIT-SHM screen capture. Change it with 'systemctl edit " + NAME + "'.", "",
                "Install never overwrites a file it did not write; 'tandem host uninstall' removes the file.", ""})
    static final class Install extends Target {
        @Option(names = "--user", paramLabel = "NAME",
                description = {"with --system: the account the Host runs as (default: the owner of the home, or"
                        + " of the folder it will be made in). It must be able to write the home and, to share a"
                        + " display, to connect to it. Root only when named: --user root"})
        String user;

        @Option(names = "--display", paramLabel = "DISPLAY",
                description = "with --system: the X display the Host shares, e.g. :0 (default: none, a Host"
                        + " without a desktop)")
        String display;

        @Override
        public Integer call() throws Exception {
            Path file = file();
            if (!system() && (user != null || display != null)) {
                throw Cli.wrong(spec, (user != null ? "--user" : "--display") + " goes with --system");
            }
            if (display != null && !DISPLAY.matcher(display).matches()) {
                throw Cli.wrong(spec, "--display " + display + " is not [HOST]:NUMBER[.SCREEN], e.g. :0");
            }
            if (user != null && !USER.matcher(user).matches()) {
                throw Cli.wrong(spec, "--user " + user + " is not a user name");
            }
            NodeHome home = NodeHome.resolve(Cli.root(spec).home);
            List<String> command = List.of(Main.dist().resolve("bin").resolve("tandem").toString(), "--home",
                    home.root.toString(), "host");
            for (String word : command) {
                printable(word);
            }
            checkRoot(file);
            String text;
            String what;
            if (system()) {
                String account = user != null ? user : defaultUser(home.root);
                String javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize().toString();
                printable(javaHome);
                text = systemUnit(command, account, javaHome, display);
                what = "the Host starts with the machine as " + account;
            } else {
                text = desktopEntry(command);
                what = "the Host starts with the desktop of " + System.getProperty("user.name");
            }
            write(file, text);
            PrintStream out = out();
            out.println("wrote " + file + ": " + what + ", home " + home);
            if (system()) {
                out.println("next: systemctl daemon-reload && systemctl enable --now " + UNIT);
            } else {
                out.println("next: log out and on again, or start it now: " + String.join(" ", command));
            }
            return 0;
        }
    }

    @Command(name = "uninstall", sortOptions = false,
            description = {"remove what 'tandem host install' wrote (--desktop, the default, or --system)", "",
                "Removes the autostart entry or the systemd unit, only when 'tandem host install' wrote it and"
                    + " nobody changed it since. A unit still enabled is left: run first",
                "  systemctl disable --now " + UNIT, ""})
    static final class Uninstall extends Target {
        @Override
        public Integer call() throws Exception {
            Path file = file();
            checkRoot(file);
            PrintStream out = out();
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                out.println("nothing to remove: there is no " + file);
                return 0;
            }
            ours(file);
            if (system()) {
                List<Path> wanted = enabled(file.getParent());
                if (!wanted.isEmpty()) {
                    throw new IOException(UNIT + " is still enabled (" + wanted.get(0) + "): run 'systemctl disable"
                            + " --now " + UNIT + "' first, then this command again");
                }
            }
            Files.delete(file);
            out.println("removed " + file);
            out.println(system() ? "next: systemctl daemon-reload"
                    : "the Host no longer starts with the desktop; one running now runs on until"
                            + " 'tandem admin stop' (with its --home)");
            return 0;
        }
    }

    /** {@code $XDG_CONFIG_HOME/autostart}, or {@code ~/.config/autostart} (the spec ignores a relative one). */
    static Path autostartDir(Map<String, String> env, String userHome) {
        String config = env.get("XDG_CONFIG_HOME");
        Path base = config != null && !config.isEmpty() && Path.of(config).isAbsolute() ? Path.of(config)
                : Path.of(userHome, ".config");
        return base.resolve("autostart");
    }

    /**
     * The XDG autostart entry. Exec quotes every argument (the Desktop Entry Specification's quoting:
     * {@code "`$\} escaped inside double quotes), then escapes it as a string value ({@code \} doubled)
     * and doubles {@code %}, which would otherwise start a field code. GLib looks for the program under
     * its path as written, {@code %%} and all, and does not load the entry: a program path with {@code %}
     * is refused.
     */
    static String desktopEntry(List<String> command) throws IOException {
        if (command.get(0).contains("%")) {
            throw new IOException("desktop launchers do not start a program whose path has % in it: " + command.get(0));
        }
        StringBuilder exec = new StringBuilder();
        for (String word : command) {
            if (exec.length() > 0) {
                exec.append(' ');
            }
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : word.toCharArray()) {
                if (c == '"' || c == '`' || c == '$' || c == '\\') {
                    quoted.append('\\');
                }
                quoted.append(c);
            }
            quoted.append('"');
            exec.append(quoted.toString().replace("\\", "\\\\").replace("%", "%%"));
        }
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Tandem Host\n"
                + "Comment=Lets the Guests you allow see and control this desktop (Tandem remote support)\n"
                + "Exec=" + exec + "\n"
                + "TryExec=" + command.get(0).replace("\\", "\\\\") + "\n"
                + "Terminal=false\n"
                + "X-GNOME-Autostart-enabled=true\n";
    }

    /**
     * The systemd unit. Every word of ExecStart is double-quoted with {@code \} and {@code "} escaped,
     * {@code %} doubled (specifiers) and, in arguments, {@code $} doubled (variable substitution: systemd
     * does not substitute in the program's path, and refuses {@code \ " '} there).
     */
    static String systemUnit(List<String> command, String user, String javaHome, String display) throws IOException {
        String program = command.get(0);
        if (program.matches(".*[\\\\\"'].*")) {
            throw new IOException("systemd does not start a program whose path has \\, \" or ' in it: " + program);
        }
        StringBuilder exec = new StringBuilder(systemdWord(program, false));
        for (String word : command.subList(1, command.size())) {
            exec.append(' ').append(systemdWord(word, true));
        }
        return "[Unit]\n"
                + "Description=Tandem Host: lets the Guests it allows see and control this computer\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=exec\n"
                + "User=" + user + "\n"
                + "Environment=" + systemdWord("JAVA_HOME=" + javaHome, false) + "\n"
                + (display == null ? "" : "Environment=" + systemdWord("DISPLAY=" + display, false) + "\n")
                + "ExecStart=" + exec + "\n"
                + "# Exit status 1: no profile could listen, or a node runs with the same home; try again later.\n"
                + "Restart=on-failure\n"
                + "RestartSec=10\n"
                + "# Sandboxing that a Host sharing an X display survives. Not set, on purpose: PrivateTmp (hides\n"
                + "# the X server's socket in /tmp/.X11-unix), ProtectHome (the node's home, ~/.Xauthority),\n"
                + "# PrivateIPC and RemoveIPC (screen capture shares memory with the X server: MIT-SHM),\n"
                + "# MemoryDenyWriteExecute (Java's JIT compiler), PrivateNetwork and RestrictAddressFamilies\n"
                + "# (Guests, X over TCP, every communication device).\n"
                + "NoNewPrivileges=yes\n"
                + "ProtectSystem=full\n"
                + "ProtectKernelTunables=yes\n"
                + "ProtectKernelModules=yes\n"
                + "ProtectKernelLogs=yes\n"
                + "ProtectControlGroups=yes\n"
                + "ProtectClock=yes\n"
                + "ProtectHostname=yes\n"
                + "RestrictSUIDSGID=yes\n"
                + "RestrictRealtime=yes\n"
                + "RestrictNamespaces=yes\n"
                + "LockPersonality=yes\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private static String systemdWord(String word, boolean argument) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '%' -> b.append("%%");
                case '$' -> b.append(argument ? "$$" : "$");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Refuses control characters: no line-based file can carry a newline in a value, nor should it try. */
    static void printable(String word) throws UsageException {
        for (char c : word.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw new UsageException("cannot write a start entry for a path with a control character"
                        + " (such as a newline) in it: " + word.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }

    /**
     * The owner of the home, or of the nearest folder above it while it does not exist yet: the account
     * that can write it. Never root unless named: a default must not run a remote-control Host as root.
     */
    static String defaultUser(Path home) throws IOException, UsageException {
        Path existing = home;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String owner = existing == null ? "root" : Files.getOwner(existing).getName();
        if (owner.equals("root")) {
            throw new UsageException("say which account runs the Host: " + existing + " belongs to root; give the"
                    + " home of that account (e.g. sudo tandem --home ~/.tandem host install --system) or"
                    + " --user NAME (--user root for root)");
        }
        return owner;
    }

    static void requireRoot(Path file, long uid) throws IOException {
        if (uid != 0) {
            throw new IOException("changing " + file + " needs root: run the command with sudo (or use another"
                    + " folder with --unit-dir DIR)");
        }
    }

    private static long uid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    /** Writes {@code body} under a mark with its hash, replacing only a file that is {@link #ours}. */
    static void write(Path file, String body) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            ours(file);
        }
        Files.createDirectories(file.getParent());
        String text = "# Written by 'tandem host install'; 'tandem host uninstall' removes it. tandem-host-install"
                + " sha256=" + sha256(body) + "\n" + body;
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Throws unless {@code file} is a regular file with install's mark, unchanged since. */
    static void ours(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is not a file 'tandem host install' wrote: left as it is");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        Matcher mark = MARK.matcher(newline < 0 ? text : text.substring(0, newline));
        if (newline < 0 || !mark.matches()) {
            throw new IOException(file + " was not written by 'tandem host install': left as it is");
        }
        if (!mark.group(1).equals(sha256(text.substring(newline + 1)))) {
            throw new IOException(file + " was changed since 'tandem host install' wrote it: left as it is"
                    + " (remove it yourself if you mean to)");
        }
    }

    /** The links that enable the unit in {@code dir}'s {@code *.wants} folders. */
    static List<Path> enabled(Path dir) throws IOException {
        List<Path> links = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return links;
        }
        try (DirectoryStream<Path> wants = Files.newDirectoryStream(dir, "*.wants")) {
            for (Path w : wants) {
                if (Files.exists(w.resolve(UNIT), LinkOption.NOFOLLOW_LINKS)) {
                    links.add(w.resolve(UNIT));
                }
            }
        }
        return links;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
