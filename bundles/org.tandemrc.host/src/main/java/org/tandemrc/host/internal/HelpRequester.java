package org.tandemrc.host.internal;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.text.PeerText;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.support.config.TypedConfig;

/**
 * The Host user's help request ({@code tandem admin help ...}; defaults in {@code
 * etc/org.tandemrc.host.help.cfg}: {@code provider}, {@code address}, {@code problem}, {@code profile},
 * {@code timeout} in minutes, 0 = never). The Host dials the help provider's Guest, directly or through
 * a Gateway with a {@code gateway} profile, and sends the request inside the secured connection; the
 * Guest's help desk holds it until a supporter takes it, then the supporter logs on over the same
 * connection as if it had connected. One request at a time, as the reference's Request/Cancel help.
 */
@Component(service = {}, configurationPid = HelpRequester.PID)
@Designate(ocd = HelpConfig.class)
public class HelpRequester {

    static final String PID = "org.tandemrc.host.help";

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.help");
    /** How long {@code request} waits for the help desk's first answer. */
    private static final long ANSWER_SECONDS = 40;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    static final String USAGE = """
            usage: tandem admin help request [--provider NAME] [--to DEVICE:ADDRESS] [--problem TEXT]
                                             [--profile NAME] [--timeout MINUTES]
                   tandem admin help status
                   tandem admin help cancel
            Sends a help request to the Guest offering the help service NAME at ADDRESS (e.g.
            tcp:helpdesk.example:6503, or gateway:10.1.0.5:6503 with a gateway profile named by
            --profile). Defaults come from etc/org.tandemrc.host.help.cfg (provider, address, problem,
            profile, timeout). The request stays pending until a supporter takes it, the supporter
            declines it, it times out (--timeout, 0 = never) or you cancel it.""";

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<ConfiguredProfile> profiles = new CopyOnWriteArrayList<>();

    @Reference
    private GuestAccess access;

    private volatile HelpConfig config = TypedConfig.of(HelpConfig.class, PID, Map.of());
    private ServiceRegistration<Command> command;
    /** The current or last request. Guarded by this. */
    private Request current;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        this.config = TypedConfig.of(HelpConfig.class, PID, config);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:help");
        command = context.registerService(Command.class, this::run, props);
    }

    @Modified
    void modified(Map<String, Object> config) {
        this.config = TypedConfig.of(HelpConfig.class, PID, config);
    }

    @Deactivate
    void deactivate() {
        command.unregister();
        Request r;
        synchronized (this) {
            r = current;
        }
        if (r != null && r.connection != null) {
            r.connection.close("the Host's help request function stopped");
        }
    }

    int run(List<String> argList, InputStream in, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(argList);
        if (args.isEmpty() || args.contains("--help")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String verb = args.remove(0);
        try {
            return switch (verb) {
                case "request" -> request(args, out, err);
                case "status" -> {
                    none(args);
                    out.println(status());
                    yield 0;
                }
                case "cancel" -> {
                    none(args);
                    out.println(cancel());
                    yield 0;
                }
                default -> throw new Usage("tandem admin help: unknown '" + verb + "'\n" + USAGE);
            };
        } catch (Usage e) {
            err.println(e.getMessage());
            return 2;
        } catch (Failure e) {
            err.println("tandem: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int request(List<String> args, PrintStream out, PrintStream err) throws Usage, Failure, InterruptedException {
        HelpConfig c = config;
        String provider = option(args, "--provider", c.provider());
        String to = option(args, "--to", c.address());
        String problem = option(args, "--problem", c.problem());
        String profileName = option(args, "--profile", c.profile());
        String timeoutText = option(args, "--timeout", c.timeout());
        none(args);
        if (provider.isBlank()) {
            throw new Usage("tandem admin help request: name the help provider with --provider NAME"
                    + " (or provider = NAME in etc/org.tandemrc.host.help.cfg)");
        }
        if (provider.length() > 64 || problem.length() > 4096) {
            throw new Usage("tandem admin help request: the provider is at most 64 characters, the problem 4096");
        }
        if (to.isBlank()) {
            throw new Usage("tandem admin help request: say where the help provider listens with --to DEVICE:ADDRESS,"
                    + " e.g. --to tcp:helpdesk.example:6503 (or address = ... in etc/org.tandemrc.host.help.cfg)");
        }
        int timeout;
        try {
            timeout = timeoutText.isBlank() ? 0 : Integer.parseInt(timeoutText.trim());
        } catch (NumberFormatException e) {
            timeout = -1;
        }
        if (timeout < 0 || timeout > 9999) {
            throw new Usage("tandem admin help request: --timeout is 0..9999 minutes (0 = never), not " + timeoutText);
        }
        CommunicationProfile profile = profile(profileName.trim(), to.trim());
        String target = target(profile.device(), to.trim());
        CommunicationDevice device = devices.stream().filter(d -> d.type().equals(profile.device())).findFirst()
                .orElseThrow(() -> new Failure("the " + profile.device() + " communication device is not installed on this Host"));
        Request r;
        synchronized (this) {
            if (current != null && current.state == State.PENDING || current != null && current.state == State.DIALING) {
                throw new Failure("a help request is already " + current.state.text + " (" + current.describe()
                        + "); cancel it first with 'tandem admin help cancel'");
            }
            r = new Request(provider.trim(), profile.device() + ":" + target, problem.trim(), timeout);
            current = r;
        }
        r.connection = access.call(r.address, r);
        device.connect(profile, target, r.connection).whenComplete((link, error) -> {
            if (error != null) {
                access.connections.remove(r.connection); // never opened, so it hears no close
                r.end("cannot reach " + r.address + ": " + rootMessage(error));
            }
        });
        String answer;
        try {
            answer = r.firstAnswer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            r.connection.close("the help provider did not answer within " + ANSWER_SECONDS + " s");
            throw new Failure("the help provider at " + r.address + " did not answer within " + ANSWER_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new Failure(e.getCause().getMessage());
        }
        out.println(answer);
        return 0;
    }

    /** The named profile (enabled or not: a Host's gateway profile is for going out only), else the device's. */
    private CommunicationProfile profile(String name, String to) throws Failure {
        if (!name.isEmpty()) {
            for (ConfiguredProfile p : profiles) {
                if (p.profile().name().equals(name)) {
                    if (p.problem().isPresent()) {
                        throw new Failure(p.problem().get());
                    }
                    return p.profile();
                }
            }
            throw new Failure("this Host has no communication profile named '" + name
                    + "' (profiles are etc/org.tandemrc.profile-NAME.cfg)");
        }
        int colon = to.indexOf(':');
        String device = colon > 0 && devices.stream().anyMatch(d -> d.type().equals(to.substring(0, colon)))
                ? to.substring(0, colon) : "tcp";
        return profiles.stream().filter(p -> p.problem().isEmpty() && p.profile().device().equals(device))
                .map(ConfiguredProfile::profile).min(Comparator.comparing(CommunicationProfile::name))
                .orElseGet(() -> new CommunicationProfile("help", device, Map.of()));
    }

    /** The address in the device's syntax: without the device prefix; tcp's port defaults to 6503. */
    private static String target(String device, String to) {
        String t = to.startsWith(device + ":") ? to.substring(device.length() + 1) : to;
        if (device.equals("tcp") && !t.startsWith("[") && t.indexOf(':') < 0) {
            t = t + ":6503";
        }
        return t;
    }

    synchronized String status() {
        if (current == null) {
            return "no help request since the Host started";
        }
        return current.state.text + ": " + current.describe();
    }

    String cancel() throws Failure {
        Request r;
        synchronized (this) {
            r = current;
            if (r == null || r.state != State.PENDING && r.state != State.DIALING) {
                throw new Failure(r == null ? "there is no help request to cancel"
                        : "there is no pending help request to cancel (the last one is " + r.state.text + ": "
                                + r.describe() + ")");
            }
        }
        if (!r.canceled("by the Host user")) {
            throw new Failure("the help request was " + r.state.text + " meanwhile: " + r.describe());
        }
        return "help request to " + r.provider + " canceled";
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private enum State {
        DIALING("dialing"), PENDING("pending"), TAKEN("taken"), ENDED("ended");

        final String text;

        State(String text) {
            this.text = text;
        }
    }

    /** One help request and its connection. */
    private final class Request implements HostSide.HelpCall {
        final String provider;
        final String address;
        final String problem;
        final int timeoutMinutes;
        final Instant since = Instant.now();
        final CompletableFuture<String> firstAnswer = new CompletableFuture<>();
        volatile Connection connection;
        /** Guarded by HelpRequester.this. */
        State state = State.DIALING;
        String detail = "";
        ScheduledFuture<?> timer;

        Request(String provider, String address, String problem, int timeoutMinutes) {
            this.provider = provider;
            this.address = address;
            this.problem = problem;
            this.timeoutMinutes = timeoutMinutes;
        }

        String describe() {
            return "help from " + provider + " at " + address + " asked at " + TIME.format(since)
                    + (problem.isEmpty() ? "" : ", problem: " + problem) + (detail.isEmpty() ? "" : "; " + detail);
        }

        @Override
        public ControlMessage request() {
            return ControlMessage.of("help.request").with("service", provider).with("host", access.hostName)
                    .with("user", System.getProperty("user.name", "")).with("problem", problem);
        }

        @Override
        public void pending(String service) {
            synchronized (HelpRequester.this) {
                if (state != State.DIALING) {
                    return;
                }
                state = State.PENDING;
                if (timeoutMinutes > 0) {
                    timer = access.scheduler.schedule(() -> canceled("not answered within " + timeoutMinutes
                            + " minute(s)"), timeoutMinutes, TimeUnit.MINUTES);
                }
            }
            access.audit.record(EventCodes.HOST_HELP_REQUEST_SENT, Severity.INFO, address, "",
                    provider + (problem.isEmpty() ? "" : ", " + problem));
            firstAnswer.complete("help request sent to " + provider + " at " + address + "; pending until a supporter"
                    + " takes it ('tandem admin help status', 'tandem admin help cancel')");
        }

        @Override
        public void refused(String reason) {
            end("refused: " + reason);
        }

        @Override
        public void taken(String by) {
            synchronized (HelpRequester.this) {
                state = State.TAKEN;
                detail = "taken by " + PeerText.escape(by) + " at " + TIME.format(Instant.now());
                cancelTimer();
            }
            LOG.log(System.Logger.Level.INFO, "help request to {0} taken by {1}", provider, PeerText.escape(by));
        }

        @Override
        public void closed(String reason) {
            boolean wasPending;
            synchronized (HelpRequester.this) {
                wasPending = state == State.PENDING;
            }
            if (wasPending) {
                access.audit.record(EventCodes.HOST_HELP_REQUEST_CANCELED, Severity.INFO, address, "", reason);
            }
            end(reason);
        }

        /** Cancels the request while it is dialing or pending; a taken or ended one stays as it is. */
        boolean canceled(String why) {
            boolean wasPending;
            synchronized (HelpRequester.this) {
                if (state != State.PENDING && state != State.DIALING) {
                    return false;
                }
                wasPending = state == State.PENDING;
                state = State.ENDED;
                detail = "canceled: " + why;
                cancelTimer();
            }
            if (wasPending) {
                connection.send(ControlMessage.of("help.cancel"));
                access.audit.record(EventCodes.HOST_HELP_REQUEST_CANCELED, Severity.INFO, address, "", why);
            }
            firstAnswer.completeExceptionally(new Failure("the help request was canceled: " + why));
            connection.close("help request canceled: " + why);
            return true;
        }

        void end(String reason) {
            synchronized (HelpRequester.this) {
                if (state == State.ENDED) {
                    return;
                }
                detail = (state == State.TAKEN ? detail + "; " : "") + "ended: " + reason;
                state = State.ENDED;
                cancelTimer();
            }
            firstAnswer.completeExceptionally(new Failure("the help request ended: " + reason));
        }

        private void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private static String option(List<String> args, String name, String fallback) throws Usage {
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new Usage("tandem admin help: " + name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    private static void none(List<String> args) throws Usage {
        if (!args.isEmpty()) {
            throw new Usage("tandem admin help: unexpected '" + args.get(0) + "'\n" + USAGE);
        }
    }

    static final class Usage extends Exception {
        Usage(String m) {
            super(m);
        }
    }

    static final class Failure extends Exception {
        Failure(String m) {
            super(m);
        }
    }
}
