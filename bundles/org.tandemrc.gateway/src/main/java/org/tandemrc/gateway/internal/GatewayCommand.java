package org.tandemrc.gateway.internal;

import org.tandemrc.support.password.PasswordFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.support.command.AdminArguments;
import org.tandemrc.support.command.ExitStatus;

/**
 * {@code tandem admin gateway ...}: the Gateway's users, groups and routes from the command line.
 * Passwords come from files, never from arguments.
 */
final class GatewayCommand implements Command {

    static final String USAGE = """
            usage: tandem admin gateway show
                   tandem admin gateway help
                   tandem admin gateway user add NAME --password-file FILE --groups GROUP[,GROUP...]|*
                                                 --allow PATTERN [PATTERN...]
                   tandem admin gateway user remove NAME
            PATTERN is matched against the target address a Guest asks for: * any characters but a dot,
            ** any characters, ? one character; e.g. 10.0.0.*  'terminal-server:*'  *.lan.example:6502.
            Adding an existing user replaces its password, groups and patterns.""";

    private final Gateway gateway;
    private final GatewayNode node;

    GatewayCommand(Gateway gateway, GatewayNode node) {
        this.gateway = gateway;
        this.node = node;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return ExitStatus.of(err, () -> execute(args, out, err));
    }

    private int execute(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || args.get(0).equals("show")) {
            show(out);
            return 0;
        }
        if (args.get(0).equals("help")) {
            out.println(USAGE);
            return 0;
        }
        if (!args.get(0).equals("user") || args.size() < 3) {
            err.println("tandem admin gateway: unknown '" + String.join(" ", args) + "'\n" + USAGE);
            return 2;
        }
        String name = args.get(2);
        GatewayUsers.checkName(name);
        switch (args.get(1)) {
            case "add" -> {
                String file = option(args, "--password-file");
                List<String> groups = GatewayUsers.parseGroups(option(args, "--groups"));
                List<Glob> targets = GatewayUsers.parseTargets(String.join(",", values(args, "--allow")));
                char[] password = PasswordFile.read(Path.of(file));
                PasswordVerifier verifier;
                try {
                    verifier = PasswordVerifier.create(name, password, gateway.random);
                } finally {
                    Arrays.fill(password, '\0');
                }
                boolean existed = gateway.users.put(new GatewayUsers.User(name, groups, targets, verifier));
                gateway.audit.record(existed ? EventCodes.GATEWAY_GUEST_CHANGED : EventCodes.GATEWAY_GUEST_ADDED,
                        Severity.INFO, "local", name, "groups " + String.join(",", groups) + "; targets "
                                + String.join(",", targets.stream().map(Glob::toString).toList()));
                out.println("Gateway user " + name + (existed ? " changed" : " added") + ": groups "
                        + String.join(", ", groups) + "; may reach " + String.join(", ",
                                targets.stream().map(Glob::toString).toList()));
                return 0;
            }
            case "remove" -> {
                if (!gateway.users.remove(name)) {
                    err.println("tandem: there is no Gateway user " + name);
                    return 1;
                }
                gateway.audit.record(EventCodes.GATEWAY_GUEST_DELETED, Severity.INFO, "local", name, "");
                out.println("Gateway user " + name + " removed");
                return 0;
            }
            default -> {
                err.println(USAGE);
                return 2;
            }
        }
    }

    private void show(PrintStream out) throws IOException {
        GatewaySettings s = gateway.settings;
        out.println("Gateway " + s.name());
        out.println("listening  " + (node == null ? "-" : String.join(", ", node.listening())));
        out.println("logon      SRP-6a; " + (s.maxPasswordAttempts() == 0 ? "no limit of wrong passwords"
                : s.maxPasswordAttempts() + " wrong passwords lock an address out for " + s.lockoutMinutes() + " min"));
        out.println("idle       " + (s.idleTimeoutSeconds() == 0 ? "routes never time out"
                : "routes close after " + s.idleTimeoutSeconds() + " s without a message"));
        out.println("device groups:");
        List<String> groups = node == null ? new ArrayList<>(gateway.groups.keySet()) : node.describeGroups();
        if (groups.isEmpty()) {
            out.println("  none (add etc/org.tandemrc.gateway.group-NAME.cfg with profiles = ...)");
        }
        groups.forEach(g -> out.println("  " + g));
        out.println("users (" + gateway.users.file() + "):");
        var users = gateway.users.read();
        if (users.isEmpty()) {
            out.println("  none (add one with 'tandem admin gateway user add ...')");
        }
        for (GatewayUsers.User u : users.values()) {
            out.println("  " + u.name() + ": groups " + String.join(", ", u.groups()) + "; may reach "
                    + String.join(", ", u.targets().stream().map(Glob::toString).toList()));
        }
        out.println("routes open: " + gateway.routes.size());
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(name + " is required\n" + USAGE);
        }
        return args.get(i + 1);
    }

    /** The values after an option, up to the next option. */
    private static List<String> values(List<String> args, String name) {
        List<String> values = AdminArguments.values(args, name);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " is required\n" + USAGE);
        }
        return values;
    }
}
