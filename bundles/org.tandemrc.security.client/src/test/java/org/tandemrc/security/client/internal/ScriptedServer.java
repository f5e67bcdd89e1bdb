package org.tandemrc.security.client.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.Events;
import org.tandemrc.protocol.security.SecurityServerWire.EventsAck;
import org.tandemrc.protocol.security.SecurityServerWire.Hello;
import org.tandemrc.protocol.security.SecurityServerWire.NameAnswer;
import org.tandemrc.protocol.security.SecurityServerWire.NameRegister;
import org.tandemrc.protocol.security.SecurityServerWire.NameResolve;

/**
 * A Security Server as the contract describes its side, played by the real connection core's Host side
 * with its own identity key over in-memory links: it checks the node's hello signature, welcomes it,
 * stores events once by number (and counts what arrived twice), acknowledges them, keeps names, and
 * answers logons as a test scripts them. It can be down, lose acknowledgements or repeat them.
 */
final class ScriptedServer {

    static final SecureRandom RANDOM = new SecureRandom();

    final HostIdentity identity = HostIdentity.generate(RANDOM);
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** Every event number that arrived, as often as it arrived. */
    final List<Long> received = new CopyOnWriteArrayList<>();
    /** Each stored once, by number. */
    final Map<Long, AuditEvent> stored = new ConcurrentSkipListMap<>();
    final Map<String, List<String>> names = new ConcurrentHashMap<>();
    final List<Hello> hellos = new CopyOnWriteArrayList<>();
    final Set<Connection> open = ConcurrentHashMap.newKeySet();
    volatile boolean up = true;
    /** Event batches whose acknowledgement is lost, from now on: the connection then closes. */
    final AtomicInteger loseAcks = new AtomicInteger();
    volatile boolean repeatAcks;
    /**
     * Event batches dropped without a word from now on, the connection kept: what the real server does
     * while its audit trail is not there yet, or when the trail could not store a batch.
     */
    final AtomicInteger dropBatches = new AtomicInteger();
    /** Connections nodes made to this server. */
    final AtomicInteger accepted = new AtomicInteger();
    /** Answers a logon message on connection {@code c}; null: no answer. */
    volatile BiFunction<Connection, ControlMessage, ControlMessage> logons = (c, m) -> null;

    /** The node's dialer: a link to this server while it is up, "connection refused" while not. */
    CompletionStage<Link> dial(LinkHandler guest) {
        if (!up) {
            return CompletableFuture.failedFuture(new IOException("connection refused"));
        }
        MemoryLink[] links = MemoryLink.connect(guest, accept());
        return CompletableFuture.completedFuture(links[0]);
    }

    /** The handler of a link a node opened: the server's side of a new connection. */
    Connection accept() {
        accepted.incrementAndGet();
        Connection host = Connection.host(identity, "security-server-1", SecurityServerWire.CAPABILITY, new Side(),
                timer, RANDOM);
        open.add(host);
        return host;
    }

    void down() {
        up = false;
        for (Connection c : open) {
            c.close("the Security Server stopped");
        }
        open.clear();
    }

    String fingerprint() {
        return identity.fingerprint();
    }

    void close() {
        down();
        timer.shutdownNow();
    }

    private final class Side implements Connection.Listener {
        private volatile boolean welcomed;

        @Override
        public void secured(Connection c) {
            // the node speaks first
        }

        @Override
        public void control(Connection c, ControlMessage m) throws ProtocolException {
            if (m.type().equals(SecurityServerWire.HELLO)) {
                Hello h = Hello.of(m);
                if (!HostIdentity.verify(h.key(), SecurityServerWire.helloSigned(c.binding()), h.signature())) {
                    c.send(ControlMessage.of(SecurityServerWire.REFUSED).with("reason", "bad signature"));
                    c.close("bad signature");
                    return;
                }
                hellos.add(h);
                welcomed = true;
                c.send(ControlMessage.of(SecurityServerWire.WELCOME).with("name", "security-server-1"));
                return;
            }
            if (!welcomed) {
                throw new ProtocolException(m.type() + " before ss.hello");
            }
            switch (m.type()) {
                case SecurityServerWire.EVENTS -> {
                    Events e = Events.of(m);
                    if (dropBatches.get() > 0 && dropBatches.decrementAndGet() >= 0) {
                        return;
                    }
                    for (int i = 0; i < e.events().size(); i++) {
                        received.add(e.first() + i);
                        stored.putIfAbsent(e.first() + i, e.events().get(i));
                    }
                    long upTo = e.first() + e.events().size() - 1;
                    if (loseAcks.get() > 0 && loseAcks.decrementAndGet() >= 0) {
                        c.close("the server lost the acknowledgement");
                        return;
                    }
                    c.send(new EventsAck(upTo).message());
                    if (repeatAcks) {
                        c.send(new EventsAck(upTo).message());
                    }
                }
                case SecurityServerWire.NAME_REGISTER -> {
                    NameRegister r = NameRegister.of(m);
                    names.put(r.name(), r.addresses());
                }
                case SecurityServerWire.NAME_RESOLVE -> {
                    NameResolve r = NameResolve.of(m);
                    c.send(new NameAnswer(r.id(), r.name(), names.getOrDefault(r.name(), List.of())).message());
                }
                default -> {
                    ControlMessage answer = logons.apply(c, m);
                    if (answer != null) {
                        c.send(answer);
                    }
                }
            }
        }

        @Override
        public void closed(Connection c, String reason) {
            open.remove(c);
        }
    }
}
