package org.tandemrc.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.tandemrc.api.host.HostInvitations;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.invitation.Invitation;
import org.tandemrc.support.password.PasswordFile;

/**
 * {@code tandem admin invitation new|list|expire|resend|delete}: the person's invitations for a
 * supporter. The password comes from a file (the launcher asks on the terminal and hands it over in an
 * owner-only file), never from an argument.
 */
final class InvitationCommand implements Command {

    static final String USAGE = """
            usage: tandem admin invitation new --password-file FILE [--expires-minutes N] [--role ROLE] [--out FILE]
                   tandem admin invitation list
                   tandem admin invitation expire ID
                   tandem admin invitation resend ID [--out FILE]
                   tandem admin invitation delete ID""";

    private final HostInvitations invitations;

    InvitationCommand(HostInvitations invitations) {
        this.invitations = invitations;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return ExitStatus.of(err, () -> execute(new ArrayList<>(args), out, err));
    }

    private int execute(List<String> args, PrintStream out, PrintStream err) throws IOException {
        String verb = args.isEmpty() ? "list" : args.remove(0);
        switch (verb) {
            case "new" -> {
                String file = option(args, "--password-file");
                if (file == null) {
                    throw new IllegalArgumentException("--password-file is required\n" + USAGE);
                }
                String minutes = option(args, "--expires-minutes");
                String role = option(args, "--role");
                String outFile = option(args, "--out");
                noMore(args);
                Duration expiry = minutes == null ? Invitations.DEFAULT_EXPIRY : Duration.ofMinutes(number(minutes));
                char[] password = PasswordFile.read(Path.of(file));
                HostInvitations.Handout e;
                try {
                    e = invitations.create(password, expiry, role);
                } finally {
                    Arrays.fill(password, '\0');
                }
                return written(e, outFile, out);
            }
            case "list" -> {
                noMore(args);
                List<HostInvitations.Summary> all = invitations.list();
                if (all.isEmpty()) {
                    out.println("no invitations");
                }
                for (HostInvitations.Summary e : all) {
                    out.println(e.id() + "  " + e.state() + "  until " + e.expires() + "  role " + e.role()
                            + "  wrong passwords " + e.wrongPasswords());
                }
                return 0;
            }
            case "expire", "delete", "resend" -> {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("say which invitation: its ID\n" + USAGE);
                }
                String id = args.remove(0);
                String outFile = verb.equals("resend") ? option(args, "--out") : null;
                noMore(args);
                if (verb.equals("resend")) {
                    Optional<HostInvitations.Handout> e = invitations.resend(id);
                    if (e.isEmpty()) {
                        err.println("tandem: there is no open invitation " + id + " (an expired one cannot be resent)");
                        return ExitStatus.NOT_FOUND;
                    }
                    return written(e.get(), outFile, out);
                }
                boolean done = verb.equals("expire") ? invitations.expire(id) : invitations.delete(id);
                if (!done) {
                    err.println("tandem: there is no " + (verb.equals("expire") ? "open " : "") + "invitation " + id);
                    return ExitStatus.NOT_FOUND;
                }
                out.println("invitation " + id + (verb.equals("expire") ? " expired" : " deleted"));
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown '" + verb + "'\n" + USAGE);
        }
    }

    /** Writes the invitation's file and prints where, and the mail text to send. */
    private static int written(HostInvitations.Handout h, String outFile, PrintStream out) throws IOException {
        HostInvitations.Summary e = h.invitation();
        Path file = outFile != null ? Path.of(outFile)
                : Path.of(System.getProperty("user.home", "."), "Invitation-" + e.id().substring(0, 8)
                        + Invitation.FILE_SUFFIX);
        Invitation.parse(h.fileText()).write(file);
        out.println("invitation " + e.id() + " valid until " + e.expires() + ", role " + e.role());
        out.println("file: " + file.toAbsolutePath());
        out.println();
        out.print(h.mail());
        return 0;
    }

    private static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
        }
        String v = args.remove(i + 1);
        args.remove(i);
        return v;
    }

    private static void noMore(List<String> args) {
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unexpected '" + args.get(0) + "'\n" + USAGE);
        }
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--expires-minutes takes a number of minutes, not '" + s + "'");
        }
    }
}
