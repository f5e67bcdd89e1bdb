package org.tandemrc.security.server.internal;

import static org.tandemrc.support.command.AdminArguments.option;
import static org.tandemrc.support.command.AdminArguments.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.security.server.internal.SecurityStore.Guest;
import org.tandemrc.security.server.internal.SecurityStore.Node;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.otp.Totp;
import org.tandemrc.support.password.PasswordFile;

/**
 * {@code tandem admin security ...}: the Security Server's nodes, Guest IDs, rules and one-time codes.
 * Every change is a {@code TSECSS*} event (or {@code TSECSSNODE} for a node). Passwords come from a file
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

    private void nodes(String verb, List<String> args, PrintStream out) throws SQLException {
        if (verb.equals("list")) {
            List<Node> nodes = server.store.nodes();
            if (nodes.isEmpty()) {
                out.println("no node has connected yet");
            }
            for (Node n : nodes) {
                out.println(n.fingerprint() + "  " + n.state().id() + "  " + n.kind() + "  " + n.name()
                        + (n.groups().isEmpty() ? "" : "  groups " + String.join(",", n.groups())) + "  last seen "
                        + Instant.ofEpochMilli(n.lastSeen()));
            }
            return;
        }
        String fp = argument(args, 2, "SHA256:...");
        switch (verb) {
            case "approve" -> {
                String name = option(args, "--name");
                if (name != null) {
                    checkName(name, "--name");
                }
                List<String> groups = values(args, "--group");
                groups.forEach(g -> checkName(g, "--group"));
                if (!server.store.approve(fp, name, groups.isEmpty() ? null : new LinkedHashSet<>(groups))) {
                    throw new IllegalArgumentException("no node with the key " + fp + " has connected (see 'nodes list')");
                }
                Node n = server.store.node(fp).orElseThrow();
                changed(EventCodes.TANDEM_SECURITY_SERVER_NODE, "approved " + n.name() + " (" + fp + ")"
                        + (n.groups().isEmpty() ? "" : " groups " + String.join(",", n.groups())));
                out.println("approved " + n.name() + " (" + fp + "); it is welcomed when it connects again");
            }
            case "disable" -> {
                if (!server.store.disable(fp)) {
                    throw new IllegalArgumentException("no node with the key " + fp);
                }
                changed(EventCodes.TANDEM_SECURITY_SERVER_NODE, "disabled " + fp);
                out.println("disabled " + fp + "; its next connection is refused");
            }
            default -> throw new IllegalArgumentException("nodes list|approve|disable\n" + USAGE);
        }
    }

    // ---- Guest IDs ------------------------------------------------------------------------------

    private void guests(String verb, List<String> args, PrintStream out)
            throws IOException, SQLException {
        if (verb.equals("list")) {
            List<Guest> guests = server.store.guests();
            if (guests.isEmpty()) {
                out.println("no Guest IDs (add one with 'tandem admin security guests add ID')");
            }
            for (Guest g : guests) {
                boolean otp = server.store.otp(g.id()).map(SecurityStore.Otp::required).orElse(false);
                out.println(g.id() + (g.disabled() ? "  disabled" : "") + (g.groups().isEmpty() ? ""
                        : "  groups " + String.join(",", g.groups())) + (otp ? "  one-time code required" : ""));
            }
            return;
        }
        String id = argument(args, 2, "ID");
        checkName(id, "ID");
        switch (verb) {
            case "add", "passwd" -> {
                boolean exists = server.store.guest(id).isPresent();
                if (verb.equals("passwd") && !exists) {
                    throw new IllegalArgumentException("there is no Guest ID " + id);
                }
                List<String> groups = values(args, "--group");
                groups.forEach(g -> checkName(g, "--group"));
                char[] password = password(args);
                String verifier;
                try {
                    verifier = PasswordVerifier.create(id, password, server.random).encode();
                } finally {
                    Arrays.fill(password, '\0');
                }
                Set<String> newGroups = verb.equals("add") ? new LinkedHashSet<>(groups) : null;
                server.store.putGuest(id, verifier, newGroups, server.clock.millis());
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, (exists ? "password of Guest ID " : "Guest ID added ")
                        + id + (newGroups == null || newGroups.isEmpty() ? "" : " groups " + String.join(",", newGroups)));
                out.println("Guest ID " + id + (exists ? " changed" : " added"));
            }
            case "disable", "enable" -> {
                if (!server.store.disableGuest(id, verb.equals("disable"))) {
                    throw new IllegalArgumentException("there is no Guest ID " + id);
                }
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "Guest ID " + id + " " + verb + "d");
                out.println("Guest ID " + id + " " + verb + "d");
            }
            case "delete" -> {
                if (!server.store.deleteGuest(id)) {
                    throw new IllegalArgumentException("there is no Guest ID " + id);
                }
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "Guest ID " + id + " deleted");
                out.println("Guest ID " + id + " deleted");
            }
            default -> throw new IllegalArgumentException("guests add|passwd|disable|enable|delete|list\n" + USAGE);
        }
    }

    /**
     * The password, from the file the launcher wrote (it read the password from its input or a prompt);
     * the caller clears it.
     */
    private static char[] password(List<String> args) throws IOException {
        return PasswordFile.read(Path.of(required(args, "--password-file")));
    }

    // ---- rules ----------------------------------------------------------------------------------

    private void rules(String verb, List<String> args, PrintStream out) throws SQLException {
        switch (verb) {
            case "list" -> {
                List<Rule> rules = server.store.rules();
                if (rules.isEmpty()) {
                    out.println("no rules: every logon is denied (add one with 'tandem admin security rules add ...')");
                }
                for (int i = 0; i < rules.size(); i++) {
                    Rule r = rules.get(i);
                    out.println((i + 1) + "  guest " + r.guest() + "  host " + r.host() + "  role " + r.role());
                }
            }
            case "add" -> {
                Rule r = Rules.check(required(args, "--guest"), required(args, "--host"), required(args, "--role"));
                String position = option(args, "--position");
                int at = server.store.addRule(position == null ? 0 : number(position, "--position"), r);
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "rule " + at + " added: guest " + r.guest()
                        + " host " + r.host() + " role " + r.role());
                out.println("rule " + at + ": guest " + r.guest() + "  host " + r.host() + "  role " + r.role());
            }
            case "remove" -> {
                int n = number(argument(args, 2, "N"), "N");
                if (!server.store.removeRule(n)) {
                    throw new IllegalArgumentException("there is no rule " + n + " (see 'rules list')");
                }
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "rule " + n + " removed");
                out.println("rule " + n + " removed");
            }
            default -> throw new IllegalArgumentException("rules add|list|remove\n" + USAGE);
        }
    }

    // ---- one-time codes -------------------------------------------------------------------------

    private void otp(String verb, List<String> args, PrintStream out) throws SQLException {
        String id = argument(args, 2, "ID");
        checkName(id, "ID");
        switch (verb) {
            case "enroll", "enrol" -> {
                Totp totp = Totp.of(Totp.newSecret(server.random));
                server.store.enrol(id, Totp.base32(totp.secret()));
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "one-time code enrolled for " + id);
                String uri = totp.uri(server.settings.otpIssuer(), id);
                out.println("Scan this with an authenticator app, or enter the secret " + Totp.base32(totp.secret()));
                out.print(QrText.render(uri));
                out.println(uri);
                out.println("Then require it with 'tandem admin security otp require " + id + " on'.");
            }
            case "require" -> {
                String on = argument(args, 3, "on|off");
                if (!on.equals("on") && !on.equals("off")) {
                    throw new IllegalArgumentException("otp require ID on|off");
                }
                if (!server.store.require(id, on.equals("on"))) {
                    throw new IllegalArgumentException(id + " has not enrolled: 'tandem admin security otp enroll " + id
                            + "' first");
                }
                changed(EventCodes.TANDEM_SECURITY_SERVER_CHANGED, "one-time code " + (on.equals("on") ? "required"
                        : "no longer required") + " for " + id);
                out.println("one-time code " + (on.equals("on") ? "required" : "no longer required") + " for " + id);
            }
            default -> throw new IllegalArgumentException("otp enroll|require\n" + USAGE);
        }
    }

    // ---- arguments ------------------------------------------------------------------------------

    private void changed(String code, String what) {
        server.audit.record(code, Severity.INFO, "local", "administrator", what);
    }

    private static void checkName(String name, String what) {
        if (name.isEmpty() || name.length() > SecurityServerWire.MAX_NAME || name.equals("*") || name.contains(",")
                || name.startsWith("-") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " '" + name + "' must be 1 to " + SecurityServerWire.MAX_NAME
                    + " printable characters, without a comma, not starting with '-', and not *");
        }
    }

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
