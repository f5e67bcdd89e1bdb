package org.tandemrc.guest.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.adhoc.SupportDesk;
import org.tandemrc.api.adhoc.SupportSession;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem support new|list|status|extend|renew|cancel|end}: the supporter's ad hoc support sessions
 * on the command line, through the node's {@link SupportDesk}. The launcher has checked the command line;
 * it arrives normalised (the verb, its code, then its options, each with its value).
 */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=support")
public class SupportCommand implements Command {

    private static final Set<String> NEW = Set.of("--profile", "--supporter", "--code-minutes", "--lifetime-minutes");
    private static final Set<String> OTHERS = Set.of("--profile");
    private static final Set<String> ON_CODE = Set.of("status", "extend", "renew", "cancel", "end");

    @Reference
    private SupportDesk desk;

    private ZoneId zone = ZoneId.systemDefault();

    public SupportCommand() {
    }

    /** For tests: a command on {@code desk} telling times in {@code zone}. */
    SupportCommand(SupportDesk desk, ZoneId zone) {
        this.desk = desk;
        this.zone = zone;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        try {
            return execute(args, out);
        } catch (GuestCommand.Usage e) {
            err.println(e.getMessage());
            err.println("Try 'tandem support --help'.");
            return ExitStatus.USAGE;
        } catch (GuestCommand.Failure e) {
            // The manager's refusals quote names a supporter typed: never raw on the terminal.
            err.println("tandem: " + PeerText.escape(e.getMessage()));
            return e.status;
        }
    }

    private int execute(List<String> args, PrintStream out) throws GuestCommand.Usage, GuestCommand.Failure {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                words.add(a);
            } else if (i + 1 < args.size()) {
                options.put(a, args.get(++i));
            } else {
                throw new GuestCommand.Usage("tandem support: " + a + " needs a value");
            }
        }
        String verb = words.isEmpty() ? "" : words.get(0);
        boolean onCode = ON_CODE.contains(verb);
        if (!onCode && !verb.equals("new") && !verb.equals("list")) {
            throw new GuestCommand.Usage("tandem support: say which: new, list, status, extend, renew, cancel, end");
        }
        if (words.size() != (onCode ? 2 : 1)) {
            throw new GuestCommand.Usage("tandem support " + verb + (onCode ? ": give the session's CODE" : ": unexpected '"
                    + words.get(words.size() - 1) + "'"));
        }
        for (String name : options.keySet()) {
            if (!(verb.equals("new") ? NEW : OTHERS).contains(name)) {
                throw new GuestCommand.Usage("tandem support " + verb + ": unknown option " + name);
            }
        }
        try {
            String profile = profile(options.get("--profile"));
            switch (verb) {
                case "new" -> {
                    String supporter = options.getOrDefault("--supporter", System.getProperty("user.name", ""));
                    show(desk.create(profile, supporter, minutes(options, "--code-minutes"),
                            minutes(options, "--lifetime-minutes")), out);
                }
                case "list" -> list(desk.list(profile), out);
                default -> show(desk.change(profile, words.get(1), SupportDesk.Change.valueOf(verb.toUpperCase(Locale.ROOT))),
                        out);
            }
            return ExitStatus.OK;
        } catch (GuestException e) {
            throw new GuestCommand.Failure(e);
        }
    }

    /** The named profile, else the only one that can make support sessions. */
    private String profile(String named) throws GuestCommand.Usage, GuestCommand.Failure {
        if (named != null) {
            return named;
        }
        List<String> can = desk.profiles();
        if (can.isEmpty()) {
            throw new GuestCommand.Failure("no communication profile of this node can make support sessions: add a"
                    + " webconnect profile with manager, account and password (etc/org.tandemrc.profile-NAME.cfg)",
                    ExitStatus.NOT_FOUND);
        }
        if (can.size() > 1) {
            throw new GuestCommand.Usage("tandem support: say which profile with --profile: " + String.join(", ", can));
        }
        return can.get(0);
    }

    private static int minutes(Map<String, String> options, String name) throws GuestCommand.Usage {
        String v = options.get(name);
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 7 * 24 * 60) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new GuestCommand.Usage("tandem support new: " + name + " is 1..10080 minutes, not '" + v + "'");
    }

    private void show(SupportSession s, PrintStream out) {
        out.println("code:        " + s.displayCode());
        out.println("state:       " + s.state());
        out.println("supporter:   " + PeerText.escape(s.supporter()));
        out.println("link:        " + (s.link().isEmpty() ? "(none: the Connection Manager serves no download page)"
                : PeerText.escape(s.link())));
        if (s.state().equals(SupportSession.WAITING)) {
            out.println("valid until: " + time(s.codeExpires()) + " (" + left(s.codeExpires()) + ")");
        }
        if (s.ends() != null) {
            out.println("ends:        " + time(s.ends()) + " (" + left(s.ends()) + ")");
        }
        out.println("lifetime:    " + duration(s.lifetime()) + (s.ends() == null ? " once the person's computer joined" : ""));
        out.println("profile:     " + s.profile());
    }

    private void list(List<SupportSession> sessions, PrintStream out) {
        if (sessions.isEmpty()) {
            out.println("no open support sessions");
            return;
        }
        String row = "%-12s %-8s %-17s %s%n";
        out.printf(row, "CODE", "STATE", "UNTIL", "SUPPORTER");
        for (SupportSession s : sessions) {
            out.printf(row, s.displayCode(), s.state(), time(s.ends() != null ? s.ends() : s.codeExpires()),
                    PeerText.escape(s.supporter()));
        }
    }

    /** A local time of day; with its date when that is not today. */
    String time(Instant at) {
        ZonedDateTime t = at.atZone(zone);
        return t.format(DateTimeFormatter.ofPattern(t.toLocalDate().equals(LocalDate.now(zone)) ? "HH:mm" : "yyyy-MM-dd HH:mm"));
    }

    /** The time left until {@code at}, in whole minutes rounded up. */
    static String left(Instant at) {
        long seconds = Duration.between(Instant.now(), at).getSeconds();
        return seconds <= 0 ? "over" : duration(Duration.ofMinutes((seconds + 59) / 60)) + " left";
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        return minutes >= 60 && minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
    }
}
