package org.tandemrc.launcher;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem guest ...}: the model of every Guest command. The command line is checked here,
 * before the Guest framework starts; the guest-cli feature's command then runs the normalised
 * request ({@link Cli#normalised}).
 */
@Command(name = "guest", sortOptions = false,
        description = {"connect to a Host: check access, send a message, chat, files, tools", "",
            "ADDRESS is [DEVICE:]HOST[:PORT], e.g. tcp:127.0.0.1:6502 or myhost (tcp, port 6502); udp:H::NAME and"
                + " udp:U::USER find a Host on the network by its name or its logged-on user, DNS::NAME resolves by"
                + " DNS only, terminal-server:USER is the Host of that user's session on this machine,"
                + " http:HOST:PORT goes through HTTP, gateway:TARGET through a Gateway (the gateway profile names"
                + " it, the device group and the Gateway logon; TARGET is the Host's address in that group's device"
                + " syntax), webconnect:NAME (or ticket:CODE) meets a Host registered with WebConnect. The Host's"
                + " identity key is pinned in etc/known-hosts of the home folder on first contact; a changed key"
                + " is refused unless --accept-new-key.", "",
            "File transfer: PLACE is a local path or ADDRESS:/SHARE/PATH on the Host. Transfers send only the"
                + " changed blocks of a file the other side has (rsync-style), resume an interrupted file where"
                + " it stopped, and replace a file only once its SHA-256 matches.", ""})
final class GuestCli extends Cli.Group {

    /** The Guest commands, in the order help lists them (see {@link Cli#commandLine}). */
    static final List<Class<?>> VERBS = List.of(Browse.class, Connect.class, Message.class, Chat.class,
            Screenshot.class, Type.class, Keys.class, Watch.class, Latency.class, Lock.class, Clipboard.class, Ls.class,
            Copy.class, Move.class, Sync.class, Clone.class, Send.class, Tools.class, Tool.class, Shell.class,
            Tunnel.class, Inventory.class, Batch.class);

    /** A Guest command: checked by picocli and {@link #check}, then run by the Guest framework. */
    abstract static class Verb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        /** Checks that the annotations cannot express; throws {@link Cli#wrong}. */
        void check() {
        }

        /** The guest-cli feature's command that runs it. */
        String command() {
            return "guest";
        }

        @Override
        public Integer call() throws Exception {
            check();
            Cli root = Cli.root(spec);
            List<String> request = Cli.normalised(spec.root().commandLine().getParseResult().subcommand());
            return GuestRunner.run(NodeHome.resolve(root.home), Main.dist(), command(), request, System.in, root.out,
                    root.err);
        }
    }

    /** How to log on: the options every connecting command shares. */
    static final class Logon {
        @Option(names = "--guest-id", paramLabel = "ID",
                description = "log on with an individual Guest ID (default: shared password)")
        String guestId;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "read the password from the first line of FILE")
        String passwordFile;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input"
                + " (otherwise it is asked for on the terminal)")
        boolean passwordStdin;

        @Option(names = "--otp", paramLabel = "CODE", description = "the one-time code (second factor), when the"
                + " Host's access method asks for one (asked for on the terminal with the password otherwise)")
        String otp;

        @Option(names = "--accept-new-key", description = "accept and pin a Host key that differs from the pinned one")
        boolean acceptNewKey;

        @Mixin
        Profile profile;

        void check(CommandSpec spec) {
            if (passwordFile != null && passwordStdin) {
                throw Cli.wrong(spec, "give --password-file or --password-stdin, not both");
            }
        }
    }

    /** The communication profile a command uses: connecting, browsing. */
    static final class Profile {
        @Option(names = "--profile", paramLabel = "NAME", description = "use the communication profile NAME of etc/"
                + " (its device, proxy, timeouts...); by default the enabled profile of the device, first by name")
        String name;
    }

    /** One monitor of the Host's screen. */
    static final class Display {
        @Option(names = "--display", paramLabel = "ID", description = "one monitor")
        String id;
    }

    /** A command that logs on to a Host, with the {@link Logon} options. */
    abstract static class LogsOn extends Verb {
        @Mixin
        Logon logon;

        @Override
        void check() {
            logon.check(spec);
        }
    }

    /** A command that logs on to one Host, named first. */
    abstract static class OnHost extends LogsOn {
        @Parameters(index = "0", paramLabel = "ADDRESS", description = "the Host")
        String address;
    }

    /** A command that sends text after the address. */
    abstract static class WithText extends OnHost {
        @Parameters(index = "1..*", paramLabel = "TEXT", arity = "1..*")
        List<String> text;

        @Override
        void check() {
            super.check();
            if (String.join(" ", text).isBlank()) {
                throw Cli.wrong(spec, "give the " + spec.positionalParameters().get(1).paramLabel()
                        + " after the address");
            }
        }
    }

    @Command(name = "browse", description = "list the Hosts on the network that answer (udp: the local segments and"
            + " the profile's broadcast-list)")
    static final class Browse extends Verb {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
                description = "how long to listen for answers, 1..60 (default ${DEFAULT-VALUE})")
        int timeout;

        @Mixin
        Profile profile;

        @Override
        void check() {
            if (timeout < 1 || timeout > 60) {
                throw Cli.wrong(spec, "--timeout is 1..60 seconds");
            }
        }
    }

    @Command(name = "connect", description = "log on and print the Host's name, fingerprint, role and privileges;"
            + " with --invitation, answer the invitation a person at a Host made (its addresses and Host key, the"
            + " password they tell you)")
    static final class Connect extends LogsOn {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS", description = "the Host")
        String address;

        @Option(names = "--invitation", paramLabel = "FILE|LINE", description = "the invitation's file, or its"
                + " line (tandem-invitation:...)")
        String invitation;

        @Option(names = "--stay", description = "stay connected until the Host ends the connection (Ctrl-C"
                + " disconnects): a chat the person at the Host opens shows here (type to answer, /end ends it)")
        boolean stay;

        @Override
        void check() {
            super.check();
            if ((address == null) == (invitation == null)) {
                throw Cli.wrong(spec, "give the Host's ADDRESS or --invitation FILE|LINE (one of them)");
            }
            if (invitation != null && logon.guestId != null) {
                throw Cli.wrong(spec, "an invitation names its own logon; leave out --guest-id");
            }
        }
    }

    @Command(name = "message", description = "send a one-way message to the person at the Host")
    static final class Message extends WithText {
    }

    @Command(name = "chat", description = "chat with the person at the Host (type /end to finish)")
    static final class Chat extends OnHost {
    }

    @Command(name = "screenshot", description = "save the Host's screen (or one monitor), losslessly, as PNG")
    static final class Screenshot extends OnHost {
        @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "where to save it")
        String out;

        @Mixin
        Display display;
    }

    @Command(name = "type", description = "type TEXT on the Host's keyboard (any characters)")
    static final class Type extends WithText {
    }

    @Command(name = "keys", description = "press a key combination, e.g. ctrl+alt+del, alt+tab, ctrl+esc, print")
    static final class Keys extends OnHost {
        @Parameters(index = "1..*", paramLabel = "COMBO", arity = "1..*")
        List<String> keys;
    }

    /** The values {@code --quality} and {@code --colors} take. */
    enum Quality { lossless, balanced, low }

    @Command(name = "watch", description = "receive the live screen for SECONDS and print the displays, frames and"
            + " frames per second")
    static final class Watch extends OnHost {
        @Parameters(index = "1", paramLabel = "SECONDS", arity = "0..1", description = "default 10")
        Integer seconds;

        @Mixin
        Display display;

        @Option(names = "--quality", paramLabel = "Q", description = "lossless (default), balanced (JPEG 80 for"
                + " photos) or low (JPEG 50)")
        Quality quality;

        @Option(names = "--colors", paramLabel = "C", description = "true (default), 256, 16 or 2")
        String colors;

        @Override
        void check() {
            super.check();
            checkSeconds(spec, "watch", seconds);
            if (colors != null && !List.of("true", "256", "16", "2").contains(colors)) {
                throw Cli.wrong(spec, "--colors is true, 256, 16 or 2");
            }
        }
    }

    /** A number of seconds a command holds on for: 1 to a day. */
    static void checkSeconds(CommandSpec spec, String verb, Integer seconds) {
        if (seconds != null && (seconds < 1 || seconds > 86_400)) {
            throw Cli.wrong(spec, verb + " for 1 to 86400 seconds, not " + seconds);
        }
    }

    @Command(name = "lock", description = {"lock the keyboard and mouse of the person at the Host for SECONDS while"
        + " your input still reaches it, then unlock them; they are unlocked at once, too, when this Guest"
        + " disconnects or dies (X11 Hosts)"})
    static final class Lock extends OnHost {
        @Parameters(index = "1", paramLabel = "SECONDS", arity = "0..1", description = "default 60")
        Integer seconds;

        @Override
        void check() {
            super.check();
            checkSeconds(spec, "lock", seconds);
        }
    }

    @Command(name = "latency", description = "press 'x' N times into the Host's focused window and print"
            + " keystroke-to-pixels times (median, p95)")
    static final class Latency extends OnHost {
        @Parameters(index = "1", paramLabel = "N", arity = "0..1", description = "default 30")
        Integer times;

        @Option(names = "--while-copying", paramLabel = "FILE", description = "measure while FILE is copied to the"
                + " Host (again and again, without delta) over the same connection: does input still overtake a"
                + " transfer? Needs --to")
        String whileCopying;

        @Option(names = "--to", paramLabel = "/SHARE/PATH", description = "where on the Host --while-copying writes"
                + " (a file path in one of its shares; replaced)")
        String to;

        @Override
        void check() {
            super.check();
            if (times != null && (times < 1 || times > 10_000)) {
                throw Cli.wrong(spec, "measure 1 to 10000 keystrokes, not " + times);
            }
            if ((whileCopying == null) != (to == null)) {
                throw Cli.wrong(spec, "--while-copying FILE and --to /SHARE/PATH go together");
            }
        }
    }

    @Command(name = "clipboard", description = {"clipboard ADDRESS get: print the text on the Host's clipboard",
        "clipboard ADDRESS set TEXT: put TEXT on the Host's clipboard"})
    static final class Clipboard extends OnHost {
        enum Action { get, set }

        @Parameters(index = "1", paramLabel = "get|set")
        Action action;

        @Parameters(index = "2..*", paramLabel = "TEXT", arity = "0..*")
        List<String> text;

        @Override
        void check() {
            super.check();
            boolean hasText = text != null && !text.isEmpty();
            if (action == Action.get && hasText || action == Action.set && !hasText) {
                throw Cli.wrong(spec, "say 'get', or 'set TEXT'");
            }
        }
    }

    @Command(name = "ls", description = "list a Host folder (ADDRESS:/ lists its shared folders)")
    static final class Ls extends LogsOn {
        @Parameters(index = "0", paramLabel = "ADDRESS:/PATH")
        String place;
    }

    /** The options of every transfer. */
    static final class Transfer {
        enum Overwrite { always, newer, never }

        enum OnError { next, retry, stop }

        @Option(names = "--overwrite", paramLabel = "RULE",
                description = "always, newer (default) or never, for files that exist")
        Overwrite overwrite;

        @Option(names = "--no-subfolders", description = "only the files of the top folder")
        boolean noSubfolders;

        @Option(names = "--skip-read-only", description = "leave read-only destination files alone")
        boolean skipReadOnly;

        @Option(names = "--skip-hidden", description = "leave hidden files out")
        boolean skipHidden;

        @Option(names = "--on-error", paramLabel = "WHAT", description = "next (default), retry, or stop")
        OnError onError;

        @Option(names = "--retries", paramLabel = "N",
                description = "attempts after the first, with --on-error retry (default 3), 0..100")
        Integer retries;

        @Option(names = "--no-delta", description = "always send whole files")
        boolean noDelta;

        @Option(names = "--confirm", paramLabel = "WHAT", description = "ask on the terminal before changing the"
                + " destination: replace (any overwrite or delete), read-only, hidden, folders (deleting a non-empty"
                + " one), comma-separated, or all; answer yes, no, all like it, or cancel")
        String confirm;

        @Option(names = "--log", paramLabel = "FILE", description = "append each file's outcome to FILE")
        String log;
    }

    /** {@code VERB SRC DST}: one of them ADDRESS:/PATH on a Host. */
    abstract static class Transferring extends LogsOn {
        @Parameters(index = "0", paramLabel = "SRC", description = "a local PLACE or ADDRESS:/SHARE/PATH")
        String source;

        @Parameters(index = "1", paramLabel = "DST", description = "a local PLACE or ADDRESS:/SHARE/PATH")
        String destination;

        @Mixin
        Transfer transfer;

        @Override
        void check() {
            if (transfer.retries != null && (transfer.retries < 0 || transfer.retries > 100)) {
                throw Cli.wrong(spec, "--retries is 0..100");
            }
            super.check();
        }
    }

    @Command(name = "copy", description = "copy a file or folder; into DST when it is a folder")
    static final class Copy extends Transferring {
    }

    @Command(name = "move", description = "copy, then delete each source that arrived")
    static final class Move extends Transferring {
    }

    @Command(name = "sync", description = "make two folders agree: the newer file wins, both ways")
    static final class Sync extends Transferring {
        @Option(names = "--only-existing", description = "only files both sides have")
        boolean onlyExisting;

        @Option(names = "--one-way", description = "only from SRC to DST")
        boolean oneWay;
    }

    @Command(name = "clone", description = "make folder DST equal to SRC, deleting what SRC lacks")
    static final class Clone extends Transferring {
    }

    @Command(name = "send", description = {"offer one FILE to the person at the Host, who saves it where they"
            + " choose, also on a Host that shares no folder; exits with status 7 when they cancel or do not answer"})
    static final class Send extends OnHost {
        @Parameters(index = "1", paramLabel = "FILE", description = "the local file")
        String file;
    }

    @Command(name = "tools", description = "list the Host's tools by section, their operations and parameters")
    static final class Tools extends OnHost {
    }

    @Command(name = "tool", description = {"run an operation of a Host's tool, e.g. 'tool ADDRESS processes list' or"
            + " 'tool ADDRESS processes end pid=4242 force=true'; prints a table as columns, a form as"
            + " 'label: value' lines, a streaming operation's text as lines and its live table each time it"
            + " changes, until the Host ends it or Ctrl+C; exits with status 1 and the Host's reason when it is refused or fails"})
    static final class Tool extends OnHost {
        @Parameters(index = "1", paramLabel = "TOOL")
        String tool;

        @Parameters(index = "2", paramLabel = "OPERATION")
        String operation;

        @Parameters(index = "3..*", paramLabel = "NAME=VALUE", arity = "0..*")
        List<String> arguments;

        @Override
        void check() {
            super.check();
            if (arguments != null) {
                java.util.Set<String> names = new java.util.HashSet<>();
                for (String a : arguments) {
                    int eq = a.indexOf('=');
                    if (eq < 1 || !names.add(a.substring(0, eq))) {
                        throw Cli.wrong(spec, "'" + a + "' is not NAME=VALUE (or names a parameter twice)");
                    }
                }
            }
        }
    }

    @Command(name = "tunnel", description = {"forward ports through the Host: each connection to a --local port"
            + " reaches HOST:PORT as the Host sees it (a port on the Host itself with localhost), and each connection"
            + " to a --remote port the Host listens on reaches HOST:PORT as this machine sees it, where the Host"
            + " allows your role (privilege tunnel; destinations and listening ports per role in the Host's"
            + " etc/org.tandemrc.tool.tunnel.cfg); runs until stopped with Ctrl+C or the Host disconnects"})
    static final class Tunnel extends OnHost {
        private static final String SPEC = "((\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):)?\\d{1,5}:(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+):\\d{1,5}";

        @Option(names = "--local", paramLabel = "[BIND:]PORT:HOST:PORT[,...]", description = "listen here on BIND"
                + " (default 127.0.0.1) port PORT (0: any free port, printed) and forward to HOST:PORT through the"
                + " Host; several separated by commas; IPv6 addresses in brackets")
        String local;

        @Option(names = "--remote", paramLabel = "[BIND:]PORT:HOST:PORT[,...]", description = "have the Host listen on"
                + " BIND (default 127.0.0.1) port PORT and forward to HOST:PORT from here; several separated by commas")
        String remote;

        @Override
        void check() {
            super.check();
            if (local == null && remote == null) {
                throw Cli.wrong(spec, "give --local or --remote (or both)");
            }
            for (String list : java.util.Arrays.asList(local, remote)) {
                for (String f : list == null ? new String[0] : list.split(",")) {
                    if (!f.trim().matches(SPEC)) {
                        throw Cli.wrong(spec, "'" + f.trim() + "' is not [BIND:]PORT:HOST:PORT");
                    }
                }
            }
        }
    }

    /** The formats an inventory exports to. */
    enum ExportFormat { csv, json }

    @Command(name = "inventory", description = {"inventory ADDRESS: collect the Host's inventory (hardware,"
            + " installed software, the operator's custom items) and keep the run in data/inventory/ of the home"
            + " folder, with when it started and how long it took (the Host's tools-inventory feature; the"
            + " inventory privilege)",
        "inventory ADDRESS runs: list the kept runs of that ADDRESS",
        "inventory ADDRESS show [RUN]: print a kept run (default the latest) as CSV, or as --export says",
        "inventory ADDRESS compare [OLD [NEW]]: what was added, removed and changed between two kept runs"
            + " (default the two latest)",
        "A CSV cell that starts like a formula (= + - @) gets a leading ' so a spreadsheet shows it as text."})
    static final class Inventory extends OnHost {
        @Parameters(index = "1..*", paramLabel = "ACTION", arity = "0..*",
                description = "runs, show [RUN] or compare [OLD [NEW]]; RUN is a name 'runs' lists, a day"
                        + " (2026-12-05: its last run, UTC), or latest")
        List<String> action;

        @Option(names = "--export", paramLabel = "FORMAT", description = "csv or json, to standard output or --out")
        ExportFormat export;

        @Option(names = "--out", paramLabel = "FILE", description = "write the export to FILE (with --export)")
        String out;

        @Override
        void check() {
            super.check();
            String verb = action == null || action.isEmpty() ? "collect" : action.get(0);
            int words = action == null ? 0 : action.size();
            boolean fits = switch (verb) {
                case "collect" -> words <= 1;
                case "runs" -> words == 1 && export == null;
                case "show" -> words <= 2;
                case "compare" -> words <= 3;
                default -> false;
            };
            if (!fits) {
                throw Cli.wrong(spec, "say ADDRESS, ADDRESS runs, ADDRESS show [RUN] or ADDRESS compare [OLD [NEW]]"
                        + " (--export goes with all but runs)");
            }
            if (out != null && export == null) {
                throw Cli.wrong(spec, "--out FILE goes with --export csv|json");
            }
        }
    }

    @Command(name = "shell", description = {"open the Host's Command Console: an interactive shell on a terminal of"
            + " the Host (privilege execute_command). On a terminal every key goes to the Host (Ctrl+C too) and its"
            + " size follows yours; with standard input not a terminal its lines are typed and its end ends the"
            + " shell. Exits with the shell's exit status"})
    static final class Shell extends OnHost {
    }

    @Command(name = "batch", description = {"one action on many Hosts of this Guest's phonebook at once, with progress"
        + " and one results table (Host, outcome, time, output); a Host that fails does not stop the others; exits"
        + " with status 1 when any Host failed",
        "batch run HOSTS ACTION: HOSTS is record paths and folders (ending with /; / is the whole phonebook),"
            + " comma-separated; ACTION is 'message TEXT', 'tool TOOL OPERATION [NAME=VALUE ...]', 'send FILE',"
            + " 'wake' (the records' Wake-on-LAN MAC, broadcast from this Guest on the record's subnet) or"
            + " 'wake via RECORD' (through that Host's wake tool); --save NAME adds it to a saved list",
        "batch replay NAME: run a saved list (data/batch/NAME.batch in the home, one 'HOSTS ACTION' a line)",
        "batch saved [NAME] | forget NAME: the saved lists | delete one",
        "batch hosts HOSTS: the records HOSTS selects, with address and MAC",
        "batch import FILE.csv [FOLDER]: records in the reference's CSV syntax into this Guest's phonebook",
        "Each record logs on with its own logon and password; records without a password use --password-file or"
            + " --password-stdin (and --guest-id)"})
    static final class Batch extends LogsOn {
        @Parameters(index = "0..*", arity = "1..*", paramLabel = "WORDS")
        List<String> words;

        @Option(names = "--parallel", paramLabel = "N", description = "Hosts at a time, 1..64 (default 8)")
        Integer parallel;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long one Host may take, 1..86400"
                + " (default 120); then its connection is closed and it failed")
        Integer timeout;

        @Option(names = "--save", paramLabel = "NAME", description = "with run: also add the batch to the saved list NAME")
        String save;

        @Override
        void check() {
            super.check();
            if (logon.otp != null || logon.profile.name != null) {
                throw Cli.wrong(spec, "each record names its own profile, and one code cannot serve many Hosts:"
                        + " leave out --profile and --otp");
            }
            if (parallel != null && (parallel < 1 || parallel > 64)) {
                throw Cli.wrong(spec, "--parallel is 1..64");
            }
            if (timeout != null && (timeout < 1 || timeout > 86_400)) {
                throw Cli.wrong(spec, "--timeout is 1..86400 seconds");
            }
        }
    }
}
