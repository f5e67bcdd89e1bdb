package org.tandemrc.security.server.internal;

import static org.tandemrc.support.command.AdminArguments.option;
import static org.tandemrc.support.command.AdminArguments.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import org.tandemrc.api.node.Command;
import org.tandemrc.security.server.admin.SecurityAdministration.By;
import org.tandemrc.security.server.admin.SecurityAdministration.Enrolment;
import org.tandemrc.security.server.admin.SecurityAdministration.GuestInfo;
import org.tandemrc.security.server.admin.SecurityAdministration.NodeInfo;
import org.tandemrc.security.server.admin.SecurityAdministration.RuleInfo;
import org.tandemrc.security.server.internal.SecurityStore.Node;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.password.PasswordFile;

/**
 * {@code tandem admin security ...}: the Security Server's nodes, Guest IDs, rules and one-time codes.
 * It runs {@link Administration}, as the browser console does: every change is a {@code TSECSS*} event (or
 * {@code TSECSSNODE} for a node). Passwords come from a file
 * or from the input, never from arguments.
 */
record SecurityCommand(SecurityServer server, SecurityServerNode node) implements Command {

    static final String USAGE = """
            usage: tandem admin security status
                   tandem admin security nodes list
                   tandem admin security nodes approve SHA256:... [--name NAME] [--group GROUP]...
                   tandem admin security nodes disable SHA256:...
                   tandem admin security guests add ID [--group GROUP]... [--password-file FILE]
                   tandem admin security guests passwd ID [--password-file FILE]
                   tandem admin security guests disable|enable|delete ID
                   tandem admin security guests list
                   tandem admin security rules add --guest user:NAME|group:NAME|* --host PATTERN|group:NAME|console
                                                   --role ROLE [--position N]
                   tandem admin security rules list
                   tandem admin security rules remove N
                   tandem admin security otp enroll ID
                   tandem admin security otp require ID on|off
            Without --password-file, 'tandem admin security' reads the password from its input or a prompt.
            Rules are tried in order; the first whose guest and host patterns match gives the role.""";

    /** Changes from the command line: by the node's administrator, on the node itself. */
    private static final By BY = new By("administrator", "local");

    private Administration admin() {
        return new Administration(server);
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        return ExitStatus.of(err, () -> {
            try {
                return execute(args, out);
            } catch (SQLException e) {
                throw new IOException("the Security Server's database: " + e.getMessage(), e);
            }
        });
    }

    private int execute(List<String> args, PrintStream out)
            throws IOException, SQLException {
        String area = args.isEmpty() ? "status" : args.get(0);
        String verb = args.size() > 1 ? args.get(1) : "list";
        switch (area) {
            case "status" -> status(out);
            case "help" -> out.println(USAGE);
            case "nodes" -> nodes(verb, args, out);
            case "guests" -> guests(verb, args, out);
            case "rules" -> rules(verb, args, out);
            case "otp" -> otp(verb, args, out);
            default -> throw new IllegalArgumentException("unknown '" + String.join(" ", args) + "'\n" + USAGE);
        }
        return ExitStatus.OK;
    }

    private void status(PrintStream out) throws SQLException {
        SecuritySettings s = server.settings;
        out.println("Security Server " + s.name());
        out.println("key        " + server.identity.fingerprint() + "  (nodes pin it)");
        out.println("listening  " + (node == null ? "-" : String.join(", ", node.listening())));
        out.println("database   " + server.store.url());
        out.println("directory  " + s.directory() + (node == null ? "" : "; installed methods: "
                + (node.methods().isEmpty() ? "none" : String.join(", ", node.methods()))));
        out.println("audit      " + (node != null && node.trailPresent() ? "events are stored"
                : "no audit trail installed: nodes keep their events"));
        out.println("one-time   " + (s.otpRoles().isEmpty() ? "per user" : "per user, and for roles "
                + String.join(", ", s.otpRoles())));
        List<Node> nodes = server.store.nodes();
        out.println("nodes      " + nodes.stream().filter(n -> n.state() == SecurityStore.NodeState.APPROVED).count()
                + " approved, " + nodes.stream().filter(n -> n.state() == SecurityStore.NodeState.PENDING).count()
                + " pending");
        out.println("guest IDs  " + server.store.guests().size() + "; rules " + server.store.rules().size());
    }

    // ---- nodes ----------------------------------------------------------------------------------

    private void nodes(String verb, List<String> args, PrintStream out) throws IOException {
        if (verb.equals("list")) {
            List<NodeInfo> nodes = admin().nodes();
            if (nodes.isEmpty()) {
                out.println("no node has connected yet");
            }
            for (NodeInfo n : nodes) {
                out.println(n.fingerprint() + "  " + n.state() + "  " + n.kind() + "  " + n.name()
                        + (n.groups().isEmpty() ? "" : "  groups " + String.join(",", n.groups())) + "  last seen "
                        + n.lastSeen());
            }
            return;
        }
        String fp = argument(args, 2, "SHA256:...");
        switch (verb) {
            case "approve" -> {
                NodeInfo n = admin().approve(fp, option(args, "--name"), values(args, "--group"), BY);
                out.println("approved " + n.name() + " (" + fp + "); it is welcomed when it connects again");
            }
            case "disable" -> {
                admin().disableNode(fp, BY);
                out.println("disabled " + fp + "; its next connection is refused");
            }
            default -> throw new IllegalArgumentException("nodes list|approve|disable\n" + USAGE);
        }
    }

    // ---- Guest IDs ------------------------------------------------------------------------------

    private void guests(String verb, List<String> args, PrintStream out) throws IOException {
        if (verb.equals("list")) {
            List<GuestInfo> guests = admin().guests();
            if (guests.isEmpty()) {
                out.println("no Guest IDs (add one with 'tandem admin security guests add ID')");
            }
            for (GuestInfo g : guests) {
                out.println(g.id() + (g.disabled() ? "  disabled" : "") + (g.groups().isEmpty() ? ""
                        : "  groups " + String.join(",", g.groups())) + (g.otpRequired() ? "  one-time code required" : ""));
            }
            return;
        }
        String id = argument(args, 2, "ID");
        switch (verb) {
            case "add", "passwd" -> {
                List<String> groups = verb.equals("add") ? values(args, "--group") : null;
                Administration.checkName(id, "ID");
                boolean existed = admin().putGuest(id, password(args), groups, BY);
                out.println("Guest ID " + id + (existed ? " changed" : " added"));
            }
            case "disable", "enable" -> {
                admin().disableGuest(id, verb.equals("disable"), BY);
                out.println("Guest ID " + id + " " + verb + "d");
            }
            case "delete" -> {
                admin().deleteGuest(id, BY);
                out.println("Guest ID " + id + " deleted");
            }
            default -> throw new IllegalArgumentException("guests add|passwd|disable|enable|delete|list\n" + USAGE);
        }
    }

    /**
     * The password, from the file the launcher wrote (it read the password from its input or a prompt);
     * {@link Administration#putGuest} clears it.
     */
    private static char[] password(List<String> args) throws IOException {
        return PasswordFile.read(Path.of(required(args, "--password-file")));
    }

    // ---- rules ----------------------------------------------------------------------------------

    private void rules(String verb, List<String> args, PrintStream out) throws IOException {
        switch (verb) {
            case "list" -> {
                List<RuleInfo> rules = admin().rules();
                if (rules.isEmpty()) {
                    out.println("no rules: every logon is denied (add one with 'tandem admin security rules add ...')");
                }
                for (RuleInfo r : rules) {
                    out.println(r.position() + "  guest " + r.guest() + "  host " + r.host() + "  role " + r.role());
                }
            }
            case "add" -> {
                String position = option(args, "--position");
                Rule r = Rules.check(required(args, "--guest"), required(args, "--host"), required(args, "--role"));
                int at = admin().addRule(position == null ? 0 : number(position, "--position"), r.guest(), r.host(),
                        r.role(), BY);
                out.println("rule " + at + ": guest " + r.guest() + "  host " + r.host() + "  role " + r.role());
            }
            case "remove" -> {
                int n = number(argument(args, 2, "N"), "N");
                admin().removeRule(n, BY);
                out.println("rule " + n + " removed");
            }
            default -> throw new IllegalArgumentException("rules add|list|remove\n" + USAGE);
        }
    }

    // ---- one-time codes -------------------------------------------------------------------------

    private void otp(String verb, List<String> args, PrintStream out) throws IOException {
        String id = argument(args, 2, "ID");
        switch (verb) {
            case "enroll", "enrol" -> {
                Enrolment e = admin().enrol(id, BY);
                out.println("Scan this with an authenticator app, or enter the secret " + e.secret());
                out.print(Qr.text(e.uri()));
                out.println(e.uri());
                out.println("Then require it with 'tandem admin security otp require " + id + " on'.");
            }
            case "require" -> {
                String on = argument(args, 3, "on|off");
                if (!on.equals("on") && !on.equals("off")) {
                    throw new IllegalArgumentException("otp require ID on|off");
                }
                admin().requireOtp(id, on.equals("on"), BY);
                out.println("one-time code " + (on.equals("on") ? "required" : "no longer required") + " for " + id);
            }
            default -> throw new IllegalArgumentException("otp enroll|require\n" + USAGE);
        }
    }

    // ---- arguments ------------------------------------------------------------------------------

    private static String argument(List<String> args, int index, String what) {
        if (args.size() <= index || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(what + " is missing\n" + USAGE);
        }
        return args.get(index);
    }

    private static String required(List<String> args, String name) {
        String v = option(args, name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required\n" + USAGE);
        }
        return v;
    }

    private static int number(String s, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is a whole number, not '" + s + "'");
        }
    }
}
