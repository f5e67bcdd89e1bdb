package org.tandemrc.launcher;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem support ...}: the supporter's ad hoc support sessions, checked here before the Guest
 * framework starts; the guest-cli feature's {@code support} command runs the normalised request with
 * the webconnect profiles of the home's {@code etc/}, as {@code tandem guest} does.
 */
@Command(name = "support", sortOptions = false,
        description = {"ad hoc support for a computer with nothing installed: make a support session and read out"
            + " its code", "",
            "A session is made at the WebConnect Connection Manager of a webconnect profile with an account and"
                + " password (etc/org.tandemrc.profile-NAME.cfg of the home, the one the console node uses; by"
                + " default the only such profile). The person opens the link, downloads the temporary Host, and"
                + " types the code (9 digits, valid for 20 minutes unless the manager says otherwise). Once their"
                + " computer joined, the session is active for its lifetime (24 hours unless the operator set"
                + " less) and you connect to it as support:CODE through the same profile, with the code as the"
                + " temporary Host's password, e.g. 'tandem guest connect support:123456789 --profile NAME'"
                + " (it asks for the password), any number of times.", ""})
final class SupportCli extends Cli.Group {

    /** The support commands, in the order help lists them. */
    static final List<Class<?>> VERBS = List.of(New.class, ListSessions.class, Status.class, Extend.class,
            Renew.class, Cancel.class, End.class);

    /** The webconnect profile every support command uses. */
    static final class Profile {
        @Option(names = "--profile", paramLabel = "NAME", description = "the webconnect profile with the account"
                + " (default: the only one)")
        String name;
    }

    /** A support command: checked by picocli, then run by the Guest framework's support command. */
    abstract static class Verb extends GuestCli.Verb {
        @Mixin
        Profile profile;

        @Override
        String command() {
            return "support";
        }
    }

    /** A command on one session, named by its code. */
    abstract static class OnCode extends Verb {
        @Parameters(index = "0", paramLabel = "CODE", description = "the session's code, e.g. 123456789 or '123 456 789'")
        String code;

        @Override
        void check() {
            if (!code.replaceAll("[\\s-]", "").matches("[0-9]{9}")) {
                throw Cli.wrong(spec, "a support code is 9 digits, not '" + code + "'");
            }
        }
    }

    @Command(name = "new", description = {"make a support session and print its code (in groups, to read out), the"
            + " link for the person, until when the code is valid (local time) and the session's lifetime"})
    static final class New extends Verb {
        @Option(names = "--supporter", paramLabel = "NAME", description = "your name as the person sees it"
                + " (default: your user name)")
        String supporter;

        @Option(names = "--code-minutes", paramLabel = "N", description = "minutes the code is valid, 1..10080"
                + " (default and most: the manager's, 20)")
        Integer codeMinutes;

        @Option(names = "--lifetime-minutes", paramLabel = "N", description = "minutes the session lasts once the"
                + " person's computer joined, 1..10080 (default and most: the manager's, 24 hours)")
        Integer lifetimeMinutes;

        @Override
        void check() {
            for (Integer m : new Integer[] {codeMinutes, lifetimeMinutes}) {
                if (m != null && (m < 1 || m > 10_080)) {
                    throw Cli.wrong(spec, "minutes are 1..10080, not " + m);
                }
            }
            if (supporter != null && supporter.isBlank()) {
                throw Cli.wrong(spec, "--supporter needs a name");
            }
        }
    }

    @Command(name = "list", description = "list the account's open support sessions: waiting for a computer, or active")
    static final class ListSessions extends Verb {
    }

    @Command(name = "status", description = "print one session as it stands: waiting, or active and until when")
    static final class Status extends OnCode {
    }

    @Command(name = "extend", description = "make a waiting session's code valid afresh (the same code)")
    static final class Extend extends OnCode {
    }

    @Command(name = "renew", description = "give a waiting session a new code, valid afresh; the old one stops working")
    static final class Renew extends OnCode {
    }

    @Command(name = "cancel", description = "cancel a session no computer joined yet")
    static final class Cancel extends OnCode {
    }

    @Command(name = "end", description = "end a session now; the temporary Host is told and removes itself")
    static final class End extends OnCode {
    }
}
