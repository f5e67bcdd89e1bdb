package org.tandemrc.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem admin security ...}: on a Security Server node, its nodes, Guest IDs, role rules and
 * one-time codes (the node's {@code admin:security} command does the work).
 */
@Command(name = "security", description = "on a Security Server: approve nodes, manage Guest IDs, role rules and"
        + " one-time codes", subcommands = {AdminSecurity.Status.class, AdminSecurity.Nodes.class,
            AdminSecurity.Guests.class, AdminSecurity.Rules.class, AdminSecurity.Otp.class})
final class AdminSecurity extends Cli.Group {

    @Command(name = "status", description = "key fingerprint, where it listens, database, directory, counts")
    static final class Status extends AdminCli.Request {
    }

    @Command(name = "nodes", description = "the nodes that connected: approve or disable their keys",
            subcommands = {Nodes.ListNodes.class, Nodes.Approve.class, Nodes.Disable.class})
    static final class Nodes extends Cli.Group {

        @Command(name = "list", description = "every node's key fingerprint, state (pending, approved, disabled),"
                + " kind, name and groups")
        static final class ListNodes extends AdminCli.Request {
        }

        /** A command on one node's key. */
        abstract static class OnKey extends AdminCli.Request {
            @Parameters(paramLabel = "SHA256:...", description = "the node's key fingerprint, as 'nodes list' shows it")
            String fingerprint;
        }

        @Command(name = "approve", description = "welcome the node with this key from now on; --name renames it (rules"
                + " and names use it), --group puts it in node groups (rules' group:NAME host patterns)")
        static final class Approve extends OnKey {
            @Option(names = "--name", paramLabel = "NAME")
            String name;

            @Option(names = "--group", paramLabel = "GROUP", arity = "1..*")
            List<String> groups;
        }

        @Command(name = "disable", description = "refuse the node with this key from its next connection on")
        static final class Disable extends OnKey {
        }
    }

    @Command(name = "guests", description = "the Guest IDs kept on the Security Server (SRP: the password is never"
            + " stored, only a verifier)", subcommands = {Guests.Add.class, Guests.Passwd.class, Guests.Disable.class,
                Guests.Enable.class, Guests.Delete.class, Guests.ListGuests.class})
    static final class Guests extends Cli.Group {

        /** A command on one Guest ID. */
        abstract static class OnId extends AdminCli.Request {
            @Parameters(paramLabel = "ID", index = "0")
            String id;
        }

        /** Sets a password: from --password-file, else asked on the terminal, else the first line of the input. */
        abstract static class WithPassword extends OnId {
            @Option(names = "--password-file", paramLabel = "FILE",
                    description = "the password: the first line of FILE; without it, asked twice on the terminal or"
                            + " read from the input's first line")
            String passwordFile;

            @Override
            public Integer call() throws Exception {
                List<String> request = new ArrayList<>(Cli.normalised(
                        spec.root().commandLine().getParseResult().subcommand()));
                if (passwordFile != null) {
                    int i = request.indexOf("--password-file");
                    request.set(i + 1, Path.of(passwordFile).toAbsolutePath().toString());
                    return AdminCli.send(spec, request);
                }
                Path asked = AdminCli.askedPassword(spec, "Password for " + id + ": ", true);
                try {
                    request.addAll(List.of("--password-file", asked.toAbsolutePath().toString()));
                    return AdminCli.send(spec, request);
                } finally {
                    Files.deleteIfExists(asked);
                }
            }
        }

        @Command(name = "add", description = "add a Guest ID (an existing one gets a new password and groups)")
        static final class Add extends WithPassword {
            @Option(names = "--group", paramLabel = "GROUP", arity = "1..*",
                    description = "groups the rules' group:NAME guest patterns match")
            List<String> groups;
        }

        @Command(name = "passwd", description = "give a Guest ID a new password")
        static final class Passwd extends WithPassword {
        }

        @Command(name = "disable", description = "refuse the Guest ID's logons at once")
        static final class Disable extends OnId {
        }

        @Command(name = "enable", description = "accept the Guest ID's logons again")
        static final class Enable extends OnId {
        }

        @Command(name = "delete", description = "delete the Guest ID, its groups and its one-time code")
        static final class Delete extends OnId {
        }

        @Command(name = "list", description = "the Guest IDs, their groups, disabled or not, one-time code required")
        static final class ListGuests extends AdminCli.Request {
        }
    }

    @Command(name = "rules", description = "the role rules, tried in order: the first whose guest and host patterns"
            + " match gives the role; no match: the logon is denied",
            subcommands = {Rules.Add.class, Rules.ListRules.class, Rules.Remove.class})
    static final class Rules extends Cli.Group {

        @Command(name = "add", description = "add a rule (last, or at --position N)")
        static final class Add extends AdminCli.Request {
            @Option(names = "--guest", paramLabel = "user:NAME|group:NAME|*", required = true)
            String guest;

            @Option(names = "--host", paramLabel = "PATTERN|group:NAME|console", required = true,
                    description = "the asking node's name (* any characters, ? one), its group, or 'console' for"
                            + " supporters logging on to a console")
            String host;

            @Option(names = "--role", paramLabel = "ROLE", required = true,
                    description = "the Host role given, e.g. 'Full access', 'View only'")
            String role;

            @Option(names = "--position", paramLabel = "N", description = "1 is tried first")
            Integer position;
        }

        @Command(name = "list", description = "the rules in the order they are tried")
        static final class ListRules extends AdminCli.Request {
        }

        @Command(name = "remove", description = "remove rule N (as 'rules list' numbers them)")
        static final class Remove extends AdminCli.Request {
            @Parameters(paramLabel = "N")
            int number;
        }
    }

    @Command(name = "otp", description = "one-time codes (TOTP, RFC 6238) of Guest IDs and directory users",
            subcommands = {Otp.Enroll.class, Otp.Require.class})
    static final class Otp extends Cli.Group {

        @Command(name = "enroll", description = "a new secret: prints the otpauth:// URI and a QR code for an"
                + " authenticator app")
        static final class Enroll extends Guests.OnId {
        }

        @Command(name = "require", description = "require (on) or stop requiring (off) a code at every logon")
        static final class Require extends Guests.OnId {
            @Parameters(paramLabel = "on|off", index = "1")
            String onOff;
        }
    }
}
