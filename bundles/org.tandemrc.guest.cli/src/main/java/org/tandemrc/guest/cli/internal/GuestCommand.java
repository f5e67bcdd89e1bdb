package org.tandemrc.guest.cli.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.screen.client.RemoteScreens;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolSession;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.invitation.Invitation;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem guest connect|message|chat|screenshot|... ADDRESS ...} and
 * {@code tandem guest copy|move|sync|clone SRC DST} and {@code tandem guest tools|tool ADDRESS ...}: the
 * Guest on the command line. The launcher has parsed and checked the command line before the
 * framework started and passes it normalised (command, its arguments, then its options); what
 * needs the Guest (addresses, devices, session types, files) is checked here.
 */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=guest", reference = {
    // Looked up when a command needs one (see #installed), each named by its session type.
    @Reference(name = "remote-control", service = RemoteScreens.class, cardinality = MULTIPLE, policy = DYNAMIC),
    @Reference(name = "file-transfer", service = RemoteFiles.class, cardinality = MULTIPLE, policy = DYNAMIC),
    @Reference(name = "remote-management", service = RemoteTools.class, cardinality = MULTIPLE, policy = DYNAMIC),
    @Reference(name = "message", service = RemoteMessages.class, cardinality = MULTIPLE, policy = DYNAMIC),
    @Reference(name = GuestCommand.SESSION_TYPES, service = SessionType.class, cardinality = MULTIPLE, policy = DYNAMIC)})
public class GuestCommand implements Command {

    static final String SESSION_TYPES = "session-types";

    /** How long a message waits for the Host's confirmation that its person was shown it. */
    private static final java.time.Duration MESSAGE_CONFIRMATION = java.time.Duration.ofSeconds(60);

    @Reference
    private Guest guest;

    private ComponentContext context;

    @Activate
    void activate(ComponentContext context) {
        this.context = context;
    }

    /** The services bound to the reference {@code name}, as SCR has them now. */
    private List<Object> bound(String name) {
        Object[] services = context.locateServices(name);
        return services == null ? List.of() : Arrays.asList(services);
    }

    /**
     * The first service the session type {@code sessionType}'s bundle registers for {@code type}, or
     * the failure that the session type is not installed.
     */
    private <T> T installed(Class<T> type, String sessionType) throws Failure {
        List<Object> services = bound(sessionType);
        if (services.isEmpty()) {
            throw new Failure("the " + sessionType + " session type is not installed on this Guest", ExitStatus.NOT_FOUND);
        }
        return type.cast(services.get(0));
    }

    /** How to log on: the options every connecting command shares. */
    private record Logon(String guestId, String passwordFile, boolean passwordStdin, boolean acceptNewKey,
            String profile, String otp) {
    }

    /** Wrong usage: {@link ExitStatus#USAGE}. */
    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String m) {
            super(m);
        }
    }

    /** A failure to report, with its exit status ({@link ExitStatus#TABLE}). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        final int status;

        Failure(String m) {
            this(m, ExitStatus.FAILURE);
        }

        Failure(String m, int status) {
            super(m);
            this.status = status;
        }

        Failure(GuestException e) {
            this(e.getMessage(), ExitStatus.of(e.reason()));
        }
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        try {
            List<String> words = new ArrayList<>(args);
            return execute(words, Options.take(words), in, out, err);
        } catch (Usage e) {
            err.println(PeerText.escape(e.getMessage()));
            err.println("Try 'tandem guest --help'.");
            return ExitStatus.USAGE;
        } catch (Failure e) {
            // Failures quote what Hosts said (refusals, reasons, names): never raw on the terminal.
            err.println("tandem: " + PeerText.escape(e.getMessage()));
            return e.status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.INTERRUPTED;
        }
    }

    private int execute(List<String> args, Options options, InputStream in, PrintStream out, PrintStream err)
            throws Usage, Failure, InterruptedException {
        String first = args.isEmpty() ? "" : args.get(0);
        if (first.equals("browse")) {
            options.only(first, Options.BROWSE);
            return browse(args, options.value("--profile"), options.value("--timeout"), out);
        }
        Logon logon = new Logon(options.value("--guest-id"), options.value("--password-file"),
                options.flag("--password-stdin"), options.flag("--accept-new-key"), options.value("--profile"),
                options.value("--otp"));
        if (first.equals("send")) {
            options.only(first, Options.SEND);
            return send(args, logon, in, out);
        }
        if (FileActions.VERBS.contains(first)) {
            options.only(first, Options.FILES);
            return files(args, options, logon, in, out);
        }
        if (TunnelActions.VERBS.contains(first)) {
            options.only(first, Options.TUNNEL);
            return new TunnelActions(installed(RemoteTools.class, "remote-management"), out, err)
                    .run(args, options.value("--local"), options.value("--remote"), address -> connect(address, logon, in));
        }
        if (InventoryActions.VERBS.contains(first)) {
            options.only(first, Options.INVENTORY);
            String home = context.getBundleContext().getProperty("tandem.home");
            return new InventoryActions(Path.of(home == null ? "." : home), out).run(args, options.value("--export"),
                    options.value("--out"), work -> withTools(args.get(1), logon, in, work));
        }
        if (ShellActions.VERBS.contains(first)) {
            options.only(first, Options.SHELL);
            if (args.size() != 2) {
                throw new Usage("tandem guest shell: give only the ADDRESS");
            }
            return withTools(args.get(1), logon, in, (tools, c) -> new ShellActions(tools, c, out, err).shell(in));
        }
        if (first.equals("batch")) {
            options.only(first, Options.BATCH);
            BatchActions.Settings settings = BatchActions.settings(options.value("--parallel"), options.value("--timeout"),
                    options.value("--save"), logon.acceptNewKey(), logon.guestId());
            return new BatchActions(guest, context.getBundleContext(), Path.of(String.valueOf(
                    context.getBundleContext().getProperty("tandem.home"))), out, err).run(args.subList(1, args.size()),
                    settings, () -> password(logon.passwordFile(), logon.passwordStdin(), in, logon.guestId(),
                            "the records without a password"));
        }
        options.only(first, Options.SESSIONS);
        String invitation = options.value("--invitation");
        if (invitation != null) {
            return invited(args, invitation, logon, options.flag("--stay"), in, out, err);
        }
        String outFile = options.value("--out");
        String display = options.value("--display");
        String quality = options.value("--quality");
        String colors = options.value("--colors");
        if (args.size() < 2) {
            throw new Usage("tandem guest: say what to do and where, e.g. 'tandem guest connect tcp:127.0.0.1:6502'");
        }
        String verb = args.get(0);
        if (verb.equals("tools") || verb.equals("tool")) {
            if (outFile != null || display != null || quality != null || colors != null) {
                throw new Usage("tandem guest " + verb + ": --out, --display, --quality and --colors do not apply");
            }
            return tools(args, logon, in, out, err);
        }
        if (!List.of("connect", "message", "chat", "screenshot", "type", "keys", "clipboard", "watch", "latency", "lock")
                .contains(verb)) {
            throw new Usage("tandem guest: unknown command '" + verb
                    + "'; use connect, message, chat, screenshot, type, keys, clipboard, watch, latency, lock, tools, tool,"
                    + " shell, tunnel, inventory or batch");
        }
        List<String> text = new ArrayList<>(args.subList(2, args.size()));
        if (verb.equals("clipboard") && (text.isEmpty() || !(text.get(0).equals("get") && text.size() == 1
                || text.get(0).equals("set") && text.size() > 1))) {
            throw new Usage("tandem guest clipboard: say 'get', or 'set TEXT'");
        }
        if (List.of("message", "type", "keys").contains(verb) && String.join(" ", text).isBlank()) {
            throw new Usage("tandem guest " + verb + ": give the " + (verb.equals("keys") ? "keys, e.g. ctrl+alt+del"
                    : "text") + " after the address");
        }
        if (List.of("connect", "chat", "screenshot").contains(verb) && !text.isEmpty()) {
            throw new Usage("tandem guest " + verb + ": unexpected '" + text.get(0) + "'");
        }
        if (verb.equals("screenshot")) {
            if (outFile == null) {
                throw new Usage("tandem guest screenshot: say where to save it with --out FILE.png");
            }
            text.add(Path.of(outFile).toAbsolutePath().toString());
        }
        if ((display != null || quality != null || colors != null) && !List.of("screenshot", "watch").contains(verb)
                || (quality != null || colors != null) && verb.equals("screenshot")) {
            throw new Usage("tandem guest: --display goes with screenshot and watch, --quality and --colors with watch");
        }
        boolean stay = options.flag("--stay");
        if (stay && !verb.equals("connect")) {
            throw new Usage("tandem guest: --stay goes with connect");
        }
        RemoteActions.View view = RemoteActions.View.parse(display, quality, colors);
        if (view == null) {
            throw new Usage("tandem guest: --quality is lossless, balanced or low; --colors is true, 256, 16 or 2");
        }
        Path copySource = copyLoad(verb, options.value("--while-copying"), options.value("--to"));
        HostConnection c = connect(args.get(1), logon, in);
        try {
            int status = copySource != null
                    ? latencyWhileCopying(text, view, c, copySource, options.value("--to"), out, err)
                    : session(verb, text, view, c, out, err);
            return stay ? stay(c, out) : status;
        } finally {
            c.close("the Guest disconnected");
        }
    }

    /**
     * {@code connect --invitation FILE|LINE}: the Host's addresses from the invitation, tried in turn
     * until one answers; only the Host key it names is accepted, before the password is used.
     */
    private int invited(List<String> args, String given, Logon logon, boolean stay, InputStream in, PrintStream out,
            PrintStream err) throws Usage, Failure, InterruptedException {
        if (!args.equals(List.of("connect")) || logon.guestId() != null) {
            throw new Usage("tandem guest: --invitation goes with connect, without an ADDRESS or --guest-id");
        }
        Invitation inv;
        try {
            inv = Invitation.read(given);
        } catch (IllegalArgumentException | IOException e) {
            throw new Usage("tandem guest connect: cannot read the invitation: " + e.getMessage());
        }
        if (logon.passwordFile() != null && logon.passwordStdin()) {
            throw new Usage("tandem guest: give --password-file or --password-stdin, not both");
        }
        char[] password = password(logon.passwordFile(), logon.passwordStdin(), in, "the invitation", inv.host());
        HostConnection c;
        try {
            c = inv.connect(guest, password, logon.profile(),
                    (address, why) -> err.println("tandem: " + PeerText.escape(address) + ": " + PeerText.escape(why)));
        } catch (GuestException e) {
            throw new Failure(e);
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            int status = session("connect", List.of(), RemoteActions.View.parse(null, null, null), c, out, err);
            return stay ? stay(c, out) : status;
        } finally {
            c.close("the Guest disconnected");
        }
    }

    /** {@code browse [--timeout SECONDS]}: the Hosts that answer, as a table. */
    private int browse(List<String> args, String profile, String timeout, PrintStream out)
            throws Usage, Failure, InterruptedException {
        if (args.size() > 1) {
            throw new Usage("tandem guest browse: unexpected '" + args.get(1) + "'");
        }
        int seconds;
        try {
            seconds = timeout == null ? 3 : Integer.parseInt(timeout);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > 60) {
            throw new Usage("tandem guest browse: --timeout is 1..60 seconds");
        }
        List<org.tandemrc.api.comm.DiscoveredHost> hosts;
        try {
            hosts = guest.browse(profile, java.time.Duration.ofSeconds(seconds));
        } catch (GuestException e) {
            throw new Failure(e);
        }
        if (hosts.isEmpty()) {
            out.println("No Host answered in " + seconds + " s (Hosts whose name is not public do not answer;"
                    + " connect to them by udp:H::NAME or udp:U::USER).");
            return 0;
        }
        int name = "NAME".length();
        int user = "USER".length();
        for (org.tandemrc.api.comm.DiscoveredHost h : hosts) {
            name = Math.max(name, PeerText.escape(h.name()).length());
            user = Math.max(user, PeerText.escape(h.user()).length());
        }
        String row = "%-" + name + "s  %-" + user + "s  %s%n";
        out.printf(row, "NAME", "USER", "ADDRESS");
        for (org.tandemrc.api.comm.DiscoveredHost h : hosts) {
            out.printf(row, PeerText.escape(h.name()), h.user().isEmpty() ? "-" : PeerText.escape(h.user()),
                    PeerText.escape(h.address()));
        }
        out.println(hosts.size() + " Host(s) answered in " + seconds + " s");
        return 0;
    }

    private HostConnection connect(String where, Logon logon, InputStream in) throws Usage, Failure, InterruptedException {
        if (logon.passwordFile() != null && logon.passwordStdin()) {
            throw new Usage("tandem guest: give --password-file or --password-stdin, not both");
        }
        // The Guest parses the address and checks its device: one reading of addresses for every front end.
        char[] password = password(logon.passwordFile(), logon.passwordStdin(), in, logon.guestId(), where);
        try {
            try {
                return guest.connect(new ConnectRequest(where,
                        logon.guestId(), password, logon.acceptNewKey(), logon.profile(), logon.otp()));
            } catch (GuestException e) {
                Console console = System.console();
                // Whoever typed the password is there to type the code too; a script passes --otp.
                boolean prompted = logon.passwordFile() == null && !logon.passwordStdin() && console != null;
                if (!prompted || logon.otp() != null || !e.getMessage().startsWith(ConnectRequest.CODE_REQUIRED)) {
                    throw e;
                }
                String code = console.readLine("One-time code for %s: ", where);
                return guest.connect(new ConnectRequest(where,
                        logon.guestId(), password, logon.acceptNewKey(), logon.profile(), code == null ? "" : code));
            }
        } catch (GuestException e) {
            throw new Failure(e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** copy, move, sync, clone SRC DST and ls PLACE: one side is ADDRESS:/PATH on a Host. */
    private int files(List<String> args, Options given, Logon logon, InputStream in, PrintStream out)
            throws Usage, Failure, InterruptedException {
        String verb = args.get(0);
        String overwrite = given.value("--overwrite");
        String onError = given.value("--on-error");
        String retries = given.value("--retries");
        String logFile = given.value("--log");
        boolean onlyExisting = given.flag("--only-existing");
        boolean oneWay = given.flag("--one-way");
        int places = verb.equals("ls") ? 1 : 2;
        if (args.size() != places + 1) {
            throw new Usage(verb.equals("ls") ? "tandem guest ls: give one ADDRESS:/PATH (ADDRESS:/ lists the shares)"
                    : "tandem guest " + verb + ": give SOURCE and DESTINATION; one of them ADDRESS:/PATH on a Host");
        }
        if ((onlyExisting || oneWay) && !verb.equals("sync")) {
            throw new Usage("tandem guest: --only-existing and --one-way go with sync");
        }
        TransferOptions options;
        Console console = System.console();
        try {
            Set<TransferOptions.Confirm> confirmations = FileActions.confirmations(given.value("--confirm"));
            if (!confirmations.isEmpty() && console == null) {
                throw new Usage("tandem guest " + verb + ": --confirm asks on a terminal, and none is attached");
            }
            options = new TransferOptions(!given.flag("--no-subfolders"),
                    overwrite == null ? TransferOptions.Overwrite.NEWER
                            : TransferOptions.Overwrite.valueOf(overwrite.toUpperCase(java.util.Locale.ROOT)),
                    !given.flag("--skip-read-only"), !given.flag("--skip-hidden"), onlyExisting, oneWay,
                    onError == null ? TransferOptions.OnError.NEXT
                            : TransferOptions.OnError.valueOf(onError.toUpperCase(java.util.Locale.ROOT)),
                    retries == null ? (onError != null && onError.equalsIgnoreCase("retry") ? 3 : 0)
                            : Integer.parseInt(retries),
                    !given.flag("--no-delta"), confirmations);
        } catch (IllegalArgumentException e) {
            throw new Usage("tandem guest " + verb + ": " + (e.getMessage() != null && e.getMessage().startsWith("--confirm")
                    ? e.getMessage() : "--overwrite is always, newer or never; --on-error is next, retry or stop; "
                    + "--retries is 0..100"));
        }
        FileActions.Spec from = FileActions.spec(args.get(1));
        FileActions.Spec to = places == 2 ? FileActions.spec(args.get(2)) : null;
        String address = from.address() != null ? from.address() : to == null ? null : to.address();
        if (address == null) {
            throw new Usage("tandem guest " + verb + ": name the Host side as ADDRESS:/PATH, e.g. 127.0.0.1:/docs/a.txt");
        }
        if (to != null && from.address() != null && to.address() != null && !from.address().equals(to.address())) {
            throw new Usage("tandem guest " + verb + ": both sides on different Hosts is not supported");
        }
        RemoteFiles files = installed(RemoteFiles.class, "file-transfer");
        java.io.Writer log;
        try {
            log = FileActions.openLog(logFile);
        } catch (IOException e) {
            throw new Failure("cannot open the transfer log " + logFile + ": " + e.getMessage());
        }
        try {
            return onFiles(files, address, logon, in, (session, c) -> {
                FileActions actions = new FileActions(session, out, console != null, log,
                        console == null ? null : question -> console.readLine("%s", question));
                return verb.equals("ls") ? actions.list(from) : actions.run(verb, from, to, options);
            });
        } finally {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException e) {
                    // the lines were flushed as they were written
                }
            }
        }
    }

    /**
     * send ADDRESS FILE: offers one file to the person at the Host, who saves it where they choose (a Host that
     * shares no folder too); their Cancel, or no answer in time, is {@link ExitStatus#REFUSED}.
     */
    private int send(List<String> args, Logon logon, InputStream in, PrintStream out)
            throws Usage, Failure, InterruptedException {
        if (args.size() != 3) {
            throw new Usage("tandem guest send: give ADDRESS and one FILE, e.g. 'tandem guest send 127.0.0.1 report.pdf'");
        }
        Path file = Path.of(args.get(2)).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new Failure(file + " is not a file", ExitStatus.NOT_FOUND);
        }
        return onFiles(installed(RemoteFiles.class, "file-transfer"), args.get(1), logon, in, (session, c) -> {
            out.println("Waiting for the person at " + PeerText.escape(c.hostName()) + " to save " + file.getFileName()
                    + " or cancel...");
            long bytes = session.offer(file);
            out.println("Sent " + file.getFileName() + " (" + FileActions.size(bytes) + "): the person at "
                    + PeerText.escape(c.hostName()) + " saved it.");
            return 0;
        });
    }

    /** What a command does in a file session with one Host. */
    private interface FileWork {
        int run(org.tandemrc.api.files.FileSession session, HostConnection c)
                throws GuestException, org.tandemrc.api.files.FileException, InterruptedException;
    }

    /** Connects, runs {@code work} in a file session, and disconnects; a Host's refusal keeps its exit status. */
    private int onFiles(RemoteFiles files, String address, Logon logon, InputStream in, FileWork work)
            throws Usage, Failure, InterruptedException {
        HostConnection c = connect(address, logon, in);
        try (org.tandemrc.api.files.FileSession session = files.open(c)) {
            return work.run(session, c);
        } catch (GuestException e) {
            throw new Failure(e);
        } catch (org.tandemrc.api.files.FileException e) {
            throw new Failure(e.getMessage());
        } finally {
            c.close("the Guest disconnected");
        }
    }

    /** tools ADDRESS, and tool ADDRESS TOOL OPERATION [NAME=VALUE ...]: remote management. */
    private int tools(List<String> args, Logon logon, InputStream in, PrintStream out, PrintStream err)
            throws Usage, Failure, InterruptedException {
        String verb = args.get(0);
        Map<String, String> arguments = Map.of();
        if (verb.equals("tools") && args.size() != 2) {
            throw new Usage("tandem guest tools: give only the ADDRESS, not '" + args.get(2) + "'");
        }
        if (verb.equals("tool")) {
            if (args.size() < 4) {
                throw new Usage("tandem guest tool: give ADDRESS TOOL OPERATION [NAME=VALUE ...], e.g. "
                        + "'tandem guest tool 127.0.0.1 processes list'; 'tandem guest tools ADDRESS' lists them");
            }
            try {
                arguments = ToolActions.arguments(args.subList(4, args.size()));
            } catch (IllegalArgumentException e) {
                throw new Usage("tandem guest tool: '" + e.getMessage() + "' is not NAME=VALUE (or names a"
                        + " parameter twice)");
            }
        }
        Map<String, String> given = arguments;
        return withTools(args.get(1), logon, in, (tools, c) -> {
            try (ToolSession session = tools.open(c)) {
                ToolActions actions = new ToolActions(session, out);
                if (verb.equals("tools")) {
                    return actions.list();
                }
                org.tandemrc.api.tool.Operation streaming = actions.streaming(args.get(2), args.get(3));
                return streaming != null ? new ShellActions(tools, c, out, err).stream(args.get(2), streaming, given)
                        : actions.run(args.get(2), args.get(3), given);
            }
        });
    }

    /** What a command does with the remote-management service on one connection. */
    @FunctionalInterface
    interface ToolWork<T> {
        T run(RemoteTools tools, HostConnection c) throws GuestException, ToolException, InterruptedException;
    }

    /** Connects to {@code address}, runs {@code work}, disconnects; the Host's refusals are failures. */
    private <T> T withTools(String address, Logon logon, InputStream in, ToolWork<T> work)
            throws Usage, Failure, InterruptedException {
        RemoteTools tools = installed(RemoteTools.class, "remote-management");
        HostConnection c = connect(address, logon, in);
        try {
            return work.run(tools, c);
        } catch (GuestException e) {
            throw new Failure(e);
        } catch (ToolException e) {
            throw new Failure(e.getMessage());
        } finally {
            c.close("the Guest disconnected");
        }
    }

    /** The file {@code latency --while-copying FILE --to PATH} copies, checked before anything connects; else null. */
    private static Path copyLoad(String verb, String file, String to) throws Usage {
        if (file == null && to == null) {
            return null;
        }
        if (!verb.equals("latency")) {
            throw new Usage("tandem guest: --while-copying and --to go with latency");
        }
        if (file == null || to == null) {
            throw new Usage("tandem guest latency: --while-copying FILE and --to /SHARE/PATH go together");
        }
        Path source = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(source) || !Files.isReadable(source)) {
            throw new Usage("tandem guest latency: --while-copying needs a file this user can read: " + file);
        }
        if (!to.startsWith("/")) {
            throw new Usage("tandem guest latency: --to is a path on the Host that starts with its share, e.g. /inbox/big.bin");
        }
        return source;
    }

    /**
     * Keystroke-to-pixels while a file crosses the same connection to the Host, copied again and again
     * until the keystrokes are measured: what a supporter feels while a transfer runs.
     */
    private int latencyWhileCopying(List<String> text, RemoteActions.View view, HostConnection c, Path source, String to,
            PrintStream out, PrintStream err) throws Failure, InterruptedException {
        RemoteScreens screens = installed(RemoteScreens.class, "remote-control");
        RemoteFiles files = installed(RemoteFiles.class, "file-transfer");
        try (org.tandemrc.api.files.FileSession session = files.open(c)) {
            CopyLoad load = CopyLoad.start(session, source, to);
            String result;
            CopyLoad.Summary copied;
            try {
                load.awaitFlowing();
                result = new RemoteActions(screens, c, view).run("latency", text);
            } finally {
                copied = load.stop();
            }
            out.println(PeerText.escape(result) + ", while copying");
            out.println(PeerText.escape(copied.describe(source.getFileName().toString())));
            if (copied.failure() != null) {
                err.println("tandem: the copy failed: " + PeerText.escape(copied.failure()));
                return 1;
            }
            return 0;
        } catch (GuestException e) {
            err.println("tandem: " + PeerText.escape(e.getMessage()));
            return ExitStatus.of(e.reason());
        }
    }

    private int session(String verb, List<String> text, RemoteActions.View view, HostConnection c, PrintStream out,
            PrintStream err)
            throws Failure, InterruptedException {
        switch (verb) {
            case "connect" -> {
                out.println("Connected to " + PeerText.escape(c.hostName()) + " at " + c.address());
                out.println("  identity    " + c.fingerprint() + " (" + c.keyNote() + ")");
                out.println("  role        " + PeerText.escape(c.role()));
                out.println("  privileges  " + (c.privileges().isEmpty() ? "none"
                        : String.join(", ", c.privileges().stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList())));
                if (c.controlOnConsent()) {
                    out.println("  control     keyboard and mouse once the person at the Host allows (asked at the"
                            + " first keystroke or click)");
                }
                return 0;
            }
            case "screenshot", "type", "keys", "clipboard", "watch", "latency", "lock" -> {
                RemoteScreens screens = installed(RemoteScreens.class, "remote-control");
                try {
                    String result = new RemoteActions(screens, c, view).run(verb, text);
                    out.println(PeerText.escape(result));
                    return 0;
                } catch (GuestException e) {
                    err.println("tandem: " + PeerText.escape(e.getMessage()));
                    return ExitStatus.of(e.reason());
                }
            }
            case "message" -> {
                RemoteMessages messages = installed(RemoteMessages.class, "message");
                try {
                    messages.send(c, String.join(" ", text), MESSAGE_CONFIRMATION);
                } catch (GuestException e) {
                    throw new Failure(e);
                }
                out.println("Message delivered. The Host showed it to the person there.");
                return 0;
            }
            default -> {
                out.println(PeerText.escape(runSession(c, verb, text)));
                return 0;
            }
        }
    }

    /** The session type {@code id} installed on this Guest, which shows to the person at this terminal. */
    private SessionType sessionType(String id) throws Failure {
        return bound(SESSION_TYPES).stream().map(SessionType.class::cast).filter(t -> t.id().equals(id))
                .findFirst().orElseThrow(() -> new Failure("the " + id + " session type is not installed on this Guest",
                        ExitStatus.NOT_FOUND));
    }

    /**
     * connect --stay: keeps the connection until the Host ends it (Ctrl-C ends the process); a chat the person at
     * the Host opens shows on this terminal as one this Guest opened does.
     */
    private int stay(HostConnection c, PrintStream out) throws Failure, InterruptedException {
        SessionType chat = sessionType("chat");
        try {
            c.answer(chat.id(), chat::open);
        } catch (GuestException e) {
            throw new Failure(e);
        }
        out.println("Staying connected; a chat the person at " + PeerText.escape(c.hostName())
                + " opens shows here (type to answer, /end ends it). Ctrl-C disconnects.");
        out.flush();
        try {
            String reason = c.closed().toCompletableFuture().get();
            out.println("Disconnected: " + PeerText.escape(reason));
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new Failure(String.valueOf(e.getCause().getMessage()));
        }
    }

    private String runSession(HostConnection c, String verb, List<String> text) throws Failure, InterruptedException {
        SessionType type = sessionType(verb);
        CompletableFuture<String> ended = new CompletableFuture<>();
        try {
            c.open(verb, ChannelPriority.CONTROL, text, context -> {
                SessionHandler handler = type.open(context);
                return new SessionHandler() {
                    @Override
                    public void received(ByteBuffer message) {
                        handler.received(message);
                    }

                    @Override
                    public void closed(String reason) {
                        handler.closed(reason);
                        ended.complete(reason);
                    }
                };
            });
        } catch (GuestException e) {
            throw new Failure(e);
        }
        return type.title() + " ended: " + ended.join();
    }

    private static char[] password(String file, boolean stdin, InputStream in, String guestId, String address)
            throws Failure {
        try {
            if (file != null) {
                return firstLine(Files.readAllBytes(Path.of(file)), "the password file " + file);
            }
            if (stdin) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                // Byte by byte: whatever follows the password line stays for the session (e.g. chat).
                for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                    if (line.size() > 1024) {
                        throw new Failure("the password on standard input is too long");
                    }
                    line.write(b);
                }
                return firstLine(line.toByteArray(), "standard input");
            }
            Console console = System.console();
            if (console == null) {
                throw new Failure("no terminal to ask for the password; use --password-file FILE or --password-stdin");
            }
            char[] p = console.readPassword("Password%s for %s: ", guestId == null ? "" : " of " + guestId, address);
            if (p == null || p.length == 0) {
                throw new Failure("no password given");
            }
            return p;
        } catch (IOException e) {
            throw new Failure("cannot read the password: " + e.getMessage());
        }
    }

    private static char[] firstLine(byte[] bytes, String where) throws Failure {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String first = (nl < 0 ? s : s.substring(0, nl)).replace("\r", "");
        if (first.isEmpty()) {
            throw new Failure("no password in " + where);
        }
        return first.toCharArray();
    }

    /**
     * The options of the launcher's normalised request (the command and its arguments first, then
     * each option: a flag once, any other with its value), taken out in one pass.
     */
    static final class Options {
        static final Set<String> FLAGS = Set.of("--password-stdin", "--accept-new-key", "--no-subfolders",
                "--skip-read-only", "--skip-hidden", "--only-existing", "--one-way", "--no-delta", "--stay");
        static final Set<String> BROWSE = Set.of("--profile", "--timeout");
        static final Set<String> SESSIONS = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key", "--out", "--display", "--quality", "--colors", "--stay", "--invitation",
                "--while-copying", "--to");
        static final Set<String> INVENTORY = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key", "--export", "--out");
        static final Set<String> SHELL = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key");
        static final Set<String> SEND = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key");
        static final Set<String> BATCH = Set.of("--guest-id", "--password-file", "--password-stdin", "--accept-new-key",
                "--parallel", "--timeout", "--save");
        static final Set<String> FILES = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key", "--overwrite", "--on-error", "--retries", "--log", "--confirm", "--no-subfolders",
                "--skip-read-only", "--skip-hidden", "--only-existing", "--one-way", "--no-delta");
        static final Set<String> TUNNEL = Set.of("--profile", "--guest-id", "--password-file", "--password-stdin",
                "--otp", "--accept-new-key", "--local", "--remote");

        private final Map<String, String> values = new HashMap<>();
        private final Set<String> flags = new HashSet<>();

        /** Takes the options out of {@code args}, leaving the command and its arguments. */
        static Options take(List<String> args) throws Usage {
            Options o = new Options();
            int i = 0;
            while (i < args.size()) {
                String a = args.get(i);
                if (!a.startsWith("--")) {
                    i++;
                } else if (FLAGS.contains(args.remove(i))) {
                    o.flags.add(a);
                } else if (i < args.size() && !args.get(i).startsWith("--")) {
                    o.values.put(a, args.remove(i));
                } else {
                    throw new Usage("tandem guest: " + a + " needs a value");
                }
            }
            return o;
        }

        String value(String name) {
            return values.get(name);
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        /** Refuses an option {@code verb} does not take. */
        void only(String verb, Set<String> allowed) throws Usage {
            for (String name : values.keySet()) {
                if (!allowed.contains(name)) {
                    throw new Usage("tandem guest " + verb + ": unknown option " + name);
                }
            }
            for (String name : flags) {
                if (!allowed.contains(name)) {
                    throw new Usage("tandem guest " + verb + ": unknown option " + name);
                }
            }
        }
    }
}
