package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.support.event.SessionEvents;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Identity;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.security.Role;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.SessionChannel;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.support.invitation.Invitation;

/**
 * The Host's side of one Guest connection: the logon (SRP over the encrypted channel), the
 * wrong-password policy, and the sessions the Guest opens, each checked against its role here on
 * the Host and, where the role asks for it, confirmed by the person at the Host.
 */
final class HostSide implements Connection.Listener {

    private final GuestAccess access;
    private final String remote;
    /** The help request this Host dialed out with, or null for a connection a Guest opened. */
    private final HelpCall help;
    /** This connection's place among those waiting to log on from its address; null for a help call. */
    private final LogonLimiter.Slot slot;

    /** The logon engine's side of this connection: one attempt at a time, answers when due. */
    private final LogonEngine.Logon logon;
    /** Set once secured, before any control message. */
    private volatile Connection connection;
    /** A proof was sent: a refusal from now on answers it ({@code auth.failed}), not the start. */
    private volatile boolean proving;

    /** State, touched on the link's thread and by timers; guarded by this. */
    private String attemptId;
    /** What the last challenge asked for: the proof is read accordingly. */
    private boolean askedPassword;
    private boolean askedCode;
    /** The proof being checked, until it is answered. */
    private Map<String, byte[]> proofValues;
    private String user;
    private Role role;
    private boolean confirmed;
    private boolean helpTaken;
    private boolean secured;
    private ScheduledFuture<?> logonTimer;
    private ScheduledFuture<?> idleTimer;
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
    private final String id = Long.toString(IDS.incrementAndGet());
    /** When the Guest logged on; guarded by this. */
    private Instant since;
    /** The type ids of the sessions open now, one entry per session: what the Guest is doing. */
    private final List<String> openSessions = new CopyOnWriteArrayList<>();
    /** The sessions open now that use keyboard and mouse, for taking control back. */
    private final Set<SessionChannel> controlling = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * The person at the Host took control back: for a role whose control needs no consent, no session
     * that controls input opens again; guarded by this.
     */
    private boolean controlTakenBack;
    /** The person gave keyboard and mouse (roles with confirm control); guarded by this. */
    private boolean controlGranted;
    /** When the Guest last did something: a control message or a session message. */
    private volatile long lastActivity = System.currentTimeMillis();

    HostSide(GuestAccess access, String remote, LogonLimiter.Slot slot) {
        this(access, remote, slot, null);
    }

    HostSide(GuestAccess access, String remote, LogonLimiter.Slot slot, HelpCall help) {
        this.access = access;
        this.remote = remote;
        this.slot = slot;
        this.help = help;
        this.logon = access.logon.logon(remote, new Peer());
    }

    /** The side of a help request: what it tells the Host user, and the request it sends once secured. */
    interface HelpCall {
        ControlMessage request();

        /** The help desk holds the request until a supporter takes it. */
        void pending(String service);

        void refused(String reason);

        /** A supporter took it and logs on next. */
        void taken(String by);

        void closed(String reason);
    }

    @Override
    public void secured(Connection c) {
        connection = c;
        synchronized (this) {
            secured = true;
        }
        Optional<String> refusal = access.refusal(remote);
        if (refusal.isPresent()) {
            c.send(ControlMessage.of("auth.refused").with("reason", refusal.get()).with("final", "1"));
            c.close(refusal.get());
            return;
        }
        if (help != null) {
            c.send(help.request()); // the logon clock starts when a supporter takes it
            return;
        }
        startLogonClock(c);
    }

    private void startLogonClock(Connection c) {
        int seconds = access.policy.authSeconds();
        synchronized (this) {
            logonTimer = access.scheduler.schedule(() -> {
                synchronized (this) {
                    if (user != null) {
                        return;
                    }
                }
                access.audit.record(EventCodes.HOST_TIMEOUT, Severity.SECURITY, remote, "", "AU");
                c.close("you did not log on within " + seconds + " s");
            }, seconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void control(Connection c, ControlMessage m) throws ProtocolException {
        lastActivity = System.currentTimeMillis();
        if (help != null && m.type().startsWith("help.")) {
            helpAnswer(c, m);
            return;
        }
        synchronized (this) {
            if (help != null && !helpTaken) {
                throw new ProtocolException(m.type() + " before a supporter took the help request");
            }
        }
        switch (m.type()) {
            case "auth.start" -> start(c, m);
            case "auth.proof" -> proof(c, m);
            default -> throw new ProtocolException("unexpected control message " + m.type());
        }
    }

    private void helpAnswer(Connection c, ControlMessage m) throws ProtocolException {
        synchronized (this) {
            if (helpTaken) {
                throw new ProtocolException(m.type() + " after the help request was taken");
            }
            helpTaken = m.type().equals("help.taken");
        }
        switch (m.type()) {
            case "help.pending" -> help.pending(m.text("service", ""));
            case "help.refused" -> {
                String why = m.text("reason", "no reason given");
                help.refused(why);
                c.close("the help desk refused the request: " + why);
            }
            case "help.taken" -> {
                help.taken(m.text("by", "a supporter"));
                startLogonClock(c);
            }
            default -> throw new ProtocolException("unexpected control message " + m.type());
        }
    }

    private void start(Connection c, ControlMessage m) throws ProtocolException {
        SecurityPolicy policy = access.policy;
        synchronized (this) {
            if (user != null) {
                throw new ProtocolException("logon already done");
            }
        }
        // The wire names whether the Guest gives a name; the Host's method decides how it is checked.
        String method = m.text("method");
        if (method.equals(SecurityPolicy.GUEST_ID) && m.text("id", "").startsWith(Invitation.LOGON_PREFIX)) {
            startInvitation(c, m.text("id"));
            return;
        }
        boolean shared = policy.method().equals(SecurityPolicy.SHARED_PASSWORD);
        if (shared ? !method.equals(SecurityPolicy.SHARED_PASSWORD)
                : !method.equals(SecurityPolicy.GUEST_ID) && !method.equals(policy.method())) {
            c.send(ControlMessage.of("auth.refused").with("reason",
                    "this Host accepts " + (shared ? "the shared password (no Guest ID)"
                            : "individual Guest IDs (use --guest-id)")));
            return;
        }
        String id = PasswordStore.SHARED;
        if (!shared) {
            id = m.text("id");
            if (id.isEmpty() || id.length() > 64 || id.chars().anyMatch(ch -> ch < 0x20)) {
                throw new ProtocolException("a Guest ID must be 1 to 64 printable characters");
            }
        }
        proving = false;
        try {
            logon.start(policy.method(), id, GuestAccess.TARGET, shared ? "" : id);
        } catch (IllegalStateException e) {
            throw new ProtocolException(e.getMessage());
        }
        synchronized (this) {
            attemptId = id;
        }
    }

    /** A logon with an invitation, whatever the Host's method: refused at once when it cannot be used. */
    private void startInvitation(Connection c, String name) throws ProtocolException {
        String id = name.substring(Invitation.LOGON_PREFIX.length());
        if (name.length() > 128 || name.chars().anyMatch(ch -> ch < 0x20)) {
            throw new ProtocolException("an invitation's name must be at most 128 printable characters");
        }
        Optional<String> refused;
        try {
            refused = access.invitations.refusal(id);
        } catch (IOException e) {
            c.close("the Host cannot read its invitations: " + e.getMessage());
            return;
        }
        if (refused.isPresent()) {
            access.invitations.refused(id, remote, refused.get());
            c.send(ControlMessage.of("auth.refused").with("reason", refused.get()));
            return;
        }
        proving = false;
        try {
            logon.start(GuestAccess.INVITATION, name, GuestAccess.TARGET, name);
        } catch (IllegalStateException e) {
            throw new ProtocolException(e.getMessage());
        }
        synchronized (this) {
            attemptId = name;
        }
    }

    private void refuseLogon(Connection c, String reason) {
        c.send(ControlMessage.of("auth.refused").with("reason", reason));
        c.close(reason);
    }

    private void proof(Connection c, ControlMessage m) throws ProtocolException {
        Map<String, byte[]> values;
        try {
            synchronized (this) {
                values = LogonMessages.proofValues(m, askedPassword, askedCode);
                proofValues = values;
            }
        } finally {
            LogonMessages.clear(m);
        }
        proving = true;
        try {
            logon.prove(values, c.binding());
        } catch (IllegalStateException e) {
            forgetProof();
            throw new ProtocolException(e.getMessage());
        }
    }

    /** The access method checks the proof off this thread: its password is overwritten once answered. */
    private void forgetProof() {
        Map<String, byte[]> values;
        synchronized (this) {
            values = proofValues;
            proofValues = null;
        }
        if (values != null) {
            values.values().forEach(b -> Arrays.fill(b, (byte) 0));
        }
    }

    /** What the logon engine tells this connection, in the Host's control messages. */
    private final class Peer implements LogonEngine.Peer {

        @Override
        public Optional<String> lockout() {
            return access.refusal(remote);
        }

        @Override
        public void challenge(Map<String, byte[]> values) {
            Connection c = connection;
            ControlMessage challenge;
            try {
                challenge = LogonMessages.challenge(values);
            } catch (IllegalArgumentException e) {
                refuseLogon(c, "the Host's access method cannot be used by this Guest: " + e.getMessage());
                return;
            }
            synchronized (HostSide.this) {
                askedPassword = PasswordLogon.asksForPassword(values);
                askedCode = PasswordLogon.asksForCode(values);
            }
            c.send(challenge);
        }

        @Override
        public Runnable granted(AuthResult result, Optional<Role> r) {
            forgetProof();
            access.succeeded(remote);
            Identity identity = result.identity().orElseThrow();
            Connection c = connection;
            boolean password;
            synchronized (HostSide.this) {
                password = askedPassword;
            }
            try {
                // A password logon has no server proof: the Guest checked this Host's key before it sent one.
                byte[] serverProof = password ? null : SrpAuthenticator.answer(result, SrpAuthenticator.SERVER_PROOF);
                return () -> loggedOn(c, identity, r, serverProof);
            } catch (IllegalArgumentException e) {
                return () -> finalFailure(c, "the Host's access method cannot be used by this Guest: " + e.getMessage());
            }
        }

        @Override
        public Runnable denied(AuthResult result) {
            forgetProof();
            String id;
            synchronized (HostSide.this) {
                id = attemptId;
            }
            return wrongPassword(connection, id);
        }

        @Override
        public void refused(LogonEngine.Refusal kind, String reason) {
            forgetProof();
            Connection c = connection;
            if (kind == LogonEngine.Refusal.UNKNOWN_METHOD) {
                System.getLogger("org.tandemrc.host.security").log(System.Logger.Level.ERROR,
                        "etc/org.tandemrc.host.security.cfg: " + reason);
            }
            if (kind == LogonEngine.Refusal.UNAVAILABLE) {
                // The reason names the store or the Security Server and its address: the Host's log, not a
                // Guest that has not logged on, learns it.
                System.getLogger("org.tandemrc.host.security").log(System.Logger.Level.WARNING,
                        "a logon from " + remote + " could not be checked: " + reason);
                if (proving) {
                    finalFailure(c, UNAVAILABLE);
                } else {
                    c.close(UNAVAILABLE);
                }
            } else if (proving) {
                finalFailure(c, reason);
            } else {
                refuseLogon(c, reason);
            }
        }
    }

    /** What a Guest is told when the access method's store or server cannot be used. */
    static final String UNAVAILABLE = "the Host cannot check logons at the moment; try again later";

    private static void finalFailure(Connection c, String reason) {
        c.send(ControlMessage.of("auth.failed").with("reason", reason).with("final", "1"));
        c.close(reason);
    }

    private void loggedOn(Connection c, Identity identity, Optional<Role> granted, byte[] serverProof) {
        boolean invited = identity.method().equals(GuestAccess.INVITATION);
        // The person is asked about the supporter's own name; the events keep the invitation's.
        String guest = PasswordStore.SHARED.equals(identity.name()) ? c.peerName()
                : invited ? c.peerName() + " (" + identity.name() + ")" : identity.name();
        if (granted.isEmpty()) {
            Optional<String> roleName = identity.groups().stream().findFirst();
            if (roleName.isPresent() && !access.roles().containsKey(roleName.get())) {
                finalFailure(c, "your role '" + roleName.get() + "' is not defined on this Host; ask its administrator");
            } else {
                finalFailure(c, "the access policy of this Host gives " + guest + " no role here");
            }
            return;
        }
        Role r = granted.get();
        int idleMinutes = access.policy.inactivityMinutes();
        synchronized (this) {
            user = guest;
            role = r;
            since = Instant.now();
            if (logonTimer != null) {
                logonTimer.cancel(false);
            }
            if (idleMinutes > 0) {
                long limit = idleMinutes * 60_000L;
                idleTimer = access.scheduler.scheduleWithFixedDelay(() -> {
                    if (System.currentTimeMillis() - lastActivity > limit) {
                        access.audit.record(EventCodes.HOST_TIMEOUT, Severity.SECURITY, remote, guest, "AC");
                        c.close("disconnected after " + idleMinutes + " minute(s) without activity");
                    }
                }, Math.min(limit, 30_000), Math.min(limit, 30_000), TimeUnit.MILLISECONDS);
            }
        }
        if (slot != null) {
            slot.close();
        }
        // A Guest that must be given control learns it has none yet: its viewer then asks for input at the
        // first keystroke, not when the picture starts (which would hold the picture until the person answers).
        String privileges = r.privileges().stream().filter(p -> !(r.confirmControl() && p == Privilege.CONTROL_INPUT))
                .map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
        ControlMessage ok = (serverProof == null ? ControlMessage.of("auth.ok")
                : ControlMessage.of("auth.ok").with("proof", serverProof)).with("role", r.name())
                .with("privileges", privileges).with("host", access.hostName);
        if (r.confirmControl() && r.privileges().contains(Privilege.CONTROL_INPUT)) {
            ok = ok.with("control", "on-consent"); // so its front end offers control rather than saying view only
        }
        c.send(ok);
        if (invited) {
            access.invitations.used(identity.name().substring(Invitation.LOGON_PREFIX.length()), remote, r.name());
        }
        access.loggedOn.add(this); // listed before HSES+ goes out, so whoever the event tells finds it
        access.audit.record(EventCodes.HOST_SESSION_STARTED, Severity.INFO, remote, guest, "logged on with role " + r.name());
    }

    /** Counts a wrong password and acts on the Host's policy now; the answer returned goes out when due. */
    private Runnable wrongPassword(Connection c, String id) {
        SecurityPolicy policy = access.policy;
        int n = access.failed(remote);
        String who = PasswordStore.SHARED.equals(id) ? c.peerName() : id;
        access.audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, who, "wrong password (" + n + ")");
        if (id != null && id.startsWith(Invitation.LOGON_PREFIX)) {
            try {
                access.invitations.failed(id.substring(Invitation.LOGON_PREFIX.length()), remote);
            } catch (IOException e) {
                System.getLogger("org.tandemrc.host.security").log(System.Logger.Level.ERROR,
                        "cannot count a wrong password of " + id + ": " + e.getMessage());
            }
        }
        if (policy.maxAttempts() > 0 && n >= policy.maxAttempts()) {
            String reason;
            // Proofs on other connections from this address may have passed the lockout check before this
            // one was counted: the first to reach the limit acts on it and is audited, the others are
            // refused as the lockout or the disabled Host refuses them. A disconnect acts every time.
            synchronized (access.passwordLimit) {
                Optional<String> already = access.refusal(remote);
                if (already.isPresent()) {
                    reason = already.get();
                } else {
                    access.audit.record(EventCodes.HOST_PASSWORD_LIMIT, Severity.SECURITY, remote, who,
                            n + " wrong passwords; " + policy.action().name().toLowerCase(Locale.ROOT));
                    reason = switch (policy.action()) {
                        case DISCONNECT -> "too many wrong passwords; disconnected";
                        case DISABLE -> {
                            access.disabled.set(true);
                            yield "too many wrong passwords; this Host is now disabled";
                        }
                        case LOCKOUT -> {
                            access.lockOut(remote);
                            yield "too many wrong passwords; your address is locked out for "
                                    + policy.lockoutMinutes() + " minute(s)";
                        }
                    };
                }
            }
            return () -> finalFailure(c, reason);
        }
        int left = policy.maxAttempts() == 0 ? -1 : policy.maxAttempts() - n;
        return () -> {
            ControlMessage failed = ControlMessage.of("auth.failed").with("reason", "wrong Guest ID or password");
            if (left >= 0) {
                failed.with("left", left);
            }
            c.send(failed);
        };
    }

    @Override
    public void openRequested(Connection c, Connection.OpenRequest request) {
        String guest;
        Role r;
        synchronized (this) {
            guest = user;
            r = role;
        }
        if (guest == null) {
            request.deny("log on first");
            return;
        }
        SessionType type = access.sessionTypes.get(request.sessionType());
        if (type == null) {
            request.deny("this Host offers no '" + request.sessionType() + "' session");
            return;
        }
        Set<Privilege> needed = type.requiredPrivileges();
        if (!r.allows(needed)) {
            access.audit.record(EventCodes.TANDEM_PRIVILEGE_REFUSED, Severity.SECURITY, remote, guest, "role " + r.name() + " may not use "
                    + type.title());
            request.deny("your role '" + r.name() + "' does not allow " + type.title());
            return;
        }
        boolean ask;
        synchronized (this) {
            if (controlTakenBack && needed.contains(Privilege.CONTROL_INPUT) && !r.confirmControl()) {
                request.deny(TOOK_BACK_CONTROL);
                return;
            }
            ask = type.needsConsent() && r.confirmAccess() && !confirmed;
        }
        if (!ask) {
            startOrAskControl(c, request, type, guest, r);
            return;
        }
        ask(ConsentKind.ACCESS, "wants to start a " + type.title() + " session", guest, r, request,
                "your role needs the person at the Host to confirm access, and this Host cannot ask", (d, seconds) -> {
                    switch (d) {
                        case GRANTED -> {
                            synchronized (this) {
                                confirmed = true;
                            }
                            access.audit.record(EventCodes.CONFIRM_ACCESS_GRANTED, Severity.INFO, remote, guest, "access confirmed");
                            startOrAskControl(c, request, type, guest, r);
                        }
                        case DENIED -> {
                            access.audit.record(EventCodes.CONFIRM_ACCESS_DENIED, Severity.SECURITY, remote, guest, "access denied");
                            request.deny("the person at the Host refused access");
                        }
                        case TIMED_OUT -> {
                            access.audit.record(EventCodes.HOST_TIMEOUT, Severity.SECURITY, remote, guest, "CA");
                            request.deny("nobody at the Host confirmed access within " + seconds + " s");
                        }
                    }
                });
    }

    /**
     * Starts the session; one that uses keyboard and mouse under a role with confirm control waits for the
     * person at the Host to give control (once per connection, again after they took it back).
     */
    private void startOrAskControl(Connection c, Connection.OpenRequest request, SessionType type, String guest,
            Role r) {
        boolean ask;
        synchronized (this) {
            ask = r.confirmControl() && type.requiredPrivileges().contains(Privilege.CONTROL_INPUT) && !controlGranted;
        }
        if (!ask) {
            start(c, request, type, guest, r);
            return;
        }
        ask(ConsentKind.TAKE_CONTROL, "wants to use your keyboard and mouse", guest, r, request,
                "your role needs the person at the Host to give you control, and this Host cannot ask", (d, seconds) -> {
                    if (d == ConsentDecision.GRANTED) {
                        synchronized (this) {
                            controlGranted = true;
                        }
                        access.audit.record(EventCodes.TANDEM_CONTROL_GRANTED, Severity.INFO, remote, guest,
                                "control of keyboard and mouse given");
                        start(c, request, type, guest, r);
                        return;
                    }
                    boolean late = d == ConsentDecision.TIMED_OUT;
                    access.audit.record(EventCodes.TANDEM_CONTROL_DENIED, Severity.SECURITY, remote, guest,
                            late ? "nobody answered within " + seconds + " s" : "refused");
                    request.deny(late ? "nobody at the Host gave you control within " + seconds + " s"
                            : "the person at the Host did not give you control of keyboard and mouse");
                });
    }

    /**
     * Asks the person at the Host through the best prompt, never waiting for them: {@code answered} gets the
     * decision (a failed prompt counts as refused) and the seconds they had. Without any prompt the request
     * is refused with {@code cannotAsk}.
     */
    private void ask(ConsentKind kind, String detail, String guest, Role r, Connection.OpenRequest request,
            String cannotAsk, java.util.function.ObjIntConsumer<ConsentDecision> answered) {
        Optional<ConsentPrompt> prompt = access.prompt();
        if (prompt.isEmpty()) {
            request.deny(cannotAsk);
            return;
        }
        int seconds = access.policy.confirmSeconds();
        prompt.get().ask(new ConsentRequest(kind, guest, detail, Duration.ofSeconds(seconds), remote, r))
                .whenComplete((decision, failure) -> answered.accept(decision == null ? ConsentDecision.DENIED : decision,
                        seconds));
    }

    private void start(Connection c, Connection.OpenRequest request, SessionType type, String guest, Role r) {
        if (!c.isOpen()) {
            return;
        }
        run(request.accept(), type, guest, r, "");
    }

    /** Runs the session of {@code type} on an open channel, audited from start to end. */
    private void run(SessionChannel channel, SessionType type, String guest, Role r, String note) {
        SessionEvents codes = SessionEvents.of(Side.HOST, type.id());
        String what = type.title() + ", role " + r.name();
        access.audit.record(codes.started(), Severity.INFO, remote, guest, what + note);
        openSessions.add(type.id());
        boolean controls = type.requiredPrivileges().contains(Privilege.CONTROL_INPUT);
        if (controls) {
            controlling.add(channel);
        }
        SessionHandler handler;
        try {
            handler = type.open(new Context(channel, guest, access.hostName, r.privileges(), remote, r.name()));
        } catch (RuntimeException e) {
            channel.close(type.title() + " failed to start on the Host: " + e.getMessage());
            return;
        }
        channel.attach(new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                lastActivity = System.currentTimeMillis();
                handler.received(message);
            }

            @Override
            public void closed(String reason) {
                openSessions.remove(type.id());
                controlling.remove(channel);
                if (codes.stopped() != null) {
                    access.audit.record(codes.stopped(), Severity.INFO, remote, guest, what + ": " + reason);
                }
                handler.closed(reason);
            }
        });
    }

    @Override
    public void closed(Connection c, String reason) {
        logon.end();
        access.connections.remove(c);
        access.loggedOn.remove(this);
        if (slot != null) {
            slot.close();
        }
        String guest;
        boolean handshook;
        synchronized (this) {
            guest = user;
            handshook = secured;
            if (logonTimer != null) {
                logonTimer.cancel(false);
            }
            if (idleTimer != null) {
                idleTimer.cancel(false);
            }
        }
        if (!handshook || reason.startsWith(Connection.PROTOCOL_ERROR)) {
            // A failed key exchange, a forged or replayed record, a malformed message: this side closed
            // because of what the peer sent (or did not send in time).
            access.audit.record(EventCodes.TANDEM_PROTOCOL_ERROR, Severity.SECURITY, remote,
                    guest != null ? guest : c.peerName(), reason);
        }
        if (guest != null) {
            access.audit.record(EventCodes.HOST_SESSION_STOPPED, Severity.INFO, remote, guest, reason);
        }
        if (help != null) {
            help.closed(reason);
        }
    }

    /** This Guest as the person at the Host sees it; empty until it logged on. */
    Optional<ConnectedGuest> describe() {
        synchronized (this) {
            if (user == null) {
                return Optional.empty();
            }
            return Optional.of(new ConnectedGuest(id(), user, remote, role, since, List.copyOf(openSessions)));
        }
    }

    /** Names this connection among the Host's. */
    String id() {
        return id;
    }

    /** Ends the connection because the person at the Host chose to; the Guest reads {@code reason}. */
    void disconnectByPerson(String reason) {
        String guest;
        synchronized (this) {
            guest = user;
        }
        Connection c = connection;
        if (c == null) {
            return;
        }
        access.audit.record(EventCodes.TANDEM_HOST_DISCONNECT, Severity.INFO, remote, guest == null ? "" : guest, reason);
        c.close(reason);
    }

    /**
     * Opens a chat with this Guest because the person at the Host chose to: the Guest takes it only when its
     * program shows chats the Host opens; the chat then runs as one the Guest opened.
     */
    java.util.concurrent.CompletionStage<Void> openChat() {
        String guest;
        Role r;
        synchronized (this) {
            guest = user;
            r = role;
        }
        Connection c = connection;
        SessionType type = access.sessionTypes.get(CHAT);
        if (guest == null || c == null || !c.isOpen()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("the Guest is not connected"));
        }
        if (type == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("this Host offers no chat"));
        }
        if (!r.allows(type.requiredPrivileges())) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("the role " + r.name() + " of " + guest + " does not allow chat"));
        }
        return c.open(CHAT, org.tandemrc.protocol.Priority.CONTROL).handle((channel, failure) -> {
            if (failure != null) {
                Throwable why = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new java.util.concurrent.CompletionException(new IllegalStateException(why.getMessage(), why));
            }
            run(channel, type, guest, r, " (opened by the person at the Host)");
            return null;
        });
    }

    private static final String CHAT = "chat";

    /** Why a Guest may not control input again on this connection. */
    static final String TOOK_BACK_CONTROL = "the person at the Host took back control of keyboard and mouse";

    /** Ends this Guest's sessions that control input, and keeps it from opening one again. */
    boolean takeBackControl(String reason) {
        List<SessionChannel> ending = List.copyOf(controlling);
        if (ending.isEmpty()) {
            return false; // a Guest that controls nothing keeps what it may do
        }
        synchronized (this) {
            controlTakenBack = true;
            controlGranted = false; // under confirm control the Guest must be given control again
        }
        ending.forEach(ch -> ch.close(reason));
        return true;
    }

    /** What a Host-side session sees. */
    private record Context(Channel channel, String guestName, String hostName, Set<Privilege> privileges,
            String peerAddress, String roleName) implements SessionContext {
        @Override
        public Side side() {
            return Side.HOST;
        }

        @Override
        public List<String> arguments() {
            return List.of();
        }
    }
}
