package org.tandemrc.host.internal;

import org.tandemrc.support.password.PasswordFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.tandemrc.api.node.Command;
import org.tandemrc.support.command.ExitStatus;

/**
 * {@code tandem admin access ...}: the Host's Guest Access Security from the command line.
 * Passwords come from files, never from arguments.
 */
final class AccessCommand implements Command {

    static final String USAGE = """
            usage: tandem admin access show
                   tandem admin access password --password-file FILE [--role ROLE]
                   tandem admin access guest add ID --password-file FILE --role ROLE
                   tandem admin access guest remove ID
                   tandem admin access enable
                   tandem admin access maintenance --password-file FILE
            When a maintenance password is set, every change (and stopping the Host) also needs
            --maintenance-password-file FILE.""";

    private final GuestAccess access;

    AccessCommand(GuestAccess access) {
        this.access = access;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return ExitStatus.of(err, () -> execute(args, out, err));
    }

    private int execute(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || args.get(0).equals("show")) {
            access.describe(out);
            return 0;
        }
        if (!maintenanceAllows(args, err)) {
            return 1;
        }
        switch (args.get(0)) {
            case "maintenance" -> {
                String file = option(args, "--password-file", true);
                access.setPassword(PasswordStore.MAINTENANCE, "-", Path.of(file));
                out.println("maintenance password set; changing Guest access and stopping the Host now need it");
                return 0;
            }
            case "password" -> {
                String file = option(args, "--password-file", true);
                String role = option(args, "--role", false);
                role = role == null ? access.policy.sharedRole() : role;
                requireRole(role);
                access.setPassword(PasswordStore.SHARED, role, Path.of(file));
                out.println("shared password set; Guests using it get the role " + role);
                return 0;
            }
            case "guest" -> {
                if (args.size() < 3) {
                    err.println(USAGE);
                    return 2;
                }
                String id = args.get(2);
                // invitation:ID is the logon name of an invitation, whatever the Host's method.
                if (id.length() > 64 || id.equals(PasswordStore.SHARED) || id.isBlank() || id.contains("\t")
                        || id.startsWith(org.tandemrc.support.invitation.Invitation.LOGON_PREFIX)) {
                    err.println("tandem: a Guest ID is 1 to 64 characters, without tabs, not '*' and not invitation:...");
                    return 2;
                }
                if (args.get(1).equals("add")) {
                    String file = option(args, "--password-file", true);
                    String role = option(args, "--role", true);
                    requireRole(role);
                    access.setPassword(id, role, Path.of(file));
                    out.println("Guest ID " + id + " can log on with the role " + role);
                    return 0;
                }
                if (args.get(1).equals("remove")) {
                    if (!access.store.remove(id)) {
                        err.println("tandem: there is no Guest ID " + id);
                        return 1;
                    }
                    out.println("Guest ID " + id + " removed");
                    return 0;
                }
                err.println(USAGE);
                return 2;
            }
            case "enable" -> {
                access.disabled.set(false);
                out.println("the Host accepts Guests again");
                return 0;
            }
            default -> {
                err.println("tandem admin access: unknown '" + args.get(0) + "'\n" + USAGE);
                return 2;
            }
        }
    }

    /**
     * With a maintenance password set, a change needs {@code --maintenance-password-file FILE} holding
     * it; says why not on {@code err}.
     */
    boolean maintenanceAllows(List<String> args, PrintStream err) throws IOException {
        var entry = access.store.find(PasswordStore.MAINTENANCE);
        if (entry.isEmpty()) {
            return true;
        }
        String file = option(args, "--maintenance-password-file", false);
        if (file == null) {
            err.println("tandem: this Host has a maintenance password; give it with --maintenance-password-file FILE");
            return false;
        }
        char[] password = PasswordFile.read(Path.of(file));
        try {
            if (!MaintenanceCheck.matches(access, entry.get(), password, "local")) {
                err.println("tandem: wrong maintenance password");
                return false;
            }
            return true;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private void requireRole(String role) {
        if (!access.roles().containsKey(role)) {
            throw new IllegalArgumentException("there is no role '" + role + "'; roles: "
                    + String.join(", ", access.roles().keySet()));
        }
    }

    private static String option(List<String> args, String name, boolean required) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            if (required) {
                throw new IllegalArgumentException(name + " is required\n" + USAGE);
            }
            return null;
        }
        return args.get(i + 1);
    }
}
