package org.tandemrc.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem admin invitation ...}: the person at a Host invites a supporter (Remote Assistance the
 * other way round). The Host keeps only a verifier of the password; files are named here with absolute
 * paths, since the running node reads and writes them.
 */
@Command(name = "invitation", description = {"on a Host: invitations for a supporter, protected by a password you"
        + " choose (tell it by phone) and an expiry; the file and the mail text name the Host's addresses and key"},
        subcommands = {AdminInvitation.New.class, AdminInvitation.ListInvitations.class, AdminInvitation.Expire.class,
            AdminInvitation.Resend.class, AdminInvitation.Delete.class})
final class AdminInvitation extends Cli.Group {

    /** Where the invitation's file goes; the node's own default when not given. */
    static final class Out {
        @Option(names = "--out", paramLabel = "FILE", description = "where to write the invitation file"
                + " (default: ~/Invitation-ID.tandem-invitation)")
        String file;

        void add(List<String> request) {
            if (file != null) {
                request.addAll(List.of("--out", Path.of(file).toAbsolutePath().toString()));
            }
        }
    }

    @Command(name = "new", description = "make an invitation: asks for its password twice unless --password-file")
    static final class New extends AdminCli.Request {
        @Option(names = "--password-file", paramLabel = "FILE", description = "the password (at least 8 characters):"
                + " the first line of FILE")
        String passwordFile;

        @Option(names = "--expires-minutes", paramLabel = "N", description = "minutes until it expires, 1..1440"
                + " (default 60)")
        Integer minutes;

        @Option(names = "--role", paramLabel = "ROLE", description = "the role it gives (default: Attended support,"
                + " which asks you before access and control)")
        String role;

        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() throws Exception {
            List<String> request = new ArrayList<>(List.of("invitation", "new"));
            Path asked = passwordFile == null ? asked() : null;
            try {
                request.addAll(List.of("--password-file",
                        (asked != null ? asked : Path.of(passwordFile)).toAbsolutePath().toString()));
                if (minutes != null) {
                    request.addAll(List.of("--expires-minutes", Integer.toString(minutes)));
                }
                if (role != null) {
                    request.addAll(List.of("--role", role));
                }
                out.add(request);
                return AdminCli.send(spec, request);
            } finally {
                if (asked != null) {
                    Files.deleteIfExists(asked);
                }
            }
        }

        private Path asked() throws IOException {
            return AdminCli.askedPassword(spec, "Password for the invitation (at least 8 characters): ", false);
        }
    }

    @Command(name = "list", description = "the invitations: open, or expired and why")
    static final class ListInvitations extends AdminCli.Request {
    }

    /** A command on one invitation. */
    abstract static class OnInvitation extends AdminCli.Request {
        @Parameters(paramLabel = "ID")
        String id;
    }

    @Command(name = "expire", description = "end an invitation now")
    static final class Expire extends OnInvitation {
    }

    @Command(name = "resend", description = "write the file and the mail text again (same ID and expiry)")
    static final class Resend extends OnInvitation {
        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() throws Exception {
            List<String> request = new ArrayList<>(List.of("invitation", "resend", id));
            out.add(request);
            return AdminCli.send(spec, request);
        }
    }

    @Command(name = "delete", description = "forget an invitation")
    static final class Delete extends OnInvitation {
    }
}
