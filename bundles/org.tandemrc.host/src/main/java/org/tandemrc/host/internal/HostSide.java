package org.tandemrc.host.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.SessionEvents;
import org.tandemrc.api.event.Severity;
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
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpServer;

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

    /** State, touched on the link's thread and by timers; guarded by this. */
    private SrpServer srp;
    private String pendingId;
    private String pendingRole;
    private String user;
    private Role role;
    private boolean confirmed;
    private boolean verifying;
    private boolean challenging;
    private boolean helpTaken;
    private boolean secured;
    private ScheduledFuture<?> logonTimer;
    private ScheduledFuture<?> idleTimer;
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
        synchronized (this) {
            secured = true;
        }
        Optional<String> refusal = access.refusal(remote);
        if (refusal.isPresent()) {
            c.send(ControlMessage.of("auth.refused").with("reason", refusal.get()));
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
            if (srp != null || verifying || challenging) {
                throw new ProtocolException("one logon attempt at a time: answer the challenge first");
            }
        }
        String method = m.text("method");
        if (!method.equals(policy.method())) {
            c.send(ControlMessage.of("auth.refused").with("reason",
                    "this Host accepts " + (policy.method().equals(SecurityPolicy.GUEST_ID)
                            ? "individual Guest IDs (use --guest-id)" : "the shared password (no Guest ID)")));
            return;
        }
        String id = PasswordStore.SHARED;
        if (method.equals(SecurityPolicy.GUEST_ID)) {
            id = m.text("id");
            if (id.isEmpty() || id.length() > 64 || id.chars().anyMatch(ch -> ch < 0x20)) {
                throw new ProtocolException("a Guest ID must be 1 to 64 printable characters");
            }
        }
        // Cheap refusals come before the challenge, which costs the Host an exponentiation.
        Optional<String> locked = access.refusal(remote);
        if (locked.isPresent()) {
            refuseLogon(c, locked.get());
            return;
        }
        Optional<LogonLimiter.Decision> limited = access.limiter.refusal(remote, GuestAccess.TARGET);
        if (limited.isPresent()) {
            limitReached(limited.get(), id);
            refuseLogon(c, limited.get().reason());
            return;
        }
        if (!access.limiter.challenge(remote, GuestAccess.TARGET)) {
            refuseLogon(c, "too many logon attempts from your address; try again in a minute");
            return;
        }
        synchronized (this) {
            challenging = true;
        }
        String identity = id;
        if (!access.work.offer(() -> challenge(c, method, identity))) {
            refuseLogon(c, "the Host is busy with other logons; try again in a moment");
        }
    }

    /** On a logon thread: the password entry (or a decoy) and the challenge, both too slow for a network thread. */
    private void challenge(Connection c, String method, String id) {
        Optional<PasswordStore.Entry> entry;
        try {
            // Reserved entries (the shared and the maintenance password) are no Guest IDs.
            boolean reserved = method.equals(SecurityPolicy.GUEST_ID)
                    && (id.equals(PasswordStore.SHARED) || id.equals(PasswordStore.MAINTENANCE));
            entry = reserved ? Optional.empty() : access.store.find(id);
        } catch (IOException e) {
            c.close("the Host cannot read its password store: " + e.getMessage());
            return;
        }
        SrpServer server = entry.map(e -> new SrpServer(id, e.verifier(), access.random))
                .orElseGet(() -> SrpServer.decoy(id, access.decoySecret, access.random));
        Challenge ch = server.challenge();
        synchronized (this) {
            challenging = false;
            srp = server;
            pendingId = id;
            pendingRole = entry.map(PasswordStore.Entry::role).orElse(null);
        }
        c.send(ControlMessage.of("auth.challenge").with("m", ch.memoryKiB()).with("t", ch.iterations())
                .with("p", ch.parallelism()).with("salt", ch.salt()).with("B", ch.serverPublic()));
    }

    private void refuseLogon(Connection c, String reason) {
        c.send(ControlMessage.of("auth.refused").with("reason", reason));
        c.close(reason);
    }

    /** Records the first refusal of an address, not every one: a flood of refusals must not flood the log. */
    private void limitReached(LogonLimiter.Decision d, String id) {
        if (d.firstRefusal()) {
            access.audit.record(EventCodes.HOST_PASSWORD_LIMIT, Severity.SECURITY, remote,
                    PasswordStore.SHARED.equals(id) ? "" : id, "logon limit: " + d.reason());
        }
    }

    private void proof(Connection c, ControlMessage m) throws ProtocolException {
        long due = System.nanoTime() + access.policy.limits().answer().toNanos();
        BigInteger a = m.bigInteger("A", 384);
        byte[] proof = m.bytes("proof");
        if (proof.length > 64) {
            throw new ProtocolException("proof longer than 64 bytes");
        }
        SrpServer server;
        String id;
        String roleName;
        synchronized (this) {
            if (srp == null || verifying) {
                throw new ProtocolException("a proof without a challenge");
            }
            server = srp;
            srp = null;
            id = pendingId;
            roleName = pendingRole;
            verifying = true;
        }
        // Charged here, as the proof arrives and before its answer is known: a proof prepared on a
        // connection opened earlier gets no pass, and a client that leaves without waiting gains nothing.
        Optional<String> locked = access.refusal(remote);
        LogonLimiter.Decision d = locked.isPresent() ? null : access.limiter.attempt(remote, GuestAccess.TARGET);
        if (locked.isPresent() || !d.allowed()) {
            if (d != null) {
                limitReached(d, id);
            }
            String reason = locked.isPresent() ? locked.get() : d.reason();
            answerAt(due, () -> {
                c.send(ControlMessage.of("auth.failed").with("reason", reason).with("final", "1"));
                c.close(reason);
            });
            return;
        }
        byte[] binding = c.binding();
        ClientResponse response = new ClientResponse(a, proof);
        if (!access.work.offer(() -> verify(c, server, id, roleName, response, binding, due))) {
            answerAt(due, () -> {
                String reason = "the Host is busy with other logons; try again in a moment";
                c.send(ControlMessage.of("auth.failed").with("reason", reason).with("final", "1"));
                c.close(reason);
            });
        }
    }

    /** Sends an answer at {@code due} (System.nanoTime), so that every answer takes the same time. */
    private void answerAt(long due, Runnable answer) {
        access.scheduler.schedule(answer, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void verify(Connection c, SrpServer server, String id, String roleName, ClientResponse response,
            byte[] binding, long due) {
        byte[] serverProof;
        try {
            serverProof = server.verify(response, binding);
        } catch (AuthenticationFailed e) {
            wrongPassword(c, id, due);
            return;
        }
        access.limiter.succeeded(remote, GuestAccess.TARGET);
        access.succeeded(remote);
        answerAt(due, () -> loggedOn(c, id, roleName, serverProof));
    }

    private void loggedOn(Connection c, String id, String roleName, byte[] serverProof) {
        String guest = PasswordStore.SHARED.equals(id) ? c.peerName() : id;
        Role r = roleName == null ? null : access.roles().get(roleName);
        if (r == null) {
            c.send(ControlMessage.of("auth.failed").with("reason", "your role '" + roleName
                    + "' is not defined on this Host; ask its administrator").with("final", "1"));
            c.close("undefined role " + roleName);
            return;
        }
        int idleMinutes = access.policy.inactivityMinutes();
        synchronized (this) {
            verifying = false;
            user = guest;
            role = r;
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
        String privileges = r.privileges().stream().map(p -> p.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(","));
        c.send(ControlMessage.of("auth.ok").with("proof", serverProof).with("role", r.name())
                .with("privileges", privileges).with("host", access.hostName));
        access.audit.record(EventCodes.HOST_SESSION_STARTED, Severity.INFO, remote, guest, "logged on with role " + r.name());
    }

    private void wrongPassword(Connection c, String id, long due) {
        SecurityPolicy policy = access.policy;
        int n = access.failed(remote);
        String who = PasswordStore.SHARED.equals(id) ? c.peerName() : id;
        access.audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, who, "wrong password (" + n + ")");
        if (policy.maxAttempts() > 0 && n >= policy.maxAttempts()) {
            access.audit.record(EventCodes.HOST_PASSWORD_LIMIT, Severity.SECURITY, remote, who,
                    n + " wrong passwords; " + policy.action().name().toLowerCase(Locale.ROOT));
            String reason = switch (policy.action()) {
                case DISCONNECT -> "too many wrong passwords; disconnected";
                case DISABLE -> {
                    access.disabled.set(true);
                    yield "too many wrong passwords; this Host is now disabled";
                }
                case LOCKOUT -> {
                    access.lockOut(remote);
                    yield "too many wrong passwords; your address is locked out for " + policy.lockoutMinutes()
                            + " minute(s)";
                }
            };
            answerAt(due, () -> {
                c.send(ControlMessage.of("auth.failed").with("reason", reason).with("final", "1"));
                c.close(reason);
            });
            return;
        }
        int left = policy.maxAttempts() == 0 ? -1 : policy.maxAttempts() - n;
        answerAt(due, () -> {
            synchronized (this) {
                verifying = false;
            }
            ControlMessage failed = ControlMessage.of("auth.failed").with("reason", "wrong Guest ID or password");
            if (left >= 0) {
                failed.with("left", left);
            }
            c.send(failed);
        });
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
            ask = type.needsConsent() && r.confirmAccess() && !confirmed;
        }
        if (!ask) {
            start(c, request, type, guest, r);
            return;
        }
        Optional<ConsentPrompt> prompt = access.prompt();
        if (prompt.isEmpty()) {
            request.deny("your role needs the person at the Host to confirm access, and this Host cannot ask");
            return;
        }
        int seconds = access.policy.confirmSeconds();
        prompt.get().ask(new ConsentRequest(ConsentKind.ACCESS, guest, "wants to start a " + type.title() + " session",
                Duration.ofSeconds(seconds))).whenComplete((decision, failure) -> {
                    ConsentDecision d = decision == null ? ConsentDecision.DENIED : decision;
                    switch (d) {
                        case GRANTED -> {
                            synchronized (this) {
                                confirmed = true;
                            }
                            access.audit.record(EventCodes.CONFIRM_ACCESS_GRANTED, Severity.INFO, remote, guest, "access confirmed");
                            start(c, request, type, guest, r);
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

    private void start(Connection c, Connection.OpenRequest request, SessionType type, String guest, Role r) {
        if (!c.isOpen()) {
            return;
        }
        SessionChannel channel = request.accept();
        SessionEvents codes = SessionEvents.of(Side.HOST, type.id());
        String what = type.title() + ", role " + r.name();
        access.audit.record(codes.started(), Severity.INFO, remote, guest, what);
        SessionHandler handler;
        try {
            handler = type.open(new Context(channel, guest, access.hostName, r.privileges(), remote));
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
                if (codes.stopped() != null) {
                    access.audit.record(codes.stopped(), Severity.INFO, remote, guest, what + ": " + reason);
                }
                handler.closed(reason);
            }
        });
    }

    @Override
    public void closed(Connection c, String reason) {
        access.connections.remove(c);
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

    /** What a Host-side session sees. */
    private record Context(Channel channel, String guestName, String hostName, Set<Privilege> privileges,
            String peerAddress) implements SessionContext {
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
