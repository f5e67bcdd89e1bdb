package org.tandemrc.host.support.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.adhoc.JoinedSupport;
import org.tandemrc.api.adhoc.JoinedSupportEnded;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.node.NodeRole;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.support.event.EventRecorder;

/**
 * The temporary Host started for a support session (framework property {@value Preset#PROPERTY}): asks
 * the person for the code, joins the supporter's session through a webconnect profile made here (the
 * manager and the code, no account), shows who helps, and stops the whole Host when the session ends
 * (End support, the person refusing the supporter's first Confirm access, the supporter's End session
 * now, the lifetime), after which the script deletes every file. Without that property it does nothing.
 * As an event sink it also prints the Host's events on the terminal: the event log goes with the folder.
 */
@Component(service = EventSink.class, immediate = true)
public class TemporaryHost implements EventSink {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.support");
    static final String PROFILE = "support";
    private static final long SHOW_END_MILLIS = 4000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm")
            .withZone(ZoneId.systemDefault());

    private final EventRecorder audit = new EventRecorder("org.tandemrc.host.support");
    /** The person's terminal (the node's console: System.err goes to the node log, which is deleted with the folder). */
    @Reference(target = "(tandem.console=out)")
    private PrintStream terminal;
    private BundleContext context;
    private ExecutorService work;
    private Preset preset;
    private Face face;
    private volatile JoinedSupport session;
    private volatile boolean accessConfirmed;
    private volatile boolean ending;
    /** The person refused the supporter's first Confirm access: that ended the session. */
    private volatile boolean refusedFirst;
    private ServiceRegistration<ConfiguredProfile> profile;

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY,
            target = "(!(component.name=org.tandemrc.host.support.internal.TemporaryHost))")
    void bindSink(EventSink sink) {
        audit.add(sink);
    }

    void unbindSink(EventSink sink) {
        audit.remove(sink);
    }

    @Activate
    void activate(BundleContext ctx) {
        String text = ctx.getProperty(Preset.PROPERTY);
        if (text == null) {
            return;
        }
        context = ctx;
        work = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tandem-support-host");
            t.setDaemon(true);
            return t;
        });
        try {
            preset = Preset.parse(text);
        } catch (IllegalArgumentException e) {
            terminal.println("tandem-support-host: " + e.getMessage());
            stopHost();
            return;
        }
        work.execute(this::start);
    }

    private void start() {
        try {
            face = new SupportWindow(preset, (code, manager) -> work.execute(() -> join(code, manager)),
                    this::endSupport, this::stopHost);
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "no desktop for the support window: " + e);
            face = new TerminalFace(terminal, this::stopHost);
            if (preset.code() == null || preset.manager() == null) {
                terminal.println("tandem-support-host: without a desktop, start it with --code CODE and --manager ADDRESS");
                stopHost();
                return;
            }
            join(preset.code(), preset.manager());
        }
    }

    /** Joins with a typed code; on the work thread, as the Host's listening happens in the registering thread. */
    private void join(String typedCode, String typedManager) {
        String code = Preset.normalize(typedCode);
        String manager = Preset.manager(typedManager);
        if (code == null || manager == null) {
            face.refused(code == null ? "The code has 9 digits, such as 123 456 789." : "Type the address your supporter gave you.");
            return;
        }
        if (session != null || ending) {
            return;
        }
        face.connecting();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("manager", manager);
        settings.put("support-code", code);
        if (preset.fingerprint() != null) {
            settings.put("trust-fingerprint", preset.fingerprint());
        }
        ConfiguredProfile p = ConfiguredProfile.of(new CommunicationProfile(PROFILE, "webconnect", settings));
        // The Host listens on it (and the device dials the manager) before registerService returns.
        profile = context.registerService(ConfiguredProfile.class, p, null);
        JoinedSupport joined = await(code);
        if (joined == null) {
            String why = problem();
            profile.unregister();
            profile = null;
            own(EventCodes.TANDEM_WEBCONNECT_SUPPORT_REFUSED, Severity.SECURITY, manager, "",
                    "the support code ending " + code.substring(6) + " was not accepted: " + why);
            face.refused(why);
            return;
        }
        session = joined;
        letTheSupporterLogOn(code);
        own(EventCodes.TANDEM_WEBCONNECT_SUPPORT_JOINED, Severity.INFO, manager, joined.supporter(),
                "joined the support session of " + joined.supporter() + " (account '" + joined.account() + "'), which ends "
                        + joined.ends());
        face.joined(joined.supporter(), joined.account(), joined.ends());
        joined.ended().thenAccept(this::ended);
    }

    /**
     * The supporter's Guests log on with the session's code as the Host's shared password (under the
     * security configuration's role, Support): they know it, and only the Host's folder keeps its verifier.
     * Set through the Host's own {@code admin access password}, from a file that exists only meanwhile.
     */
    private void letTheSupporterLogOn(String code) {
        String home = context.getProperty("tandem.home");
        Path file = Path.of(home == null ? "." : home, "data", "support-code");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int status = 1;
        try {
            Files.writeString(file, code + "\n");
            for (ServiceReference<Command> r : context.getServiceReferences(Command.class,
                    "(" + Command.NAME_PROPERTY + "=admin:access)")) {
                Command c = context.getService(r);
                if (c != null) {
                    PrintStream to = new PrintStream(said, true, StandardCharsets.UTF_8);
                    status = c.run(List.of("password", "--password-file", file.toString()), InputStream.nullInputStream(),
                            to, to);
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            said.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the folder goes with the Host anyway
            }
        }
        if (status != 0) {
            LOG.log(System.Logger.Level.WARNING, "the supporter cannot log on with the code: "
                    + said.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** The session the webconnect device joined with {@code code}, once it says; null when it did not. */
    private JoinedSupport await(String code) {
        // The device gives up on unreachable managers within about a minute; a refusal comes at once.
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                Collection<ServiceReference<JoinedSupport>> refs = context.getServiceReferences(JoinedSupport.class, null);
                for (ServiceReference<JoinedSupport> r : refs) {
                    JoinedSupport j = context.getService(r);
                    if (j != null && j.code().equals(code)) {
                        return j;
                    }
                }
            } catch (InvalidSyntaxException | IllegalStateException e) {
                return null;
            }
            if (!problem().isEmpty()) {
                return null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** Why the Host could not listen on the support profile: the manager's words, as the Host role reports them. */
    private String problem() {
        String mark = "profile '" + PROFILE + "': ";
        try {
            for (ServiceReference<NodeRole> r : context.getServiceReferences(NodeRole.class,
                    "(" + NodeRole.ROLE_PROPERTY + "=host)")) {
                Object problems = r.getProperty(NodeRole.PROBLEMS_PROPERTY);
                if (problems instanceof String[] all) {
                    for (String p : all) {
                        if (p.startsWith(mark)) {
                            return reason(p.substring(mark.length()));
                        }
                    }
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return "the Host stopped";
        }
        return "";
    }

    /** The manager's refusal out of the device's sentence ("webconnect Host 'support-…' could not register: WHY"). */
    static String reason(String problem) {
        String register = "could not register: ";
        int i = problem.indexOf(register);
        String why = i < 0 ? problem : problem.substring(i + register.length());
        return why.isEmpty() ? why : Character.toUpperCase(why.charAt(0)) + why.substring(1);
    }

    /** End support: the session ends at the manager too; {@link #ended} follows. */
    private void endSupport() {
        JoinedSupport s = session;
        if (s != null && !ending) {
            ending = true;
            work.execute(s::end);
        }
    }

    private void ended(JoinedSupportEnded e) {
        JoinedSupport s = session;
        String who = s == null ? "" : s.supporter();
        own(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO, "", who, "support session ended by "
                + switch (e.by()) {
                    case PERSON -> "the person at this Host";
                    case SUPPORTER -> "the supporter, " + who;
                    case OVER -> "its lifetime or the manager";
                } + ": " + e.reason());
        String text = switch (e.by()) {
            case PERSON -> !refusedFirst ? "You ended the support session."
                    : "You refused " + who + ", so the support session ended.";
            case SUPPORTER -> who + " ended the support session.";
            case OVER -> reason(e.reason()) + ".";
        } + " Tandem removes itself from this computer.";
        face.ended(text);
        work.execute(() -> {
            try {
                Thread.sleep(SHOW_END_MILLIS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            stopHost();
        });
    }

    /** Stops the whole framework, from a thread of its own (not one the framework waits for). */
    private void stopHost() {
        BundleContext ctx = context;
        if (ctx == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ctx.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot stop the temporary Host: " + e);
            }
        }, "tandem-support-host-stop");
        t.start();
    }

    /** Records an event of its own: to the Host's sinks (its event log) and, as they do not include this one, the terminal. */
    private void own(String code, Severity severity, String peer, String user, String detail) {
        audit.record(code, severity, peer, user, detail);
        print(new AuditEvent(Instant.now(), code, severity, "", peer, user, detail));
    }

    private void print(AuditEvent e) {
        terminal.println("tandem-support-host: " + TIME.format(e.time()) + " " + e.code() + " "
                + (e.user().isEmpty() ? "" : e.user() + ": ") + e.detail().replaceAll("\\p{Cntrl}", "?"));
    }

    @Override
    public void record(AuditEvent e) {
        if (context == null) {
            return;
        }
        print(e);
        if (e.code().equals(EventCodes.CONFIRM_ACCESS_GRANTED)) {
            accessConfirmed = true;
        } else if (e.code().equals(EventCodes.CONFIRM_ACCESS_DENIED) && !accessConfirmed) {
            // The person said no to the supporter's first request: that is the end of this session.
            refusedFirst = true;
            endSupport();
        }
    }

    @Deactivate
    void deactivate() {
        if (context == null) {
            return;
        }
        // Stopped otherwise (Ctrl+C, the window's owner logging out): the session ends at the manager too.
        JoinedSupport s = session;
        if (s != null && !ending) {
            ending = true;
            s.end();
            try {
                s.ended().toCompletableFuture().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                // told or not, the Host stops now
            }
        }
        if (face != null) {
            face.close();
        }
        work.shutdownNow();
        context = null;
    }

    /** What the person reads once joined. */
    static String joinedText(String supporter, String account) {
        return supporter + " (account " + account + ") can now ask to see your screen. You will be asked each time;"
                + " press Esc to take back keyboard and mouse.";
    }

    /** When the session ends, for the person. */
    static String when(Instant ends) {
        return WHEN.format(ends);
    }
}
