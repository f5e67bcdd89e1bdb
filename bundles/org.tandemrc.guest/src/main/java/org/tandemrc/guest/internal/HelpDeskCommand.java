package org.tandemrc.guest.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HelpRequest;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.text.PeerText;

/** {@code tandem admin helpdesk ...}: the help services of a running Guest and its pending help requests. */
final class HelpDeskCommand implements Command {

    static final String USAGE = """
            usage: tandem admin helpdesk [show]              services, where it listens, pending requests
                   tandem admin helpdesk decline ID [REASON]  turn a pending request down; the Host is told
            Supporters take requests in the console's Help Request tab.""";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final HelpDeskComponent desk;

    HelpDeskCommand(HelpDeskComponent desk) {
        this.desk = desk;
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("show") && args.size() == 1) {
            show(out);
            return 0;
        }
        if (args.get(0).equals("decline") && args.size() >= 2) {
            try {
                desk.decline(args.get(1), String.join(" ", args.subList(2, args.size())));
                out.println("declined help request " + args.get(1));
                return 0;
            } catch (GuestException e) {
                err.println("tandem: " + PeerText.escape(e.getMessage()));
                return 1;
            }
        }
        err.println(USAGE);
        return args.contains("--help") ? 0 : 2;
    }

    private void show(PrintStream out) {
        out.println("services:  " + String.join(", ", desk.services()));
        out.println("listening: " + (desk.listening().isEmpty() ? "nowhere" : String.join(", ", desk.listening())));
        desk.problems().forEach(p -> out.println("problem:   " + p));
        List<HelpRequest> pending = desk.pending();
        if (pending.isEmpty()) {
            out.println("no pending help requests");
            return;
        }
        out.printf("%-12s  %-19s  %-12s  %-20s  %-16s  %s%n", "ID", "RECEIVED", "SERVICE", "HOST", "USER", "PROBLEM");
        for (HelpRequest r : pending) {
            out.printf("%-12s  %-19s  %-12s  %-20s  %-16s  %s%n", r.id(), TIME.format(r.received()),
                    PeerText.escape(r.service()), PeerText.escape(r.hostName()), PeerText.escape(r.user()),
                    PeerText.escape(r.problem()));
        }
    }
}
