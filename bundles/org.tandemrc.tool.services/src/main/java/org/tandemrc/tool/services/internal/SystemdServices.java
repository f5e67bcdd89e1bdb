package org.tandemrc.tool.services.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;

/**
 * Services as systemd units, through {@code systemctl}: what runs from {@code list-units}, whether each
 * starts at boot from {@code list-unit-files}, and the actions as systemctl's own verbs. With a root folder
 * (tests, or an image) only the unit files are read and changed: systemctl refuses the running state there.
 */
record SystemdServices(Path systemctl, @Nullable Path root) implements ServiceManager {

    static final String SUFFIX = ".service";
    static final int MAX_OUTPUT = 4 * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Override
    public String kind() {
        return "systemd";
    }

    @Override
    public List<Service> list() throws ToolException {
        Map<String, String[]> units = new TreeMap<>();
        if (root == null) {
            String out = systemctl("list-units", "--type=service", "--all", "--plain", "--no-legend", "--no-pager");
            parseUnits(out).forEach(u -> units.put(u[0], u));
        }
        Map<String, String> files = parseUnitFiles(
                systemctl("list-unit-files", "--type=service", "--no-legend", "--no-pager"));
        TreeMap<String, Service> services = new TreeMap<>();
        files.forEach((unit, boot) -> services.put(unit, service(unit, units.get(unit), boot)));
        units.forEach((unit, u) -> services.putIfAbsent(unit, service(unit, u, "")));
        return new ArrayList<>(services.values()).subList(0, Math.min(services.size(), SysvServices.MAX_SERVICES));
    }

    private static Service service(String unit, String @Nullable [] u, String boot) {
        String name = unit.substring(0, unit.length() - SUFFIX.length());
        return u == null ? new Service(name, "inactive", boot, "")
                : new Service(name, u[2] + " (" + u[3] + ")", boot, u[4]);
    }

    /**
     * {@code list-units --plain --no-legend} lines: UNIT LOAD ACTIVE SUB DESCRIPTION (the description may
     * hold spaces); a unit that failed is marked with a leading "●" some versions print even with --plain.
     */
    static List<String[]> parseUnits(String out) {
        List<String[]> units = new ArrayList<>();
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.startsWith("●")) {
                l = l.substring(1).strip();
            }
            String[] f = l.split("\\s+", 5);
            if (f.length >= 4 && f[0].endsWith(SUFFIX)) {
                units.add(new String[] {f[0], f[1], f[2], f[3], f.length == 5 ? f[4] : ""});
            }
        }
        return units;
    }

    /** {@code list-unit-files --no-legend} lines: UNIT STATE [PRESET]; the state is what boot does. */
    static Map<String, String> parseUnitFiles(String out) {
        Map<String, String> files = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && f[0].endsWith(SUFFIX)) {
                files.put(f[0], f[1]);
            }
        }
        return files;
    }

    @Override
    public String act(String name, Action action) throws ToolException {
        String unit = name.endsWith(SUFFIX) ? name : name + SUFFIX;
        systemctl(action.verb, "--", unit);
        String now = switch (action) {
            case ENABLE, DISABLE -> "at boot it is now " + query("is-enabled", unit);
            default -> "it is now " + query("is-active", unit);
        };
        return "Service " + unit + " " + action.done + " through " + kind() + "; " + now + ".";
    }

    private String query(String verb, String unit) throws ToolException {
        // is-active and is-enabled exit non-zero for "inactive" and "disabled" yet say so: their words are the answer.
        Commands.Outcome o = Commands.run(argv(verb, "--", unit), TIMEOUT, SysvServices.MAX_OUTPUT);
        return o.output().isBlank() ? "unknown" : o.lastLine();
    }

    private String systemctl(String... args) throws ToolException {
        Commands.Outcome o = Commands.run(argv(args), TIMEOUT, MAX_OUTPUT);
        if (o.status() != 0) {
            throw new ToolException("systemctl " + args[0] + " failed: "
                    + (o.output().isBlank() ? "exit status " + o.status() : firstLine(o.output())));
        }
        return o.output();
    }

    private static String firstLine(String s) {
        return s.strip().split("\n", 2)[0];
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(systemctl.toString()));
        if (root != null) {
            argv.add("--root=" + root);
        }
        argv.addAll(List.of(args));
        return argv;
    }
}
