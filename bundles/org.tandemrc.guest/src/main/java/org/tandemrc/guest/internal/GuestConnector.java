package org.tandemrc.guest.internal;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.DiscoveredHost;
import org.tandemrc.api.comm.HostDiscovery;
import org.tandemrc.api.comm.NameResolver;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.support.event.SessionEvents;
import org.tandemrc.support.text.PeerText;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ControlRecorder;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.Priority;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.SessionChannel;
import org.tandemrc.protocol.SessionDenied;
import org.tandemrc.protocol.logon.GuestSrp;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.srp.AuthenticationFailed;

/**
 * The {@link Guest} service: connects through a communication device, checks the Host's key against
 * {@code etc/known-hosts}, and logs on with SRP; the connection then opens sessions. It records the
 * Guest's events (call, logon, rejected password, every session's start and end, hang-up or lost
 * connection) to every {@link EventSink}, as the reference's Guest event table names them. Registered
 * under its own class too, so that the help desk's logons use the same session types and event log.
 */
@Component(service = {Guest.class, GuestConnector.class})
public class GuestConnector implements Guest {

    private static final long STEP_SECONDS = 20;

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<CommunicationDevice> devices = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, SessionType> sessionTypes = new ConcurrentHashMap<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<ConfiguredProfile> profiles = new java.util.concurrent.CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<HostDiscovery> discoveries = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The name services of {@code NS::NAME} addresses (the Security Server client's). */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<NameResolver> resolvers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    final EventRecorder events = new EventRecorder("org.tandemrc.guest.audit");
    private ScheduledExecutorService scheduler;
    /** Runs the logon work a connect starts ahead (GuestSrp): a thread per task at once, or none (then it runs in line). */
    private java.util.concurrent.ThreadPoolExecutor logonAhead;
    private Path home;

    /** The bound services by their type, as they are now; of two with one type, the later in SCR's order wins. */
    private static <T> Map<String, T> byType(List<T> services, Function<T, String> type) {
        Map<String, T> now = new java.util.LinkedHashMap<>();
        for (T service : services) {
            now.put(type.apply(service), service);
        }
        return now;
    }

    @Override
    public List<DiscoveredHost> browse(String profileName, java.time.Duration timeout)
            throws GuestException, InterruptedException {
        Map<String, HostDiscovery> now = byType(discoveries, HostDiscovery::type);
        if (now.isEmpty()) {
            throw new GuestException(Reason.NOT_INSTALLED, "no communication device that can browse is installed on this Guest"
                    + " (the udp device browses)");
        }
        List<CompletableFuture<List<DiscoveredHost>>> asked = new java.util.ArrayList<>();
        try {
            ConfiguredProfile named = profileName == null || profileName.isBlank() ? null : namedProfile(profileName.trim());
            if (named != null && !now.containsKey(named.profile().device())) {
                throw new GuestException(Reason.INVALID_REQUEST, "the " + named.profile().device() + " device of profile '" + profileName
                        + "' cannot browse");
            }
            for (HostDiscovery d : now.values()) {
                if (named == null || named.profile().device().equals(d.type())) {
                    CommunicationProfile p = named != null ? named.profile() : profileFor(d.type());
                    asked.add(d.browse(p, timeout).toCompletableFuture());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new GuestException(Reason.INVALID_REQUEST, e.getMessage());
        }
        java.util.TreeSet<DiscoveredHost> found = new java.util.TreeSet<>(java.util.Comparator
                .comparing(DiscoveredHost::name, String.CASE_INSENSITIVE_ORDER).thenComparing(DiscoveredHost::address));
        for (CompletableFuture<List<DiscoveredHost>> f : asked) {
            try {
                found.addAll(f.get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                throw new GuestException(Reason.FAILED, "browsing failed: " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new GuestException(Reason.NO_ANSWER, "browsing did not finish in time");
            }
        }
        return List.copyOf(found);
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindSessionType(SessionType t) {
        sessionTypes.put(t.id(), t);
    }

    void unbindSessionType(SessionType t) {
        sessionTypes.remove(t.id(), t);
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindSink(EventSink sink) {
        events.add(sink);
    }

    void unbindSink(EventSink sink) {
        events.remove(sink);
    }

    @Activate
    void activate(BundleContext context) {
        String h = context.getProperty("tandem.home");
        activate(Path.of(h == null ? "." : h));
    }

    /** Starts with this home folder (known Host keys in its etc/). */
    void activate(Path home) {
        this.home = home;
        events.node(localName());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-guest-timers");
            t.setDaemon(true);
            return t;
        });
        logonAhead = new java.util.concurrent.ThreadPoolExecutor(0, 2 * Math.max(2, Runtime.getRuntime().availableProcessors()),
                30, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "tandem-guest-logon");
                    t.setDaemon(true);
                    return t;
                });
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        logonAhead.shutdownNow();
    }

    @Override
    public Set<String> devices() {
        return Set.copyOf(byType(devices, CommunicationDevice::type).keySet());
    }

    @Override
    public HostConnection connect(ConnectRequest request) throws GuestException, InterruptedException {
        return open(request, null);
    }

    @Override
    public HostConnection connect(ConnectRequest request, String fingerprint) throws GuestException, InterruptedException {
        return open(request, java.util.Objects.requireNonNull(fingerprint, "fingerprint"));
    }

    /** @param fingerprint the Host key given in advance, or null to check against (and pin in) known-hosts */
    private HostConnection open(ConnectRequest request, String fingerprint)
            throws GuestException, InterruptedException {
        Map<String, CommunicationDevice> installed = byType(devices, CommunicationDevice::type);
        Address address;
        CommunicationProfile profile;
        try {
            ConfiguredProfile named = request.profile().isEmpty() ? null : namedProfile(request.profile());
            String given = NamedHosts.resolve(request.address(), resolvers, installed.keySet());
            address = Address.parse(given, installed.keySet(), named == null ? null : named.profile().device());
            profile = named != null ? named.profile() : profileFor(address.device());
        } catch (IllegalArgumentException e) {
            throw new GuestException(Reason.INVALID_REQUEST, e.getMessage());
        }
        CommunicationDevice device = installed.get(address.device());
        if (device == null) {
            throw new GuestException(Reason.NOT_INSTALLED, "the " + address.device() + " communication device is not installed on this Guest");
        }
        GuestListener listener = new GuestListener();
        events.record(EventCodes.GUEST_CALL, Severity.INFO, address.toString(), "", "");
        Connection c = Connection.guest(localName(), String.join(",", sessionTypes.keySet()), listener, scheduler,
                random);
        // A = g^a and, for a Host that proved itself here before, the Argon2id pre-hash of its salt: while connecting.
        GuestSrp srp = GuestSrp.start(address.toString(), srpIdentity(request.guestId()), request.password(), random,
                logonAhead);
        try {
            await(device.connect(profile, address.target(), c)
                    .toCompletableFuture(), "connecting to " + address);
            awaitSecured(listener);
            byte[] hostKey = c.hostKey().orElseThrow();
            String offered = HostIdentity.fingerprint(hostKey);
            String keyNote = fingerprint == null ? pin(address, offered, request.acceptChangedKey())
                    : pinGiven(address, offered, fingerprint);
            return logOn(c, listener, events, request.guestId(), request.password(), request.oneTimeCode(), true,
                    srp, sessionTypes, address.toString(), offered, keyNote);
        } catch (GuestException e) {
            String why = listener.closed.getNow("");
            if (why.startsWith(Connection.PROTOCOL_ERROR)) {
                // A forged Host signature, garbage instead of a hello, a malformed logon message.
                events.record(EventCodes.TANDEM_PROTOCOL_ERROR, Severity.SECURITY, c.remoteAddress(), "",
                        address + ": " + why);
                if (e.reason() == Reason.UNREACHABLE || e.reason() == Reason.CLOSED) {
                    c.close(e.getMessage());
                    throw new GuestException(Reason.PROTOCOL_ERROR, e.getMessage());
                }
            }
            c.close(e.getMessage());
            throw e;
        } finally {
            srp.close();
        }
    }

    /** The SRP identity of a logon: the Guest ID, or {@code *} for the shared password. */
    static String srpIdentity(String guestId) {
        return guestId == null ? "*" : guestId;
    }

    private ConfiguredProfile namedProfile(String name) {
        for (ConfiguredProfile p : profiles) {
            if (p.profile().name().equals(name)) {
                if (p.problem().isPresent()) {
                    throw new IllegalArgumentException(p.problem().get());
                }
                if (!p.enabled()) {
                    throw new IllegalArgumentException("the communication profile '" + name + "' is disabled on this Guest");
                }
                return p;
            }
        }
        throw new IllegalArgumentException("this Guest has no communication profile named '" + name
                + "' (profiles are etc/org.tandemrc.profile-NAME.cfg)");
    }

    /**
     * The enabled profile of the device (the first by name when several are), whose settings (proxy,
     * timeouts...) the connection uses; without one, the device's defaults.
     */
    private CommunicationProfile profileFor(String device) {
        return profiles.stream()
                .filter(p -> p.enabled() && p.problem().isEmpty() && p.profile().device().equals(device))
                .map(ConfiguredProfile::profile)
                .min(java.util.Comparator.comparing(CommunicationProfile::name))
                .orElseGet(() -> new CommunicationProfile("guest", device, Map.of()));
    }

    /** The session types a Host may open on a Guest: the person at the Host starts a chat. */
    static final Set<String> HOST_MAY_OPEN = Set.of("chat");

    /**
     * What a Guest hears on its connection: the logon step by step, then the sessions the Host opens,
     * which go to the connection once logged on and are refused before.
     */
    static final class GuestListener extends ControlRecorder {
        private volatile Link link;

        @Override
        public void openRequested(Connection connection, Connection.OpenRequest request) {
            Link l = link;
            if (l == null) {
                request.deny("a Host opens nothing on a Guest before the logon");
            } else {
                l.requested(request);
            }
        }
    }

    /** One connection to a Host. */
    private static final class Link implements HostConnection {
        private final Map<String, SessionType> sessionTypes;
        private final Connection connection;
        private final String address;
        private final String hostName;
        private final String fingerprint;
        private final String keyNote;
        private final String role;
        private final Set<Privilege> privileges;
        private final boolean controlOnConsent;
        private final CompletableFuture<String> closed;
        private final EventRecorder events;
        /** Who this Guest is to the Host, for the user column. */
        private final String user;
        private volatile boolean hungUp;
        /** What answers the sessions the Host opens, by type: only types in {@link #HOST_MAY_OPEN}. */
        private final Map<String, Function<SessionContext, SessionHandler>> answering = new ConcurrentHashMap<>();
        /** A session the Host opened is open: the Host gets one at a time. */
        private final java.util.concurrent.atomic.AtomicBoolean hostOpened = new java.util.concurrent.atomic.AtomicBoolean();

        Link(Map<String, SessionType> sessionTypes, Connection connection, String address, String hostName,
                String fingerprint, String keyNote, String role, Set<Privilege> privileges, boolean controlOnConsent,
                CompletableFuture<String> closed, EventRecorder events, String user) {
            this.events = events;
            this.user = user;
            closed.thenAccept(reason -> {
                if (reason.startsWith(Connection.PROTOCOL_ERROR)) {
                    events.record(EventCodes.TANDEM_PROTOCOL_ERROR, Severity.SECURITY, connection.remoteAddress(),
                            user, hostName + ": " + reason);
                }
                if (!hungUp) {
                    events.record(EventCodes.CONNECTION_LOST, Severity.WARNING, connection.remoteAddress(), user,
                            hostName + ": " + reason);
                }
            });
            this.sessionTypes = sessionTypes;
            this.connection = connection;
            this.address = address;
            this.hostName = hostName;
            this.fingerprint = fingerprint;
            this.keyNote = keyNote;
            this.role = role;
            this.privileges = privileges;
            this.controlOnConsent = controlOnConsent;
            this.closed = closed;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public String hostName() {
            return hostName;
        }

        @Override
        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public String keyNote() {
            return keyNote;
        }

        @Override
        public String role() {
            return role;
        }

        @Override
        public Set<Privilege> privileges() {
            return privileges;
        }

        @Override
        public boolean controlOnConsent() {
            return controlOnConsent;
        }

        @Override
        public SessionContext open(String sessionType, ChannelPriority priority, List<String> arguments,
                Function<SessionContext, SessionHandler> handlerFactory) throws GuestException, InterruptedException {
            SessionType type = sessionTypes.get(sessionType);
            String title = type == null ? sessionType : type.title();
            SessionChannel channel;
            try {
                channel = connection.open(sessionType, Priority.valueOf(priority.name())).toCompletableFuture()
                        .get(10, TimeUnit.MINUTES); // the person at the Host may take a while to confirm
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SessionDenied) {
                    throw new GuestException(Reason.SESSION_REFUSED, "the Host refused the " + title + " session: " + cause.getMessage());
                }
                throw new GuestException(Reason.CLOSED, String.valueOf(cause.getMessage()));
            } catch (TimeoutException e) {
                throw new GuestException(Reason.NO_ANSWER, "the Host did not answer the " + title + " request");
            }
            SessionContext context = new GuestContext(channel, hostName, localName(), privileges, List.copyOf(arguments));
            SessionHandler handler;
            try {
                handler = handlerFactory.apply(context);
            } catch (RuntimeException e) {
                channel.close(title + " failed to start on the Guest: " + e.getMessage());
                throw new GuestException(Reason.FAILED, title + " failed to start: " + e.getMessage());
            }
            attach(channel, handler, sessionType, title, "", () -> {
            });
            return context;
        }

        @Override
        public Runnable answer(String sessionType, Function<SessionContext, SessionHandler> handler)
                throws GuestException {
            if (!HOST_MAY_OPEN.contains(sessionType)) {
                throw new GuestException(Reason.INVALID_REQUEST, "a Host may open only " + String.join(", ", HOST_MAY_OPEN)
                        + " sessions on a Guest, not " + sessionType);
            }
            answering.put(sessionType, handler);
            return () -> answering.remove(sessionType, handler);
        }

        /**
         * The Host asks to open a session on this Guest: a hostile Host gets nothing but a chat the Guest's
         * program takes, one at a time, whose lines its session type checks and bounds.
         */
        void requested(Connection.OpenRequest request) {
            String type = request.sessionType();
            Function<SessionContext, SessionHandler> answerer = HOST_MAY_OPEN.contains(type) ? answering.get(type) : null;
            if (answerer == null) {
                String shown = PeerText.escape(type);
                if (!HOST_MAY_OPEN.contains(type)) {
                    events.record(EventCodes.TANDEM_PRIVILEGE_REFUSED, Severity.SECURITY, connection.remoteAddress(), user,
                            hostName + ": the Host tried to open a " + shown + " session on this Guest");
                }
                request.deny(HOST_MAY_OPEN.contains(type) ? "the Guest's program takes no " + type + " the Host opens"
                        : "a Host may not open a " + shown + " session on a Guest");
                return;
            }
            if (!hostOpened.compareAndSet(false, true)) {
                request.deny("a " + type + " you opened is open already");
                return;
            }
            SessionType known = sessionTypes.get(type);
            String title = known == null ? type : known.title();
            SessionChannel channel = request.accept();
            SessionContext context = new GuestContext(channel, hostName, localName(), privileges, List.of());
            SessionHandler handler;
            try {
                handler = answerer.apply(context);
            } catch (RuntimeException e) {
                handler = null;
            }
            if (handler == null) {
                hostOpened.set(false);
                channel.close("the Guest did not take the " + title);
                return;
            }
            attach(channel, handler, type, title, " (opened by the Host)", () -> hostOpened.set(false));
        }

        /** Hands the channel's messages to {@code handler}, and records the session's start and end. */
        private void attach(SessionChannel channel, SessionHandler handler, String sessionType, String title,
                String note, Runnable ended) {
            SessionEvents codes = SessionEvents.of(Side.GUEST, sessionType);
            String peer = connection.remoteAddress();
            String what = hostName + ": " + title + ", role " + role;
            events.record(codes.started(), Severity.INFO, peer, user, what + note);
            channel.attach(new SessionHandler() {
                @Override
                public void received(java.nio.ByteBuffer message) {
                    handler.received(message);
                }

                @Override
                public void closed(String reason) {
                    ended.run();
                    if (codes.stopped() != null) {
                        events.record(codes.stopped(), Severity.INFO, peer, user, what + ": " + reason);
                    }
                    handler.closed(reason);
                }
            });
        }

        @Override
        public boolean isOpen() {
            return connection.isOpen();
        }

        @Override
        public CompletionStage<String> closed() {
            return closed.minimalCompletionStage();
        }

        @Override
        public void close(String reason) {
            if (connection.isOpen()) {
                hungUp = true;
                events.record(EventCodes.GUEST_DISCONNECT, Severity.INFO, connection.remoteAddress(), user,
                        hostName + ": " + reason);
            }
            connection.close(reason);
        }
    }

    private static Set<Privilege> parsePrivileges(String csv) {
        Set<Privilege> set = EnumSet.noneOf(Privilege.class);
        for (String p : csv.split(",")) {
            try {
                if (!p.isBlank()) {
                    set.add(Privilege.valueOf(p.trim().toUpperCase(Locale.ROOT)));
                }
            } catch (IllegalArgumentException e) {
                // a privilege this Guest does not know yet
            }
        }
        return set;
    }

    /** The key given in advance, not the pinned one, decides; it is pinned for the address afterwards. */
    private String pinGiven(Address address, String offered, String given) throws GuestException {
        if (!offered.equals(given)) {
            throw new GuestException(Reason.KEY_CHANGED, "the Host at " + address + " offered the key " + offered
                    + ", not the key " + given + " its invitation names. Someone may be intercepting the connection;"
                    + " no password was used.");
        }
        KnownHosts known = new KnownHosts(home.resolve("etc/known-hosts"));
        try {
            known.pin(address.toString(), offered);
            return "matches the key the invitation names, pinned in " + known.file();
        } catch (IOException e) {
            throw new GuestException(Reason.LOCAL_FAILURE, "cannot use " + known.file() + ": " + e.getMessage());
        }
    }

    private String pin(Address address, String fingerprint, boolean acceptChangedKey) throws GuestException {
        KnownHosts known = new KnownHosts(home.resolve("etc/known-hosts"));
        try {
            var pinned = known.pinned(address.toString());
            if (pinned.isEmpty()) {
                known.pin(address.toString(), fingerprint);
                return "new Host, pinned in " + known.file();
            }
            if (pinned.get().equals(fingerprint)) {
                return "matches the pinned key";
            }
            if (!acceptChangedKey) {
                throw new GuestException(Reason.KEY_CHANGED, "the identity key of " + address + " has CHANGED: pinned " + pinned.get()
                        + ", offered " + fingerprint + ". Someone may be intercepting the connection. If the Host "
                        + "was reinstalled, confirm the new fingerprint with its owner and run again with "
                        + "--accept-new-key.");
            }
            known.pin(address.toString(), fingerprint);
            return "NEW key accepted and pinned, replacing " + pinned.get();
        } catch (IOException e) {
            throw new GuestException(Reason.LOCAL_FAILURE, "cannot use " + known.file() + ": " + e.getMessage());
        }
    }

    /**
     * Logs on over a secured connection (whoever dialed it) and returns it as a {@link HostConnection};
     * the caller closes {@code c} when this throws.
     */
    static HostConnection logOn(Connection c, GuestListener listener, EventRecorder events, String guestId,
            char[] password, SecureRandom random, Map<String, SessionType> sessionTypes, String address,
            String fingerprint, String keyNote) throws GuestException, InterruptedException {
        try (GuestSrp srp = GuestSrp.start(address, srpIdentity(guestId), password, random, null)) {
            return logOn(c, listener, events, guestId, password, null, false, srp, sessionTypes, address, fingerprint,
                    keyNote);
        }
    }

    /**
     * @param code      the one-time code, or null
     * @param keyPinned whether the Host's key was checked against a pinned or given one: only then may the
     *                  password itself go to a Host that asks for it
     * @param srp       the SRP logon of {@code password}, perhaps with its work started ahead; the caller closes it
     */
    static HostConnection logOn(Connection c, GuestListener listener, EventRecorder events, String guestId,
            char[] password, String code, boolean keyPinned, GuestSrp srp, Map<String, SessionType> sessionTypes,
            String address, String fingerprint, String keyNote) throws GuestException, InterruptedException {
        String user = guestId == null ? localName() : guestId;
        ControlMessage ok;
        try {
            ok = logOn(c, listener, guestId, password, code, keyPinned, srp);
        } catch (PasswordRejected e) {
            events.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, c.remoteAddress(), user,
                    c.peerName() + ": " + e.getMessage());
            throw e;
        }
        String hostName = ok.text("host", c.peerName());
        String role = ok.text("role", "?");
        events.record(EventCodes.GUEST_USER_AUTHENTICATED, Severity.INFO, c.remoteAddress(), user,
                hostName + ": role " + role);
        Link link = new Link(sessionTypes, c, address, hostName, fingerprint, keyNote, role,
                parsePrivileges(ok.text("privileges", "")), ok.text("control", "").equals("on-consent"), listener.closed,
                events, user);
        listener.link = link;
        return link;
    }

    /** The Host answered the proof with auth.failed. */
    static final class PasswordRejected extends GuestException {
        private static final long serialVersionUID = 1L;

        PasswordRejected(Reason reason, String message) {
            super(reason, message);
        }
    }

    private static ControlMessage logOn(Connection c, ControlRecorder listener, String guestId, char[] password,
            String code, boolean keyPinned, GuestSrp srp) throws GuestException, InterruptedException {
        c.send(LogonMessages.start(guestId));
        ControlMessage answer = next(listener, "the Host's logon challenge");
        if (answer.type().equals("auth.refused")) {
            // "final": the Host takes no more logons from here for now, as on auth.failed.
            throw new GuestException(answer.text("final", null) != null ? Reason.LOCKED_OUT : Reason.LOGON_REFUSED,
                    "the Host refused the logon: " + answer.text("reason", "no reason given"));
        }
        char[] copy = password.clone();
        try {
            if (!answer.type().equals("auth.challenge")) {
                throw new GuestException(Reason.PROTOCOL_ERROR, "the Host answered the logon with " + answer.type());
            }
            Map<String, byte[]> asked = LogonMessages.values(answer);
            if (PasswordLogon.asksForCode(asked) && code == null) {
                throw new GuestException(Reason.LOGON_REFUSED, ConnectRequest.CODE_REQUIRED + ": pass --otp CODE");
            }
            String sentCode = PasswordLogon.asksForCode(asked) ? code : null;
            boolean proved = false;
            if (PasswordLogon.asksForPassword(asked)) {
                if (!keyPinned) {
                    throw new GuestException(Reason.LOGON_REFUSED, "the Host asks for the password itself, but its"
                            + " key was not checked against a pinned one: the password was not sent");
                }
                ControlMessage proof = LogonMessages.passwordProof(copy, sentCode);
                c.send(proof);
                LogonMessages.clear(proof);
            } else {
                proved = true;
                ControlMessage proof = LogonMessages.proof(srp.respond(c.hostKey().orElseThrow(),
                        LogonMessages.challenge(answer), c.binding()));
                c.send(sentCode == null ? proof : proof.with(PasswordLogon.OTP, sentCode));
            }
            ControlMessage result = next(listener, "the Host's logon answer");
            if (result.type().equals("auth.failed")) {
                String left = result.text("left", null);
                // "final": the Host ends the logon here (locked out, too many attempts, disabled, busy).
                throw new PasswordRejected(result.text("final", null) != null ? Reason.LOCKED_OUT : Reason.WRONG_PASSWORD,
                        "logon failed: " + result.text("reason", "wrong Guest ID or password")
                        + (left != null ? " (" + left + " attempt(s) left before the Host acts)" : ""));
            }
            if (!result.type().equals("auth.ok")) {
                throw new GuestException(Reason.PROTOCOL_ERROR, "the Host answered the logon with " + result.type());
            }
            if (proved) {
                srp.verifyServer(result.bytes("proof"));
            }
            return result;
        } catch (ProtocolException e) {
            throw new GuestException(Reason.PROTOCOL_ERROR, "the Host sent a malformed logon message: " + e.getMessage());
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            throw new GuestException(Reason.PROTOCOL_ERROR, "the Host could not prove it knows the password: " + e.getMessage());
        } finally {
            Arrays.fill(copy, '\0');
        }
    }

    static ControlMessage next(ControlRecorder listener, String what) throws GuestException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (System.nanoTime() < deadline) {
            ControlMessage m = listener.control.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (listener.closed.isDone()) {
                throw new GuestException(Reason.CLOSED, "the connection closed: " + listener.closed.join());
            }
        }
        throw new GuestException(Reason.NO_ANSWER, "timed out waiting for " + what);
    }

    static void awaitSecured(ControlRecorder listener) throws GuestException, InterruptedException {
        try {
            CompletableFuture.anyOf(listener.secured, listener.closed).get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new GuestException(Reason.UNREACHABLE, "the key exchange with the Host did not complete");
        }
        if (!listener.secured.isDone()) {
            throw new GuestException(Reason.UNREACHABLE, "the connection closed: " + listener.closed.join());
        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws GuestException, InterruptedException {
        try {
            return f.get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new GuestException(Reason.UNREACHABLE, String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new GuestException(Reason.UNREACHABLE, "timed out " + what);
        }
    }

    static String localName() {
        String user = System.getProperty("user.name", "guest");
        try {
            return user + "@" + InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return user;
        }
    }

    /** What a Guest-side session sees. */
    private record GuestContext(Channel channel, String hostName, String guestName, Set<Privilege> privileges,
            List<String> arguments) implements SessionContext {
        @Override
        public Side side() {
            return Side.GUEST;
        }
    }
}
