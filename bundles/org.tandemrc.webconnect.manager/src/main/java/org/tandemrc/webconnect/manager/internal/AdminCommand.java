package org.tandemrc.webconnect.manager.internal;

import static org.tandemrc.support.command.AdminArguments.option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tandemrc.support.password.PasswordFile;
import org.tandemrc.api.node.Command;
import org.tandemrc.webconnect.protocol.Support;

/**
 * {@code tandem admin webconnect ...} inside a running manager node. Passwords come from files, never
 * from arguments.
 */
final class AdminCommand implements Command {

    static final String USAGE = """
            usage: tandem admin webconnect account add NAME --password-file FILE [--max-connections N]
                   tandem admin webconnect account list
                   tandem admin webconnect account remove NAME
                   tandem admin webconnect status          (managers, relays with their caps, Hosts)
                   tandem admin webconnect support new ACCOUNT --supporter NAME [--code-minutes N] [--lifetime-minutes N]
                   tandem admin webconnect support extend|renew|cancel|end ACCOUNT CODE""";

    private final ManagerServer manager;

    AdminCommand(ManagerServer manager) {
        this.manager = manager;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        try {
            if (args.size() >= 2 && args.get(0).equals("account")) {
                switch (args.get(1)) {
                    case "add" -> {
                        if (args.size() < 3) {
                            break;
                        }
                        String name = args.get(2);
                        String file = option(args, "--password-file");
                        if (file == null) {
                            err.println("account add needs --password-file FILE");
                            return 2;
                        }
                        String max = option(args, "--max-connections");
                        char[] password = PasswordFile.read(Path.of(file));
                        try {
                            manager.accounts().put(name, password, max == null ? 0 : Integer.parseInt(max));
                        } finally {
                            Arrays.fill(password, '\0');
                        }
                        out.println("account " + name + " set" + (max == null ? "" : ", at most " + max + " connections"));
                        return 0;
                    }
                    case "list" -> {
                        out.printf("%-24s %-16s %-6s %s%n", "ACCOUNT", "MAX CONNECTIONS", "HOSTS", "CONNECTIONS");
                        for (String[] r : manager.accounts().list()) {
                            out.printf("%-24s %-16s %-6s %s%n", (Object[]) r);
                        }
                        return 0;
                    }
                    case "remove" -> {
                        if (args.size() < 3) {
                            break;
                        }
                        if (!manager.accounts().remove(args.get(2))) {
                            err.println("no account " + args.get(2));
                            return 1;
                        }
                        out.println("account " + args.get(2) + " removed");
                        return 0;
                    }
                    default -> {
                    }
                }
            } else if (args.size() >= 3 && args.get(0).equals("support")) {
                Support.Session s = support(args);
                if (s != null) {
                    out.println("support session " + Support.display(s.code()) + " of account " + args.get(2) + ": " + s.state()
                            + (s.state().equals("waiting") ? ", code valid until " + Instant.ofEpochMilli(s.codeExpires())
                                    + ", lifetime " + s.lifetimeMinutes() + " min once joined; the Host's profile:"
                                    + " support-code = " + s.code() + ", the supporter's Guests: support:" + s.code() : ""));
                    if (s.state().equals("waiting") && !s.link().isEmpty()) {
                        out.println("the person's link: " + s.link());
                    }
                    return 0;
                }
            } else if (args.size() == 1 && args.get(0).equals("status")) {
                for (String line : status()) {
                    out.println(line);
                }
                return 0;
            }
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ManagerServer.Refused e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException | SQLException e) {
            err.println("failed: " + e.getMessage());
            return 1;
        }
    }

    /** {@code support new|extend|renew|cancel|end ...}: the session as it stands after, or null for a usage error. */
    private Support.Session support(List<String> args) throws ManagerServer.Refused, SQLException {
        String account = args.get(2);
        if (args.get(1).equals("new")) {
            String supporter = option(args, "--supporter");
            if (supporter == null) {
                throw new IllegalArgumentException("support new needs --supporter NAME");
            }
            return manager.createSupport("admin", account, supporter, number(args, "--code-minutes"),
                    number(args, "--lifetime-minutes"));
        }
        int action = switch (args.get(1)) {
            case "extend" -> Support.EXTEND;
            case "renew" -> Support.RENEW;
            case "cancel" -> Support.CANCEL;
            case "end" -> Support.END;
            default -> 0;
        };
        return action == 0 || args.size() != 4 ? null
                : manager.changeSupport("admin", "the manager's administrator", account, action, args.get(3));
    }

    private static int number(List<String> args, String name) {
        String v = option(args, name);
        try {
            return v == null ? 0 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a number of minutes, not '" + v + "'");
        }
    }

    private List<String> status() throws SQLException {
        long now = System.currentTimeMillis();
        return manager.store().run(c -> {
            List<String> lines = new ArrayList<>();
            lines.add("database " + manager.store().url().replaceAll("password=[^;&]*", "password=***"));
            try (PreparedStatement s = c.prepareStatement("select id, address, heartbeat from wc_manager order by id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add("manager " + r.getString(1) + " at " + r.getString(2) + ", heartbeat "
                            + (now - r.getLong(3)) / 1000 + " s ago" + (r.getString(1).equals(manager.id()) ? " (this node)" : ""));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select id, address, sessions, heartbeat, info from wc_relay order by id");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add("relay " + r.getString(1) + " at " + r.getString(2) + ", " + r.getInt(3) + " sessions, heartbeat "
                            + (now - r.getLong(4)) / 1000 + " s ago; " + r.getString(5));
                }
            }
            try (PreparedStatement s = c.prepareStatement("select account, name, manager_id from wc_host order by account, name");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lines.add("host " + r.getString(2) + " (account " + r.getString(1) + ") on " + r.getString(3));
                }
            }
            return lines;
        });
    }


}
