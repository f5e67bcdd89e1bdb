package org.tandemrc.tool.services.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;

/**
 * Services as SysV init scripts: the executable files of {@code /etc/init.d}, run through {@code service}
 * (which gives each a clean environment), their state from the script's own {@code status} (LSB exit
 * codes) where the script has one, and whether they start at boot from the {@code S} links of the
 * multi-user runlevels 2-5, changed with {@code update-rc.d}.
 *
 * @param initDir   the scripts ({@code /etc/init.d})
 * @param etc       where the {@code rcN.d} folders are ({@code /etc})
 * @param service   the {@code service} program
 * @param updateRcD the {@code update-rc.d} program
 */
record SysvServices(Path initDir, Path etc, Path service, Path updateRcD) implements ServiceManager {

    /** Files in init.d that are not services (Debian's and others' helpers). */
    static final Set<String> NOT_SERVICES = Set.of("README", "skeleton", "rc", "rcS", "rc.local", "functions");
    static final int MAX_SERVICES = 1000;
    /** Bytes of a script read to learn whether it has a {@code status} action. */
    static final int MAX_SCRIPT = 256 * 1024;
    static final int MAX_OUTPUT = 64 * 1024;
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);
    /** Starting a database may take a while; a script that hangs longer is killed. */
    static final Duration ACTION_TIMEOUT = Duration.ofSeconds(90);
    /** How {@code service --status-all} finds out whether a script has a status action. */
    static final Pattern HAS_STATUS = Pattern.compile("\\Wstatus\\)");
    static final List<String> BOOT_LEVELS = List.of("2", "3", "4", "5");

    @Override
    public String kind() {
        return "SysV init";
    }

    @Override
    public List<Service> list() throws ToolException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(initDir)) {
            for (Path p : d) {
                String name = p.getFileName().toString();
                if (isService(p, name)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new ToolException("the init scripts in " + initDir + " cannot be read: " + e.getMessage(), e);
        }
        names.sort(null);
        List<Service> services = new ArrayList<>();
        for (String name : names.subList(0, Math.min(names.size(), MAX_SERVICES))) {
            services.add(new Service(name, state(name), boot(name), description(initDir.resolve(name))));
        }
        return services;
    }

    private static boolean isService(Path p, String name) {
        return ServicesTool.NAME.matcher(name).matches() && !NOT_SERVICES.contains(name)
                && Files.isRegularFile(p) && Files.isExecutable(p);
    }

    @Override
    public String act(String name, Action action) throws ToolException {
        if (!isService(initDir.resolve(name), name)) {
            throw new ToolException("there is no service '" + name + "' (no init script " + initDir.resolve(name) + ")");
        }
        Commands.Outcome o = switch (action) {
            case START, STOP, RESTART -> run(List.of(service.toString(), name, action.verb));
            case ENABLE, DISABLE -> {
                if (links(name).isEmpty()) {
                    // Without links update-rc.d has nothing to switch: it makes them from the script's header.
                    Commands.Outcome made = run(List.of(updateRcD.toString(), name,
                            action == Action.ENABLE ? "defaults" : "defaults-disabled"));
                    if (made.status() != 0 || action == Action.DISABLE) {
                        yield made;
                    }
                }
                yield run(List.of(updateRcD.toString(), name, action.verb));
            }
        };
        if (o.status() != 0) {
            throw new ToolException("service " + name + " could not be " + action.done.replaceAll(" \\(.*", "")
                    + ": " + o.lastLine() + " (exit status " + o.status() + ")");
        }
        String now = switch (action) {
            case ENABLE, DISABLE -> "at boot it is now " + boot(name);
            default -> {
                String s = state(name);
                yield s.equals(UNKNOWN) ? "its script reports no status" : "it is now " + s;
            }
        };
        return "Service " + name + " " + action.done + " through " + kind() + "; " + now + ".";
    }

    static final String UNKNOWN = "unknown";

    /** The script's own status in LSB words, or {@link #UNKNOWN} when it has no status action. */
    String state(String name) throws ToolException {
        String script = head(initDir.resolve(name));
        if (script == null || !HAS_STATUS.matcher(script).find()) {
            return UNKNOWN;
        }
        Commands.Outcome o = Commands.run(List.of(service.toString(), name, "status"), STATUS_TIMEOUT, MAX_OUTPUT);
        return lsbState(o.status());
    }

    /** LSB's exit codes of {@code status} (LSB Core, init script actions). */
    static String lsbState(int status) {
        return switch (status) {
            case 0 -> "running";
            case 1 -> "dead (pid file left)";
            case 2 -> "dead (lock file left)";
            case 3 -> "stopped";
            default -> UNKNOWN;
        };
    }

    /** "enabled" with an S link in a multi-user runlevel, "disabled" with links but none S, "not set" without. */
    String boot(String name) {
        List<String> links = links(name);
        if (links.isEmpty()) {
            return "not set";
        }
        return links.stream().anyMatch(l -> l.startsWith("S")) ? "enabled" : "disabled";
    }

    /** The service's links in the rc2.d to rc5.d folders. */
    List<String> links(String name) {
        Pattern link = Pattern.compile("[SK][0-9]{2}" + Pattern.quote(name));
        List<String> found = new ArrayList<>();
        for (String level : BOOT_LEVELS) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(etc.resolve("rc" + level + ".d"))) {
                for (Path p : d) {
                    if (link.matcher(p.getFileName().toString()).matches()) {
                        found.add(p.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                // a runlevel without a folder has no links
            }
        }
        return found;
    }

    /** The LSB header's Short-Description, or "". */
    static String description(Path script) {
        String text = head(script);
        if (text != null) {
            for (String line : text.split("\n", 200)) {
                if (line.startsWith("# Short-Description:")) {
                    return line.substring("# Short-Description:".length()).strip();
                }
            }
        }
        return "";
    }

    private static String head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_SCRIPT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Commands.Outcome run(List<String> argv) throws ToolException {
        return Commands.run(argv, ACTION_TIMEOUT, MAX_OUTPUT);
    }
}
