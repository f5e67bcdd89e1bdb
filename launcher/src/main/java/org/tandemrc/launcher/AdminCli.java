package org.tandemrc.launcher;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem admin ...}: the model of the admin commands of the kernel and of the roles, checked
 * here before the request goes to the running node through its admin socket. A name the model does
 * not know goes to the node as it is: a plugin may add admin commands of its own.
 */
@Command(name = "admin", sortOptions = false,
        description = {"drive a running node: status, stop, bundles, features", "",
            "Drives the node running with the same home, through its admin socket run/admin.sock (only the node's"
                + " owner can use it). Bundles of a feature are managed through the feature; bundles from deploy/"
                + " through their files. Plugins may add commands: 'tandem admin NAME ...'.", ""})
final class AdminCli implements Callable<Integer> {

    /** The admin commands, in the order help lists them (see {@link Cli#commandLine}). */
    static final List<Class<?>> VERBS = List.of(Status.class, Stop.class, Bundle.class, Profiles.class,
            FeatureCommand.class, Access.class, AdminInvitation.class, Gateway.class, HelpCommand.class, HelpDesk.class,
            WebConnect.class, AdminSecurity.class, AdminAudit.class);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", hidden = true,
            description = "an admin command a plugin of the running node adds")
    List<String> extension;

    /** Lets unknown names and their options through to the node, and only them. */
    static void acceptExtensions(CommandLine admin) {
        admin.setUnmatchedOptionsArePositionalParams(true);
        for (CommandLine c : admin.getSubcommands().values()) {
            noExtensions(c);
        }
    }

    private static void noExtensions(CommandLine c) {
        c.setUnmatchedOptionsArePositionalParams(false);
        c.getSubcommands().values().forEach(AdminCli::noExtensions);
    }

    @Override
    public Integer call() throws Exception {
        if (extension == null || extension.isEmpty()) {
            throw Cli.wrong(spec, "say what to do: " + String.join(", ", spec.subcommands().keySet()));
        }
        return send(spec, extension);
    }

    /** Sends the request to the node with the home of the command line. */
    static int send(CommandSpec spec, List<String> request) throws Exception {
        Cli root = Cli.root(spec);
        NodeHome h = NodeHome.resolve(root.home);
        if (!AdminChannel.isServed(h.adminSocket())) {
            root.err.println("tandem: no node is running with home " + h
                    + " (start one with 'tandem host --home " + h + "')");
            return 1;
        }
        return AdminChannel.call(h.adminSocket(), request, root.out, root.err);
    }

    /**
     * Asks for a password twice on the terminal, or without one (when {@code fromInput}) reads the first
     * line of the input; the node reads it from the owner-only file returned, which the caller deletes
     * as soon as the node answered.
     */
    static Path askedPassword(CommandSpec spec, String prompt, boolean fromInput) throws IOException {
        Console console = System.console();
        char[] first;
        char[] second;
        if (console != null) {
            first = console.readPassword(prompt);
            second = console.readPassword("The same password again: ");
        } else if (fromInput) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            first = line == null || line.isEmpty() ? null : line.toCharArray();
            second = first;
            if (first == null) {
                throw Cli.wrong(spec, "no password on the input; type it at a terminal or give --password-file FILE");
            }
        } else {
            throw Cli.wrong(spec, "no terminal to ask for the password on; give --password-file FILE");
        }
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw Cli.wrong(spec, "the two passwords differ");
            }
            Path f = Files.createTempFile("tandem-password", ".pw",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(f, (new String(first) + "\n").getBytes(StandardCharsets.UTF_8));
            return f;
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** An admin command: sends its normalised request. */
    abstract static class Request implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine.ParseResult admin = spec.root().commandLine().getParseResult().subcommand();
            return send(spec, Cli.normalised(admin));
        }
    }

    @Command(name = "status", description = "role, uptime, features, where it listens")
    static final class Status extends Request {
    }

    @Command(name = "stop", description = "stop the node (the Host asks for its maintenance password when one is set)")
    static final class Stop extends Guarded {
    }

    @Command(name = "profiles", description = "every communication profile: device, enabled, where it listens or why"
            + " not, settings (secrets masked)")
    static final class Profiles extends Request {
    }

    /** A command on one bundle. */
    abstract static class OnBundle extends Request {
        @Parameters(paramLabel = "ID|NAME")
        String bundle;
    }

    /** A command on features by name. */
    abstract static class OnFeatures extends Request {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names = new ArrayList<>();
    }

    /** A command on one named entry (a user, an account). */
    abstract static class OnName extends Request {
        @Parameters(paramLabel = "NAME")
        String name;
    }

    @Command(name = "bundle", description = "list, install, update, uninstall, start or stop bundles",
            subcommands = {Bundle.ListBundles.class, Bundle.Install.class, Bundle.Update.class, Bundle.Uninstall.class,
                Bundle.StartBundle.class, Bundle.StopBundle.class})
    static final class Bundle extends Cli.Group {

        @Command(name = "list", description = "every bundle: id, state, name, version, where it came from")
        static final class ListBundles extends Request {
        }

        @Command(name = "install", description = "install (and start) a bundle from a jar file")
        static final class Install extends Request {
            @Parameters(paramLabel = "JAR")
            String jar;

            @Option(names = "--no-start", description = "install only")
            boolean noStart;
        }

        @Command(name = "update", description = "update a bundle in place, from JAR or from where it came from; only"
                + " it and the bundles wired to it are refreshed")
        static final class Update extends Request {
            @Parameters(index = "0", paramLabel = "ID|NAME")
            String bundle;

            @Parameters(index = "1", paramLabel = "JAR", arity = "0..1")
            String jar;
        }

        @Command(name = "uninstall", description = "uninstall a bundle installed with 'bundle install'")
        static final class Uninstall extends OnBundle {
        }

        @Command(name = "start", description = "start a bundle")
        static final class StartBundle extends OnBundle {
        }

        @Command(name = "stop", description = "stop a bundle")
        static final class StopBundle extends OnBundle {
        }
    }

    @Command(name = "feature", description = "the distribution's features: list, install, uninstall",
            subcommands = {FeatureCommand.ListFeatures.class, FeatureCommand.Install.class,
                FeatureCommand.Uninstall.class})
    static final class FeatureCommand extends Cli.Group {

        @Command(name = "list", description = "the distribution's features and which are installed")
        static final class ListFeatures extends Request {
        }

        @Command(name = "install", description = "install features (saved in etc/node.properties)")
        static final class Install extends OnFeatures {
        }

        @Command(name = "uninstall", description = "uninstall features and the bundles only they need")
        static final class Uninstall extends OnFeatures {
        }
    }

    /** A password to set: always from a file, never from an argument. */
    static final class PasswordFile {
        @Option(names = "--password-file", paramLabel = "FILE", required = true,
                description = "the password: the first line of FILE")
        String file;
    }

    /** The maintenance password a Host may ask for before any change. */
    static final class Maintenance {
        @Option(names = "--maintenance-password-file", paramLabel = "FILE",
                description = "the Host's maintenance password, when one is set")
        String file;
    }

    /** An access change: the Host may ask for its maintenance password. */
    abstract static class Guarded extends Request {
        @CommandLine.Mixin
        Maintenance maintenance;
    }

    /** An access change on one Guest ID. */
    abstract static class OnGuestId extends Guarded {
        @Parameters(paramLabel = "ID")
        String id;
    }

    @Command(name = "access", description = {"on a Host: its Guest Access Security; passwords come from files, never"
            + " from arguments. When a maintenance password is set, every change (and stopping the Host) also needs"
            + " --maintenance-password-file FILE."},
            subcommands = {Access.Show.class, Access.Password.class, Access.Guest.class, Access.Enable.class,
                Access.MaintenancePassword.class})
    static final class Access extends Request {

        @Command(name = "show", description = "who may log on, with which role")
        static final class Show extends Request {
        }

        @Command(name = "password", description = "set the shared password and the role it gives")
        static final class Password extends Guarded {
            @CommandLine.Mixin
            PasswordFile password;

            @Option(names = "--role", paramLabel = "ROLE", description = "default: the configured shared role")
            String role;
        }

        @Command(name = "guest", description = "add or remove an individual Guest ID",
                subcommands = {Guest.Add.class, Guest.Remove.class})
        static final class Guest extends Cli.Group {
            @Command(name = "add", description = "a Guest ID that logs on with its own password and role")
            static final class Add extends OnGuestId {
                @CommandLine.Mixin
                PasswordFile password;

                @Option(names = "--role", paramLabel = "ROLE", required = true)
                String role;
            }

            @Command(name = "remove", description = "remove a Guest ID")
            static final class Remove extends OnGuestId {
            }
        }

        @Command(name = "enable", description = "accept Guests again after too many wrong passwords")
        static final class Enable extends Guarded {
        }

        @Command(name = "maintenance", description = "set the maintenance password")
        static final class MaintenancePassword extends Guarded {
            @CommandLine.Mixin
            PasswordFile password;
        }
    }

    @Command(name = "gateway", description = "on a Gateway node: its device groups, users and routes; add or remove"
            + " Gateway users",
            subcommands = {Gateway.Show.class, Gateway.Help.class, Gateway.User.class})
    static final class Gateway extends Cli.Group {

        @Command(name = "show", description = "device groups, users and routes")
        static final class Show extends Request {
        }

        @Command(name = "help", description = "how Gateway users and patterns work")
        static final class Help extends Request {
        }

        @Command(name = "user", description = "add or remove Gateway users", subcommands = {User.Add.class,
            User.Remove.class})
        static final class User extends Cli.Group {
            @Command(name = "add", description = {"add a user (an existing one gets a new password, groups and"
                    + " patterns). PATTERN is matched against the target address a Guest asks for: * any characters"
                    + " but a dot, ** any characters, ? one character; e.g. 10.0.0.*  'terminal-server:*'"
                    + "  *.lan.example:6502."})
            static final class Add extends OnName {
                @CommandLine.Mixin
                PasswordFile password;

                @Option(names = "--groups", paramLabel = "GROUP[,GROUP...]|*", required = true)
                String groups;

                @Option(names = "--allow", paramLabel = "PATTERN", arity = "1..*", required = true)
                List<String> allow;
            }

            @Command(name = "remove", description = "remove a user")
            static final class Remove extends OnName {
            }
        }
    }

    @Command(name = "help", description = "on a Host: ask a help provider's Guest for help, see or cancel the request",
            subcommands = {HelpCommand.Ask.class, HelpCommand.Status.class, HelpCommand.Cancel.class})
    static final class HelpCommand extends Cli.Group {

        @Command(name = "request", description = {"send a help request to the Guest offering the help service NAME at"
                + " ADDRESS (e.g. tcp:helpdesk.example:6503, or gateway:10.1.0.5:6503 with a gateway profile named by"
                + " --profile). Defaults come from etc/org.tandemrc.host.help.cfg (provider, address, problem,"
                + " profile, timeout). The request stays pending until a supporter takes it, the supporter declines"
                + " it, it times out (--timeout, 0 = never) or you cancel it."})
        static final class Ask extends Request {
            @Option(names = "--provider", paramLabel = "NAME")
            String provider;

            @Option(names = "--to", paramLabel = "DEVICE:ADDRESS")
            String to;

            @Option(names = "--problem", paramLabel = "TEXT")
            String problem;

            @Option(names = "--profile", paramLabel = "NAME")
            String profile;

            @Option(names = "--timeout", paramLabel = "MINUTES")
            Integer timeout;
        }

        @Command(name = "status", description = "the request and how it went")
        static final class Status extends Request {
        }

        @Command(name = "cancel", description = "cancel the pending request")
        static final class Cancel extends Request {
        }
    }

    @Command(name = "helpdesk", description = "on a Guest with help services: where Hosts send help requests, the"
            + " pending ones; turn one down. Supporters take requests in the console's Help Request tab.",
            subcommands = {HelpDesk.Show.class, HelpDesk.Decline.class})
    static final class HelpDesk extends Request {

        @Command(name = "show", description = "services, where it listens, pending requests")
        static final class Show extends Request {
        }

        @Command(name = "decline", description = "turn a pending request down; the Host is told")
        static final class Decline extends Request {
            @Parameters(index = "0", paramLabel = "ID")
            String id;

            @Parameters(index = "1..*", paramLabel = "REASON", arity = "0..*")
            List<String> reason;
        }
    }

    @Command(name = "webconnect", description = "on a Connection Manager: accounts, support sessions and status",
            subcommands = {WebConnect.Account.class, WebConnect.SupportSession.class, WebConnect.Status.class})
    static final class WebConnect extends Cli.Group {

        @Command(name = "support", description = "support sessions: a code a temporary Host joins with, for one"
                + " account's supporters", subcommands = {SupportSession.New.class, SupportSession.Extend.class,
                    SupportSession.Cancel.class, SupportSession.End.class})
        static final class SupportSession extends Cli.Group {
            @Command(name = "new", description = "create a support session and print its code")
            static final class New extends Request {
                @Parameters(paramLabel = "ACCOUNT", description = "the account whose supporters' Guests connect")
                String account;

                @Option(names = "--supporter", paramLabel = "NAME", required = true,
                        description = "the supporter's name the person at the temporary Host sees")
                String supporter;

                @Option(names = "--code-minutes", paramLabel = "N", description = "how long the code is valid"
                        + " before a Host joins (default: the manager's support.code-minutes, 20)")
                Integer codeMinutes;

                @Option(names = "--lifetime-minutes", paramLabel = "N", description = "how long the session lasts"
                        + " once a Host joined (default: the manager's support.lifetime-hours, 24 h)")
                Integer lifetimeMinutes;
            }

            /** A command on one support session: ACCOUNT CODE. */
            abstract static class OnCode extends Request {
                @Parameters(index = "0", paramLabel = "ACCOUNT")
                String account;

                @Parameters(index = "1", paramLabel = "CODE", description = "the code, e.g. 123456789")
                String code;
            }

            @Command(name = "extend", description = "a new code, valid again for the code minutes (the old one"
                    + " stops working)")
            static final class Extend extends OnCode {
            }

            @Command(name = "cancel", description = "cancel a session no Host has joined yet")
            static final class Cancel extends OnCode {
            }

            @Command(name = "end", description = "end a session now: its Host is disconnected and Guests refused")
            static final class End extends OnCode {
            }
        }

        @Command(name = "account", description = "the accounts Hosts and Guests log on with",
                subcommands = {Account.Add.class, Account.ListAccounts.class, Account.Remove.class})
        static final class Account extends Cli.Group {
            @Command(name = "add", description = "add an account")
            static final class Add extends OnName {
                @CommandLine.Mixin
                PasswordFile password;

                @Option(names = "--max-connections", paramLabel = "N")
                Integer maxConnections;
            }

            @Command(name = "list", description = "the accounts")
            static final class ListAccounts extends Request {
            }

            @Command(name = "remove", description = "remove an account")
            static final class Remove extends OnName {
            }
        }

        @Command(name = "status", description = "managers, relays with their caps, Hosts")
        static final class Status extends Request {
        }
    }
}
