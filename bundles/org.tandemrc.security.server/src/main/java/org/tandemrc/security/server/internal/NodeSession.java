package org.tandemrc.security.server.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Role;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.Events;
import org.tandemrc.protocol.security.SecurityServerWire.Hello;
import org.tandemrc.protocol.security.SecurityServerWire.LogonBegin;
import org.tandemrc.protocol.security.SecurityServerWire.LogonProve;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.protocol.security.SecurityServerWire.NameAnswer;
import org.tandemrc.protocol.security.SecurityServerWire.NameRegister;
import org.tandemrc.protocol.security.SecurityServerWire.NameResolve;
import org.tandemrc.security.server.internal.SecurityStore.Node;
import org.tandemrc.security.server.internal.SecurityStore.NodeState;

/**
 * One node's connection to the Security Server. The first control message must be {@code ss.hello},
 * signed by the node's identity key over this connection's binding; nothing else is answered before
 * {@code ss.welcome}, which only an approved key gets. Database work and logons run off the link's
 * thread; a node has at most {@value SecurityServer#MAX_LOGONS_PER_NODE} logons under way, one per id.
 */
final class NodeSession implements Connection.Listener {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.security.server");
    /** How long a node may take to say hello, and a begun logon to be proved. */
    static final long HELLO_SECONDS = 10;
    static final long LOGON_SECONDS = 120;

    private enum State { HELLO, CHECKING, WELCOMED, CLOSED }

    private final SecurityServer server;
    /** Guarded by this. */
    private State state = State.HELLO;
    private Node node;
    private final Map<String, Pending> logons = new HashMap<>();

    private record Pending(LogonEngine.Logon logon, Peer peer, ScheduledFuture<?> timeout) {
    }

    NodeSession(SecurityServer server) {
        this.server = server;
    }

    @Override
    public void secured(Connection connection) {
        server.timer.schedule(() -> {
            synchronized (this) {
                if (state != State.HELLO && state != State.CHECKING) {
                    return;
                }
            }
            connection.close("no ss.hello within " + HELLO_SECONDS + " s");
        }, HELLO_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void control(Connection connection, ControlMessage m) throws ProtocolException {
        State now;
        synchronized (this) {
            now = state;
        }
        switch (now) {
            case HELLO -> hello(connection, m);
            case WELCOMED -> welcomed(connection, m);
            default -> throw new ProtocolException("nothing but ss.hello is answered before ss.welcome");
        }
    }

    private void hello(Connection connection, ControlMessage m) throws ProtocolException {
        if (!m.type().equals(SecurityServerWire.HELLO)) {
            throw new ProtocolException("the first message must be " + SecurityServerWire.HELLO + ", not " + m.type());
        }
        Hello hello = Hello.of(m);
        String fingerprint = HostIdentity.fingerprint(hello.key());
        if (!HostIdentity.verify(hello.key(), SecurityServerWire.helloSigned(connection.binding()), hello.signature())) {
            server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_NODE, Severity.SECURITY, connection.remoteAddress(),
                    "", "refused " + hello.name() + " (" + fingerprint + "): its hello's signature does not verify");
            refuse(connection, "the signature of ss.hello does not verify with the key it carries");
            return;
        }
        synchronized (this) {
            state = State.CHECKING;
        }
        if (!server.storeWork.offer(() -> check(connection, hello, fingerprint))) {
            refuse(connection, "the Security Server is busy; try again in a moment");
        }
    }

    /** On a store thread: welcomes an approved key; records an unknown one as pending. */
    private void check(Connection connection, Hello hello, String fingerprint) {
        Node n;
        try {
            n = server.store.seen(fingerprint, hello.name(), hello.kind().id(), server.clock.millis());
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "the Security Server's database: " + e.getMessage());
            refuse(connection, "the Security Server cannot read its database now; try again later");
            return;
        }
        String who = n.name() + " (" + n.kind() + ", " + fingerprint + ")";
        if (n.state() != NodeState.APPROVED) {
            String reason = n.state() == NodeState.DISABLED ? "this node's key is disabled on the Security Server"
                    : "this node's key is not approved yet: the administrator approves it with 'tandem admin security"
                            + " nodes approve " + fingerprint + "'";
            server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_NODE, Severity.SECURITY, connection.remoteAddress(),
                    "", "refused " + who + ": " + n.state().id());
            refuse(connection, reason);
            return;
        }
        synchronized (this) {
            if (state != State.CHECKING) {
                return;
            }
            node = n;
            state = State.WELCOMED;
        }
        server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_NODE, Severity.INFO, connection.remoteAddress(), "",
                "connected " + who);
        // "node": the name the administrator approved, which a Host registers (it may differ from its own).
        connection.send(ControlMessage.of(SecurityServerWire.WELCOME).with("name", server.settings.name())
                .with("node", n.name()));
    }

    private void refuse(Connection connection, String reason) {
        synchronized (this) {
            state = State.CLOSED;
        }
        connection.send(ControlMessage.of(SecurityServerWire.REFUSED).with("reason", reason));
        connection.close(reason);
    }

    private void welcomed(Connection connection, ControlMessage m) throws ProtocolException {
        switch (m.type()) {
            case SecurityServerWire.LOGON_BEGIN -> begin(connection, LogonBegin.of(m));
            case SecurityServerWire.LOGON_PROVE -> prove(connection, LogonProve.of(m));
            case SecurityServerWire.EVENTS -> events(connection, Events.of(m));
            case SecurityServerWire.NAME_REGISTER -> register(NameRegister.of(m));
            case SecurityServerWire.NAME_RESOLVE -> resolve(connection, NameResolve.of(m));
            default -> throw new ProtocolException("unexpected " + m.type());
        }
    }

    // ---- logons ---------------------------------------------------------------------------------

    private void begin(Connection connection, LogonBegin b) throws ProtocolException {
        Node n;
        CentralLogon method;
        LogonEngine.Logon logon;
        synchronized (this) {
            if (logons.containsKey(b.id())) {
                throw new ProtocolException("logon " + b.id() + " is already under way");
            }
            n = node;
            if (logons.size() >= SecurityServer.MAX_LOGONS_PER_NODE) {
                deny(connection, b.id(), CentralLogon.METHOD, b.user(), b.source(),
                        "more than " + SecurityServer.MAX_LOGONS_PER_NODE + " logons under way from " + n.name());
                return;
            }
            method = new CentralLogon(server, new Rules.Target(n.name(), n.groups(), b.purpose()));
            Peer peer = new Peer(this, connection, b.id(), method, b.user(), b.source());
            logon = server.engine.logon(b.source(), peer);
            ScheduledFuture<?> timeout = server.timer.schedule(() -> expire(b.id()), LOGON_SECONDS, TimeUnit.SECONDS);
            logons.put(b.id(), new Pending(logon, peer, timeout));
        }
        logon.start(method, b.user(), b.user(), b.user());
    }

    private void prove(Connection connection, LogonProve p) {
        Pending pending;
        synchronized (this) {
            pending = logons.get(p.id());
        }
        if (pending == null) {
            deny(connection, p.id(), CentralLogon.METHOD, "", "", "no logon " + p.id() + " is waiting for a proof");
            return;
        }
        try {
            pending.logon().prove(p.values(), p.binding());
        } catch (IllegalStateException e) {
            if (remove(p.id()) != null) {
                pending.logon().end();
                pending.peer().deny(e.getMessage());
            }
        }
    }

    private void expire(String id) {
        Pending p = remove(id);
        if (p != null) {
            p.logon().end();
            p.peer().deny("no proof within " + LOGON_SECONDS + " s");
        }
    }

    private synchronized Pending remove(String id) {
        Pending p = logons.remove(id);
        if (p != null) {
            p.timeout().cancel(false);
        }
        return p;
    }

    private void deny(Connection connection, String id, String method, String user, String source, String why) {
        server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_DENIED, Severity.SECURITY, source, user,
                nodeName() + " via " + method + ": " + why);
        connection.send(LogonVerdict.denied(id, method, why).message());
    }

    private synchronized String nodeName() {
        return node == null ? "?" : node.name();
    }

    /** What the logon engine tells one logon; answers go out once, while the logon is still under way. */
    private record Peer(NodeSession session, Connection connection, String id, CentralLogon method, String user,
            String source) implements LogonEngine.Peer {

        @Override
        public void challenge(Map<String, byte[]> challenge) {
            connection.send(new SecurityServerWire.LogonChallenge(id, challenge).message());
        }

        @Override
        public Runnable granted(AuthResult result, Optional<Role> unused) {
            var identity = result.identity().orElseThrow();
            String role = method.role();
            return () -> {
                if (session.remove(id) == null) {
                    return;
                }
                session.server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_GRANTED, Severity.INFO, source,
                        identity.name(), session.nodeName() + " via " + method.decidedBy() + ": role " + role);
                connection.send(LogonVerdict.granted(id, identity.name(), method.decidedBy(), role, identity.groups(),
                        result.answer()).message());
            };
        }

        @Override
        public Runnable denied(AuthResult result) {
            String why = result.failure().orElse("denied");
            return () -> {
                if (session.remove(id) != null) {
                    deny(why);
                }
            };
        }

        @Override
        public void refused(LogonEngine.Refusal kind, String reason) {
            if (session.remove(id) != null) {
                deny(reason);
            }
        }

        void deny(String why) {
            session.deny(connection, id, method.decidedBy(), user, source, why);
        }
    }

    // ---- events and names -----------------------------------------------------------------------

    private void events(Connection connection, Events e) {
        Optional<AuditTrail> trail = server.trail.get();
        if (trail.isEmpty()) {
            return; // the node keeps them until a store acknowledges them
        }
        Node n = currentNode();
        server.storeWork.offer(() -> {
            try {
                long upTo = trail.get().append(n.fingerprint(), n.name(), e.first(), e.events());
                if (upTo >= 0) {
                    connection.send(new SecurityServerWire.EventsAck(upTo).message());
                }
            } catch (IOException | RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "the audit trail did not store " + n.name() + "'s events: " + x);
            }
        });
    }

    private void register(NameRegister r) {
        Node n = currentNode();
        server.storeWork.offer(() -> {
            if (!r.name().equals(n.name())) {
                server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_NODE, Severity.SECURITY, "", "",
                        n.name() + " (" + n.fingerprint() + ") tried to register the name " + r.name());
                return;
            }
            try {
                server.store.register(r.name(), n.fingerprint(), r.addresses(), server.clock.millis());
            } catch (SQLException x) {
                LOG.log(System.Logger.Level.WARNING, "the Security Server's database: " + x.getMessage());
            }
        });
    }

    private void resolve(Connection connection, NameResolve q) {
        if (!server.storeWork.offer(() -> {
            List<String> addresses;
            try {
                addresses = server.store.resolve(q.name());
            } catch (SQLException x) {
                LOG.log(System.Logger.Level.WARNING, "the Security Server's database: " + x.getMessage());
                addresses = List.of();
            }
            connection.send(new NameAnswer(q.id(), q.name(), addresses).message());
        })) {
            connection.send(new NameAnswer(q.id(), q.name(), List.of()).message());
        }
    }

    private synchronized Node currentNode() {
        return node;
    }

    @Override
    public void closed(Connection connection, String reason) {
        List<Pending> left;
        Node n;
        synchronized (this) {
            state = State.CLOSED;
            left = List.copyOf(logons.values());
            logons.clear();
            n = node;
        }
        for (Pending p : left) {
            p.timeout().cancel(false);
            p.logon().end();
        }
        if (n != null) {
            server.audit.record(EventCodes.TANDEM_SECURITY_SERVER_NODE, Severity.INFO, connection.remoteAddress(), "",
                    "disconnected " + n.name() + " (" + n.fingerprint() + "): " + reason);
        }
    }
}
