package org.tandemrc.host.internal;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.support.comm.DialableAddresses;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.host.HostInvitations;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Role;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.protocol.logon.LogonWork;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.logon.WrongPasswords;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpServer;

/**
 * Guest Access Security of the Host: who may connect, how Guests prove who they are, what their
 * role allows, what happens after wrong passwords. Configured by {@code
 * etc/org.tandemrc.host.security.cfg} (see {@link SecurityPolicy}), custom roles in {@code
 * etc/org.tandemrc.host.role-NAME.cfg}, passwords as verifiers in {@code etc/guest-passwords}. It
 * creates the {@link Connection} of every link a Guest opens.
 */
@Component(service = GuestAccess.class, configurationPid = "org.tandemrc.host.security")
@Designate(ocd = SecurityPolicy.Config.class)
public class GuestAccess {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.security");
    /** Wrong passwords from one address within this window count towards max.attempts. */
    private static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);
    /** What the logon limiter calls this Host: every account on it shares one budget. */
    static final String TARGET = "host";

    final SecureRandom random = new SecureRandom();
    final EventRecorder audit = new EventRecorder("org.tandemrc.host.audit");
    final Map<String, SessionType> sessionTypes = new ConcurrentHashMap<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<RoleConfiguration> roleConfigurations = new CopyOnWriteArrayList<>();
    /**
     * Each with its service properties. SCR lists them in the order they bound, so the ranking decides:
     * the desktop's prompt (ranked 100) asks even when the terminal's bound after it.
     */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<Map.Entry<Map<String, Object>, ConsentPrompt>> prompts = List.of();
    final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** The connections whose Guest logged on, in logon order, for {@link HostConnections}. */
    final Set<HostSide> loggedOn = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
    final AtomicBoolean disabled = new AtomicBoolean();
    /** Held while one wrong password reaches the limit and the Host acts on it, so that it acts once. */
    final Object passwordLimit = new Object();

    volatile SecurityPolicy policy = SecurityPolicy.defaults();
    volatile String policyProblem;
    HostIdentity identity;
    PasswordStore store;
    /** The invitations the person made for supporters. */
    Invitations invitations;
    /** Where the Host listens now (its endpoints' addresses), for the invitations it writes. */
    volatile java.util.function.Supplier<List<String>> listening = List::of;
    byte[] decoySecret;
    String hostName;
    ScheduledExecutorService scheduler;
    /** SRP challenges and proofs: off the network threads, bounded. */
    LogonWork work;
    /** The time the logon limits and lockouts run by; a test passes its own. */
    Clock clock = Clock.systemUTC();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<Authenticator> authenticators = List.of();
    /** Each with its service properties: {@value Authenticator#METHOD_PROPERTY} names the method it decides for. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    volatile List<Map.Entry<Map<String, Object>, AccessPolicy>> accessPolicies = List.of();
    /** The built-in methods and role mapping, and the Authenticator and AccessPolicy services. */
    final LogonMethods methods = new LogonMethods(this::withFallback, () -> accessPolicies);
    LogonEngine logon;
    /** Wrong passwords and lockouts per address, for max.attempts. */
    WrongPasswords wrongPasswords;
    private ServiceRegistration<Command> command;
    private ServiceRegistration<Command> stopGuard;
    private ServiceRegistration<Command> invitationCommand;
    private ServiceRegistration<HostInvitations> invitationRegistration;

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindSessionType(SessionType type) {
        sessionTypes.put(type.id(), type);
    }

    void unbindSessionType(SessionType type) {
        sessionTypes.remove(type.id(), type);
    }

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindSink(EventSink sink) {
        audit.add(sink);
    }

    void unbindSink(EventSink sink) {
        audit.remove(sink);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) throws IOException {
        String home = context.getProperty("tandem.home");
        start(Path.of(home == null ? "." : home), config);
        String passwordFile = context.getProperty("tandem.host.password.file");
        if (passwordFile != null) {
            String role = context.getProperty("tandem.host.password.role");
            role = role == null || role.isBlank() ? policy.sharedRole() : role.trim();
            setPassword(PasswordStore.SHARED, role, Path.of(passwordFile));
            LOG.log(System.Logger.Level.INFO, "shared password set from {0}, role {1}", passwordFile, role);
            if (!roles().containsKey(role)) {
                // Custom roles may still be on their way from ConfigAdmin: the logon looks the name up then.
                LOG.log(System.Logger.Level.WARNING, "the role ''{0}'' of the shared password is not (yet) defined;"
                        + " Guests using it are refused until it is (etc/org.tandemrc.host.role-NAME.cfg)", role);
            }
        }
        InvitationService invitationService = new InvitationService(this);
        invitationRegistration = context.registerService(HostInvitations.class, invitationService, null);
        Hashtable<String, Object> invitationProps = new Hashtable<>();
        invitationProps.put(Command.NAME_PROPERTY, "admin:invitation");
        invitationCommand = context.registerService(Command.class, new InvitationCommand(invitationService),
                invitationProps);
        AccessCommand accessCommand = new AccessCommand(this);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:access");
        command = context.registerService(Command.class, accessCommand, props);
        Hashtable<String, Object> guardProps = new Hashtable<>();
        guardProps.put(Command.NAME_PROPERTY, "guard:stop");
        stopGuard = context.registerService(Command.class, (args, in, out, err) -> {
            try {
                return accessCommand.maintenanceAllows(args, err) ? 0 : 1;
            } catch (IOException e) {
                err.println("tandem: " + e.getMessage());
                return 1;
            }
        }, guardProps);
    }

    /** Loads the identity and password store under {@code root} and starts the timers and logon threads. */
    void start(Path root, Map<String, Object> config) throws IOException {
        identity = HostIdentity.loadOrCreate(root.resolve("data/host-identity"), random);
        decoySecret = SrpServer.decoySecret(root.resolve("data/decoy-secret"));
        store = new PasswordStore(root.resolve("etc/guest-passwords"));
        invitations = new Invitations(root.resolve("data/invitations"), audit, random, clock);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tandem-host-timers"));
        scheduler.scheduleWithFixedDelay(this::sweepInvitations, 1, 60, java.util.concurrent.TimeUnit.SECONDS);
        startLogon();
        modified(config);
    }

    /**
     * The logon engine over the password store: the built-in methods (the shared password, Guest IDs)
     * and the role each password entry names as their access policy; services of the same names replace them.
     */
    void startLogon() {
        work = new LogonWork(2, 64, "tandem-host-auth");
        wrongPasswords = new WrongPasswords(clock);
        logon = new LogonEngine("the Host", methods, policy.limits(), clock, work, scheduler, audit,
                EventCodes.HOST_PASSWORD_LIMIT, "logon limit: ");
        methods.builtIn(new SrpAuthenticator(SecurityPolicy.SHARED_PASSWORD,
                id -> account(PasswordStore.SHARED), decoySecret, random));
        // Reserved entries (the shared and the maintenance password) are no Guest IDs.
        methods.builtIn(new SrpAuthenticator(SecurityPolicy.GUEST_ID, id -> id.equals(PasswordStore.SHARED)
                || id.equals(PasswordStore.MAINTENANCE) ? Optional.empty() : account(id), decoySecret, random));
        methods.builtIn(SecurityPolicy.SHARED_PASSWORD, entryRoles);
        methods.builtIn(SecurityPolicy.GUEST_ID, entryRoles);
        // Whatever the Host's method, an invitation is checked by its own verifier and gives its own role.
        methods.builtIn(new SrpAuthenticator(INVITATION, name -> invitations.account(name), decoySecret, random));
        methods.builtIn(INVITATION, entryRoles);
    }

    /** The built-in method of logons with an invitation ({@code invitation:ID}). */
    static final String INVITATION = "invitation";

    private void sweepInvitations() {
        try {
            invitations.sweep();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot sweep the invitations in {0}: {1}", invitations.file(),
                    e.getMessage());
        }
    }

    /**
     * The Host's addresses as a supporter dials them (a wildcard listener by this computer's addresses).
     *
     * @throws IllegalArgumentException when it listens nowhere a supporter could reach
     */
    List<String> dialable() {
        List<String> addresses = DialableAddresses.of(listening.get());
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("this Host listens nowhere a supporter could reach it;"
                    + " enable a listening profile first");
        }
        return addresses;
    }

    /** The Authenticator services, the configured method's followed by the Host's fallback when it is unreachable. */
    private List<Authenticator> withFallback() {
        String configured = policy.method();
        return authenticators.stream().map(a -> a.method().equals(configured) ? new FallbackLogon(a, this) : a).toList();
    }

    /** The Host's own roles: an identity's first group names its role (a password entry's role). */
    final AccessPolicy entryRoles = identity -> identity.groups().stream().findFirst().map(name -> roles().get(name));

    private Optional<SrpAuthenticator.Account> account(String id) throws IOException {
        return store.find(id).map(e -> new SrpAuthenticator.Account(e.verifier(),
                e.role() == null ? Set.of() : Set.of(e.role())));
    }

    @Modified
    void modified(Map<String, Object> config) {
        try {
            SecurityPolicy p = SecurityPolicy.from(config);
            if (logon != null) {
                logon.limits(p.limits());
            }
            policy = p;
            policyProblem = null;
            // A third party's method without its own AccessPolicy maps its identities' groups to the Host's roles.
            methods.builtIn(p.method(), entryRoles);
        } catch (IllegalArgumentException e) {
            policyProblem = e.getMessage() + " (the previous settings stay)";
            LOG.log(System.Logger.Level.ERROR, policyProblem);
        }
        Object name = config.get("name");
        hostName = name != null && !String.valueOf(name).isBlank() ? String.valueOf(name).trim() : localHostName();
        audit.node(hostName);
    }

    @Deactivate
    void deactivate() {
        if (command != null) {
            command.unregister();
        }
        if (stopGuard != null) {
            stopGuard.unregister();
        }
        if (invitationCommand != null) {
            invitationCommand.unregister();
        }
        if (invitationRegistration != null) {
            invitationRegistration.unregister();
        }
        for (Connection c : connections) {
            c.close("the Host is stopping");
        }
        scheduler.shutdownNow();
        work.close();
    }

    /** The handler of a link a Guest opened. */
    LinkHandler accept(Link link) {
        String remote = link.remoteAddress();
        if (!policy.allows(remote)) {
            audit.record(EventCodes.TANDEM_ADDRESS_REFUSED, Severity.SECURITY, remote, "", "address not in the allow list");
            return refusing("address not allowed");
        }
        Optional<LogonLimiter.Slot> slot = logon.admit(remote);
        if (slot.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "refused a connection from {0}: too many wait to log on", remote);
            return refusing("too many connections from your address are waiting to log on");
        }
        HostSide side = new HostSide(this, remote, slot.get());
        Connection c = Connection.host(identity, hostName, String.join(",", sessionTypes.keySet()), side, scheduler,
                random);
        connections.add(c);
        return c;
    }

    /**
     * The Host's end of a help request it dials out with: the same secured connection, logon and
     * sessions as for a Guest that connects, but the Host sends its request first and the logon
     * clock starts when a supporter takes it. The allow list does not apply: the Host chose the peer.
     */
    Connection call(String remote, HostSide.HelpCall help) {
        HostSide side = new HostSide(this, remote, null, help);
        Connection c = Connection.host(identity, hostName, String.join(",", sessionTypes.keySet()), side, scheduler,
                random);
        connections.add(c);
        return c;
    }

    /** Why this source may not log on now, or empty. */
    Optional<String> refusal(String remote) {
        if (disabled.get()) {
            return Optional.of("this Host is disabled after too many wrong passwords; its administrator must enable it");
        }
        Duration left = wrongPasswords.lockedOut(SecurityPolicy.host(remote));
        if (!left.isZero()) {
            return Optional.of("too many wrong passwords from your address; try again in "
                    + Math.max(1, left.toMinutes()) + " minute(s)");
        }
        return Optional.empty();
    }

    /**
     * Records a wrong password from an address and returns how many it sent within the window; the
     * limiter, not this count, bounds the rate of guessing.
     */
    int failed(String remote) {
        return wrongPasswords.failed(SecurityPolicy.host(remote), FAILURE_WINDOW);
    }

    /** A successful logon clears the address's count. */
    void succeeded(String remote) {
        wrongPasswords.forget(SecurityPolicy.host(remote));
    }

    void lockOut(String remote) {
        wrongPasswords.lockOut(SecurityPolicy.host(remote), Duration.ofMinutes(policy.lockoutMinutes()));
    }

    /** The roles in force: built-in ones, replaced or extended by configured ones. */
    Map<String, Role> roles() {
        Map<String, Role> roles = new LinkedHashMap<>(Roles.builtIn());
        for (RoleConfiguration rc : roleConfigurations) {
            if (rc.role() != null) {
                roles.put(rc.role().name(), rc.role());
            }
        }
        return roles;
    }

    List<String> roleProblems() {
        return roleConfigurations.stream().map(RoleConfiguration::problem).filter(p -> p != null).toList();
    }

    /** The prompt of the highest service ranking; of equal ones, the one bound last. */
    Optional<ConsentPrompt> prompt() {
        ConsentPrompt best = null;
        int bestRanking = Integer.MIN_VALUE;
        for (Map.Entry<Map<String, Object>, ConsentPrompt> e : prompts) {
            int ranking = e.getKey().get("service.ranking") instanceof Integer r ? r : 0;
            if (ranking >= bestRanking) {
                best = e.getValue();
                bestRanking = ranking;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The role of Guests that log on with the shared password, when the method is that and one is set. */
    Optional<String> sharedPasswordRole() {
        if (!SecurityPolicy.SHARED_PASSWORD.equals(policy.method())) {
            return Optional.empty();
        }
        try {
            return store.find(PasswordStore.SHARED).map(PasswordStore.Entry::role);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void setPassword(String id, String role, Path passwordFile) throws IOException {
        char[] password = PasswordStore.readPasswordFile(passwordFile);
        try {
            PasswordVerifier v = PasswordVerifier.create(id, password, random);
            store.put(new PasswordStore.Entry(id, role, v));
        } finally {
            Arrays.fill(password, '\0');
        }
        audit.record(EventCodes.HOST_PASSWORD_CHANGED, Severity.SECURITY, "", PasswordStore.SHARED.equals(id) ? "" : id,
                PasswordStore.SHARED.equals(id) ? "shared password changed" : "password of Guest ID " + id + " changed");
    }

    private static LinkHandler refusing(String why) {
        return new LinkHandler() {
            @Override
            public void opened(Link l) {
                l.close(why);
            }

            @Override
            public void received(Link l, java.nio.ByteBuffer message) {
                // nothing is read from a refused peer
            }

            @Override
            public void closed(Link l, String reason) {
                // logged when refused
            }
        };
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "tandem-host";
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** For the admin command: prints the access settings. */
    void describe(PrintStream out) throws IOException {
        SecurityPolicy p = policy;
        out.println("host:            " + hostName);
        out.println("fingerprint:     " + identity.fingerprint());
        out.println("method:          " + p.method());
        p.fallback().ifPresent(f -> out.println("fallback:        " + f + " while the method's server cannot be reached"));
        out.println("shared role:     " + p.sharedRole());
        out.println("wrong passwords: " + (p.maxAttempts() == 0 ? "no limit" : p.maxAttempts() + ", then "
                + p.action().name().toLowerCase(java.util.Locale.ROOT)));
        out.println("logon limits:    " + p.limits().describe());
        out.println("timeouts:        logon " + p.authSeconds() + " s, confirm " + p.confirmSeconds() + " s");
        out.println("allow:           " + (p.allow().isEmpty() ? "any address"
                : String.join(", ", p.allow().stream().map(SecurityPolicy.Network::text).toList())));
        out.println("state:           " + (disabled.get() ? "DISABLED (tandem admin access enable)" : "enabled"));
        for (Role r : roles().values()) {
            out.println("role:            " + r.name() + (r.confirmAccess() ? " (confirm access)" : "")
                    + (r.confirmControl() ? " (confirm control)" : "") + ": "
                    + r.privileges().toString().toLowerCase(java.util.Locale.ROOT));
        }
        for (PasswordStore.Entry e : store.read().values()) {
            if (PasswordStore.MAINTENANCE.equals(e.id())) {
                out.println("maintenance:     a maintenance password protects changes and stopping");
                continue;
            }
            out.println("password:        " + (PasswordStore.SHARED.equals(e.id()) ? "shared" : "Guest ID " + e.id())
                    + ", role " + e.role());
        }
        if (policyProblem != null) {
            out.println("problem:         " + policyProblem);
        }
        roleProblems().forEach(pr -> out.println("problem:         " + pr));
    }
}
