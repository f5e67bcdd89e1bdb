package org.tandemrc.security.server.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditTrail;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.protocol.logon.LogonWork;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.support.event.EventRecorder;

/**
 * The Security Server's work, free of OSGi so that tests run it over real connections: it answers the
 * nodes that connect ({@link #accept}), each a {@link NodeSession}. One logon engine serves every node,
 * so the limits per Guest address and per user hold across the whole deployment.
 */
final class SecurityServer {

    /** Logons one node may have under way at once. */
    static final int MAX_LOGONS_PER_NODE = 64;
    /** The built-in method: the Guest IDs kept here, as SRP verifiers. */
    static final String GUEST_ID = "guest-id";

    final HostIdentity identity;
    final SecurityStore store;
    final SecureRandom random;
    final Clock clock;
    final EventRecorder audit = new EventRecorder("org.tandemrc.security.server.audit");
    final Supplier<? extends Collection<Authenticator>> authenticators;
    final Supplier<Optional<AuditTrail>> trail;
    final SrpAuthenticator guestIds;
    /** SRP and directory work: off the network threads, bounded. */
    final LogonWork work = new LogonWork(2, 64, "tandem-security-logon");
    /** Database work of hellos, events and names: off the network threads, bounded. */
    final LogonWork storeWork = new LogonWork(1, 256, "tandem-security-store");
    final ScheduledExecutorService timer;
    final LogonEngine engine;
    volatile SecuritySettings settings;

    SecurityServer(HostIdentity identity, SecurityStore store, SecuritySettings settings, byte[] decoySecret,
            Supplier<? extends Collection<Authenticator>> authenticators, Supplier<Optional<AuditTrail>> trail,
            Clock clock) {
        this.identity = identity;
        this.store = store;
        this.settings = settings;
        this.authenticators = authenticators;
        this.trail = trail;
        this.clock = clock;
        this.random = new SecureRandom();
        AtomicInteger n = new AtomicInteger();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-security-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // A name that is no Guest ID gets a challenge that looks real and fails like a wrong password.
        this.guestIds = new SrpAuthenticator(GUEST_ID, user -> {
            try {
                return store.guest(user).map(g -> new SrpAuthenticator.Account(PasswordVerifier.decode(g.verifier()),
                        Set.copyOf(g.groups())));
            } catch (java.sql.SQLException e) {
                throw new java.io.IOException("the Security Server's database: " + e.getMessage(), e);
            }
        }, decoySecret, random);
        this.engine = new LogonEngine("the Security Server", new LogonMethods(), settings.limits(), clock, work, timer,
                audit, EventCodes.TANDEM_SECURITY_SERVER_DENIED, "logon limit: ");
        audit.node(settings.name());
    }

    /** The handler of a link a node opened: the Host side of a connection, signed with this server's key. */
    LinkHandler accept(Link link) {
        NodeSession session = new NodeSession(this);
        return Connection.host(identity, settings.name(), SecurityServerWire.CAPABILITY, session, timer, random);
    }

    /** New settings (the database's keys are read at start only). */
    void settings(SecuritySettings s) {
        settings = s;
        engine.limits(s.limits());
        audit.node(s.name());
    }

    void stop() {
        work.close();
        storeWork.close();
        timer.shutdownNow();
        store.close();
    }
}
