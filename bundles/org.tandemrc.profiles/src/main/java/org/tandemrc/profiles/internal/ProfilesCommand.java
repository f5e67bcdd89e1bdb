package org.tandemrc.profiles.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.node.NodeRole;
import org.tandemrc.support.config.SettingsCheck;

/**
 * {@code tandem admin profiles}: every communication profile of the node, its device, whether it is
 * enabled, what became of it (listening where, waiting for its device, its problem) and its settings,
 * secrets masked. A profile whose settings its device's descriptor refuses shows the refusal as its problem;
 * {@code tandem admin profiles DEVICE} lists the settings a device takes.
 */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=admin:profiles")
public class ProfilesCommand implements Command {

    static final String USAGE = "usage: tandem admin profiles [DEVICE]  (with DEVICE: the settings its profiles take)";
    /** The profile name the Host gives its {@code --listen} address. */
    static final String COMMAND_LINE = "command-line";

    // Each replaced whole by SCR on every change (a role's endpoints too), so one read is a consistent snapshot.
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<ConfiguredProfile> profiles = List.of();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<CommunicationDevice> devices = List.of();
    /** The service properties of each node role: where it listens, its problems. */
    @Reference(service = NodeRole.class, cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<Map<String, Object>> roles = List.of();

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.size() == 1 && !args.get(0).startsWith("-")) {
            return describe(args.get(0), out, err);
        }
        if (!args.isEmpty()) {
            err.println(args.get(0).equals("--help") || args.get(0).equals("-h") ? USAGE
                    : "tandem admin profiles: unexpected '" + args.get(args.size() > 1 ? 1 : 0) + "'; " + USAGE);
            return args.get(0).startsWith("-h") || args.get(0).equals("--help") ? 0 : 2;
        }
        List<ConfiguredProfile> sorted = new ArrayList<>(profiles);
        sorted.sort(Comparator.comparing(p -> p.profile().name()));
        Map<String, List<String>> listening = endpointsByProfile();
        if (sorted.isEmpty() && listening.isEmpty()) {
            out.println("no communication profile is configured (add etc/org.tandemrc.profile-NAME.cfg)");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROFILE", "DEVICE", "ENABLED", "STATE", "SETTINGS"});
        for (ConfiguredProfile p : sorted) {
            rows.add(new String[] {p.profile().name(), p.profile().device(), p.enabled() ? "yes" : "no",
                state(p, listening), settings(p.profile().settings(), descriptor(p.profile().device()))});
        }
        // A role may listen with a profile that is not configured here: the Host's --listen.
        List<String> configured = sorted.stream().map(p -> p.profile().name()).toList();
        listening.forEach((name, at) -> {
            if (!configured.contains(name)) {
                String device = at.get(0).substring(0, Math.max(0, at.get(0).indexOf(':')));
                rows.add(new String[] {name, device, "yes", "listening on " + String.join(", ", at),
                    COMMAND_LINE.equals(name) ? "from --listen; replaces the configured profiles" : "-"});
            }
        });
        print(rows, out);
        return 0;
    }

    private String state(ConfiguredProfile p, Map<String, List<String>> listening) {
        if (p.problem().isPresent()) {
            return "problem: " + p.problem().get();
        }
        if (!p.enabled()) {
            return "disabled";
        }
        if (listening.containsKey(COMMAND_LINE)) {
            return "not used: --listen replaces the configured profiles";
        }
        Optional<CommunicationDevice> device = devices.stream().filter(d -> d.type().equals(p.profile().device())).findFirst();
        if (device.isEmpty()) {
            return "the " + p.profile().device() + " device is not installed";
        }
        Optional<String> refused = refused(p.profile(), device.get().settings());
        if (refused.isPresent()) {
            return "problem: " + refused.get();
        }
        List<String> at = listening.get(p.profile().name());
        if (at != null) {
            return "listening on " + String.join(", ", at);
        }
        for (Map<String, Object> role : roles) {
            for (String problem : strings(role.get(NodeRole.PROBLEMS_PROPERTY))) {
                if (problem.startsWith("profile '" + p.profile().name() + "'")) {
                    return problem;
                }
            }
        }
        return "ready";
    }

    private Map<String, List<String>> endpointsByProfile() {
        Map<String, List<String>> byProfile = new LinkedHashMap<>();
        for (Map<String, Object> role : roles) {
            for (String entry : strings(role.get(NodeRole.ENDPOINTS_PROPERTY))) {
                int tab = entry.indexOf('\t');
                if (tab > 0) {
                    byProfile.computeIfAbsent(entry.substring(0, tab), k -> new ArrayList<>()).add(entry.substring(tab + 1));
                }
            }
        }
        return byProfile;
    }

    /**
     * The first setting of {@code profile} that its device's descriptor refuses, in the words of
     * {@link SettingsCheck}: {@code org.tandemrc.profile-office: port=70000 is outside 0..65535}.
     */
    static Optional<String> refused(CommunicationProfile profile, List<DeviceSetting> descriptor) {
        SettingsCheck check = new SettingsCheck(ProfileConfiguration.FACTORY_PID + "-" + profile.name());
        for (DeviceSetting setting : descriptor) {
            String value = profile.settings().get(setting.name());
            String why = value == null ? null : setting.refusal(value);
            if (why != null) {
                return Optional.of(check.invalid(setting.name(), value, why).getMessage());
            }
        }
        return Optional.empty();
    }

    private List<DeviceSetting> descriptor(String type) {
        return devices.stream().filter(d -> d.type().equals(type)).findFirst()
                .map(CommunicationDevice::settings).orElse(List.of());
    }

    /** {@code tandem admin profiles DEVICE}: the settings the device's profiles take, as it publishes them. */
    private int describe(String type, PrintStream out, PrintStream err) {
        Optional<CommunicationDevice> device = devices.stream().filter(d -> d.type().equals(type)).findFirst();
        if (device.isEmpty()) {
            err.println("tandem admin profiles: no " + type + " device is installed (installed: "
                    + String.join(", ", devices.stream().map(CommunicationDevice::type).sorted().toList()) + "); " + USAGE);
            return 2;
        }
        List<DeviceSetting> settings = device.get().settings();
        if (settings.isEmpty()) {
            out.println("the " + type + " device does not describe its settings");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SETTING", "TAKES", "DEFAULT", "DESCRIPTION"});
        for (DeviceSetting s : settings) {
            String takes = switch (s.type()) {
                case INTEGER -> s.min() + ".." + s.max();
                case CHOICE -> String.join("|", s.choices());
                case SECRET -> "secret";
                case TEXT -> "text";
            };
            String fallback = s.fallback();
            rows.add(new String[] {s.name(), takes, fallback == null || fallback.isEmpty() ? "-" : fallback, s.description()});
        }
        print(rows, out);
        return 0;
    }

    /** The settings as {@code key=value}, with the value of every password or secret masked. */
    static String settings(Map<String, String> settings) {
        return settings(settings, List.of());
    }

    /**
     * The settings as {@code key=value}, with the value masked of every setting the descriptor calls
     * secret and of every password, secret or token the descriptor does not describe.
     */
    static String settings(Map<String, String> settings, List<DeviceSetting> descriptor) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(settings).forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            boolean secret = key.contains("password") || key.contains("secret") || key.contains("token")
                    || descriptor.stream().anyMatch(d -> d.name().equals(k) && d.type() == DeviceSetting.Type.SECRET);
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=').append(secret ? "****" : v);
        });
        return b.length() == 0 ? "-" : b.toString();
    }

    private static List<String> strings(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    private static void print(List<String[]> rows, PrintStream out) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
