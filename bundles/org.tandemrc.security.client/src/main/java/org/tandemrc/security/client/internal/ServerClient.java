package org.tandemrc.security.client.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.Events;
import org.tandemrc.protocol.security.SecurityServerWire.EventsAck;
import org.tandemrc.protocol.security.SecurityServerWire.Hello;
import org.tandemrc.protocol.security.SecurityServerWire.NameRegister;
import org.tandemrc.support.event.EventRecorder;

/**
 * The node's one connection to its Security Server: dials it with the node's communication devices as
 * the connection core's Guest side, refuses any server key but the pinned one, proves the node's
 * identity key with {@code ss.hello}, and after {@code ss.welcome} registers the node's name (a Host),
 * sends the outbox's events and carries the requests of the access method and the name resolver.
 * Lost, it dials again after a wait that doubles up to the configured limit, with jitter so that a
 * thousand nodes do not all return in the same second. Its state lives on one thread, {@code exec}.
 */
final class ServerClient {

    /** How the node reaches the server: the device's connect with the link handler given. */
    @FunctionalInterface
    interface Dialer {
        /** @throws IOException when the device is not installed */
        CompletionStage<Link> dial(LinkHandler handler) throws IOException;
    }

    /** The node's identity key, read when the client dials. */
    @FunctionalInterface
    interface IdentitySource {
        HostIdentity load() throws IOException;
    }

    /** Batches in flight before an acknowledgement. */
    static final int WINDOW = 4 * SecurityServerWire.MAX_EVENTS;
    static final long FLUSH_MILLIS = 200;
    /** Events waiting in memory that make the client write at once instead of at the next tick. */
    static final int FLUSH_AT = 64;
    /**
     * How long sent events may go unacknowledged before they are sent again on the same connection: a
     * server drops a batch without a word while its audit trail is not up (just after a restart) or
     * when the trail could not store it, and the server stores each number once, so sending again is safe.
     */
    static final long RESEND_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How often a Host checks whether its dialable addresses changed since it registered them. */
    static final long REGISTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final System.Logger LOG = System.getLogger("org.tandemrc.security.client");

    private final ClientSettings settings;
    private final IdentitySource identity;
    private final Dialer dialer;
    private final Outbox outbox;
    private final EventRecorder events;
    private final Supplier<List<String>> addresses;
    private final ScheduledExecutorService exec;
    private final SecureRandom random;
    private final Map<String, CompletableFuture<ControlMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /** Notified when the connection is welcomed or lost. */
    private final Object state = new Object();

    /** Set on {@code exec}; read anywhere. */
    private volatile Connection current;
    private volatile boolean welcomed;
    private volatile boolean down;
    private volatile Instant since = Instant.now();
    private volatile String problem = "";
    private volatile String serverName = "";
    private volatile boolean stopped;
    /** An attempt is under way (from the start until its outcome): questions wait for it. */
    private volatile boolean dialing = true;
    private int attempt;
    private long nextToSend;
    /** When (System.nanoTime) the events in flight last moved: sent when none were, or acknowledged. On exec. */
    private long lastProgress;
    private List<String> registered = List.of();
    /** The node's name as the server approved it (the welcome's {@code node}), the name a Host registers. */
    private volatile String nodeName;
    private long lastRegister = System.nanoTime();

    ServerClient(ClientSettings settings, IdentitySource identity, Dialer dialer, Outbox outbox, EventRecorder events,
            Supplier<List<String>> addresses, ScheduledExecutorService exec, SecureRandom random) {
        this.settings = settings;
        this.identity = identity;
        this.dialer = dialer;
        this.outbox = outbox;
        this.events = events;
        this.addresses = addresses;
        this.exec = exec;
        this.random = random;
        this.nodeName = settings.name();
        outbox.node(settings.name());
    }

    void start() {
        exec.execute(this::dial);
        exec.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection and the outbox (writing what it holds). */
    void stop() throws InterruptedException {
        stopped = true;
        java.util.concurrent.Future<?> closed = exec.submit(() -> {
            Connection c = current;
            if (c != null) {
                c.close("the node's Security Server client stopped");
            }
            current = null;
            welcomed = false;
            changed();
            failPending("the node's Security Server client stopped");
            try {
                outbox.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot write the outbox: " + e.getMessage());
            }
        });
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.ERROR, "the Security Server client did not stop cleanly: " + e);
        }
        exec.shutdownNow(); // a redial waiting up to a minute is dropped, not awaited
    }

    boolean connected() {
        return welcomed;
    }

    /** One line for {@code tandem admin security-client status}. */
    String status() {
        String box = "outbox " + (outbox.next() - outbox.firstUnacked()) + " event(s) not yet acknowledged, "
                + outbox.bytes() + " bytes";
        if (welcomed) {
            return "connected to " + settings.server() + " (" + serverName + ") as " + settings.kind().id() + " "
                    + settings.name() + " since " + since + "; " + box;
        }
        return "NOT connected to " + settings.server() + " since " + since + (problem.isEmpty() ? "" : ": " + problem)
                + "; " + box;
    }

    /** Keeps an event for the server (any thread; returns at once). */
    void record(AuditEvent e) {
        outbox.append(e);
        if (outbox.pending() >= FLUSH_AT && flushQueued.compareAndSet(false, true)) {
            later(this::flush);
        }
    }

    /**
     * Sends a request and waits for the answer with the same {@code id}.
     *
     * @throws IOException when the server is not connected, the connection is lost or no answer comes in time
     */
    ControlMessage ask(String id, ControlMessage request, Duration timeout) throws IOException, InterruptedException {
        Connection c = welcomedOrGone(timeout);
        if (c == null) {
            throw new IOException(unreachable());
        }
        CompletableFuture<ControlMessage> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            c.send(request);
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the Security Server at " + settings.server() + " did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage());
        } finally {
            pending.remove(id);
        }
    }

    /** A request's id: random, so that a late answer can never be taken for another request's. */
    String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Where the Host named {@code name} is, as it registered; empty when the server knows no such name. */
    List<String> resolve(String name) throws IOException {
        String id = newId();
        try {
            return SecurityServerWire.NameAnswer.of(ask(id, new SecurityServerWire.NameResolve(id, name).message(),
                    DelegatedLogon.ANSWER)).addresses();
        } catch (ProtocolException e) {
            throw new IOException("the Security Server answered with a malformed name: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Security Server");
        }
    }

    /**
     * The welcomed connection; while an attempt is under way (a node that just started, a Guest command's
     * first question), waits for its outcome up to {@code timeout}. Null when there is none: a node whose
     * server is down learns it at once, so that a Host's fallback does not keep the Guest waiting.
     */
    private Connection welcomedOrGone(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (!welcomed && dialing && !stopped) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
            return welcomed ? current : null;
        }
    }

    /** Wakes {@link #welcomedOrGone} after the connection was welcomed or lost. */
    private void changed() {
        synchronized (state) {
            state.notifyAll();
        }
    }

    String unreachable() {
        return "the Security Server at " + settings.server() + " is unreachable" + (problem.isEmpty() ? "" : ": " + problem);
    }

    // ------------------------------------------------------------------ on exec

    private void dial() {
        if (stopped || current != null) {
            return;
        }
        dialing = true;
        HostIdentity id;
        try {
            id = identity.load();
        } catch (IOException e) {
            failed(null, "cannot read the node's identity key: " + e.getMessage());
            return;
        }
        Connection c = Connection.guest(settings.name(), "", new Listener(id), exec, random);
        current = c;
        try {
            dialer.dial(c).whenComplete((link, error) -> {
                if (error != null) {
                    later(() -> lost(c, rootMessage(error)));
                }
            });
        } catch (IOException | RuntimeException e) {
            lost(c, String.valueOf(e.getMessage()));
        }
    }

    private void lost(Connection c, String reason) {
        if (current != c) {
            return;
        }
        current = null;
        welcomed = false;
        failed(c, reason);
    }

    /** Reports the outage once, when it begins, and dials again later. */
    private void failed(Connection c, String reason) {
        failPending("lost the connection to the Security Server: " + reason);
        problem = reason;
        dialing = false;
        changed();
        if (!down) {
            down = true;
            since = Instant.now();
            events.record(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE, Severity.WARNING, settings.server(), "",
                    "cannot reach the Security Server at " + settings.server() + ": " + reason);
        }
        if (stopped) {
            return;
        }
        long max = settings.reconnectSeconds() * 1000L;
        long wait = Math.min(max, 1000L << Math.min(attempt, 6));
        attempt++;
        // Between half and all of the wait: nodes that lost the server together do not return together.
        long jittered = wait / 2 + (long) (random.nextDouble() * (wait / 2 + 1));
        exec.schedule(this::dial, jittered, TimeUnit.MILLISECONDS);
    }

    private void secured(Connection c, HostIdentity id) {
        if (current != c) {
            return;
        }
        String offered = HostIdentity.fingerprint(c.hostKey().orElseThrow());
        if (!offered.equals(settings.fingerprint())) {
            String why = "the server at " + settings.server() + " offered the key " + offered + ", not the pinned "
                    + settings.fingerprint();
            LOG.log(System.Logger.Level.ERROR, why);
            c.close(why);
            lost(c, why);
            return;
        }
        byte[] sig = id.sign(SecurityServerWire.helloSigned(c.binding()));
        c.send(new Hello(settings.name(), settings.kind(), id.publicKey(), sig).message());
    }

    private void welcome(Connection c, String name, String approved) {
        if (current != c) {
            return;
        }
        nodeName = approved;
        welcomed = true;
        dialing = false;
        changed();
        serverName = name;
        attempt = 0;
        problem = "";
        if (down) {
            down = false;
            events.record(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE, Severity.INFO, settings.server(), "",
                    "the Security Server at " + settings.server() + " is reachable again (down since " + since + ")");
        }
        since = Instant.now();
        LOG.log(System.Logger.Level.INFO, "connected to the Security Server {0} at {1}", name, settings.server());
        registered = List.of();
        register();
        nextToSend = outbox.firstUnacked();
        pump();
    }

    /** A Host registers its name and dialable addresses, again whenever they change. */
    private void register() {
        Connection c = current;
        if (!welcomed || c == null || settings.kind() != SecurityServerWire.NodeKind.HOST) {
            return;
        }
        List<String> a = addresses.get();
        a = List.copyOf(a.subList(0, Math.min(a.size(), SecurityServerWire.MAX_ADDRESSES)));
        if (!a.isEmpty() && !a.equals(registered)) {
            c.send(new NameRegister(nodeName, a).message());
            registered = a;
            LOG.log(System.Logger.Level.INFO, "registered {0} at the Security Server: {1}", nodeName, a);
        }
    }

    private void flush() {
        flushQueued.set(false);
        if (System.nanoTime() - lastRegister > REGISTER_NANOS) {
            lastRegister = System.nanoTime();
            register();
        }
        try {
            outbox.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write the outbox: " + e.getMessage());
        }
        if (welcomed && nextToSend > outbox.firstUnacked() && System.nanoTime() - lastProgress > RESEND_NANOS) {
            LOG.log(System.Logger.Level.INFO, "the Security Server acknowledged none of events {0} to {1} within {2} s;"
                    + " sending them again", outbox.firstUnacked(), nextToSend - 1,
                    TimeUnit.NANOSECONDS.toSeconds(RESEND_NANOS));
            nextToSend = outbox.firstUnacked();
        }
        pump();
    }

    /** Sends the written events the server has not been sent on this connection, a window at a time. */
    private void pump() {
        Connection c = current;
        if (!welcomed || c == null) {
            return;
        }
        try {
            while (nextToSend - outbox.firstUnacked() < WINDOW) {
                List<AuditEvent> batch = outbox.read(nextToSend, SecurityServerWire.MAX_EVENTS);
                if (batch.isEmpty()) {
                    return;
                }
                if (nextToSend == outbox.firstUnacked()) {
                    lastProgress = System.nanoTime(); // nothing was in flight: the wait for an answer starts now
                }
                c.send(new Events(nextToSend, batch).message());
                nextToSend += batch.size();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot read the outbox: " + e.getMessage());
        }
    }

    private void acked(Connection c, long upTo) {
        if (current != c || !welcomed) {
            return;
        }
        if (upTo >= nextToSend) {
            c.close(Connection.PROTOCOL_ERROR + "acknowledged event " + upTo + ", which was never sent");
            return;
        }
        if (upTo < outbox.firstUnacked()) {
            return; // a repeated acknowledgement
        }
        try {
            outbox.ack(upTo);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot record the acknowledgement in the outbox: " + e.getMessage());
        }
        lastProgress = System.nanoTime();
        pump();
    }

    private void failPending(String why) {
        for (CompletableFuture<ControlMessage> f : pending.values()) {
            f.completeExceptionally(new IOException(why));
        }
    }

    /** Runs on {@code exec}, unless the client stopped meanwhile. */
    private void later(Runnable r) {
        try {
            exec.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopped: the connection is closed and the outbox written
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** One connection's events, handed to {@code exec}; answers to requests complete their waiter at once. */
    private final class Listener implements Connection.Listener {
        private final HostIdentity id;

        Listener(HostIdentity id) {
            this.id = id;
        }

        @Override
        public void secured(Connection c) {
            later(() -> ServerClient.this.secured(c, id));
        }

        @Override
        public void control(Connection c, ControlMessage m) throws ProtocolException {
            switch (m.type()) {
                case SecurityServerWire.WELCOME -> {
                    String name = m.text("name", "");
                    String approved = m.text("node", settings.name());
                    later(() -> welcome(c, name, approved));
                }
                case SecurityServerWire.REFUSED -> {
                    String why = "the Security Server refused this node: " + m.text("reason", "no reason given");
                    LOG.log(System.Logger.Level.ERROR, why);
                    later(() -> {
                        c.close(why);
                        lost(c, why);
                    });
                }
                case SecurityServerWire.EVENTS_ACK -> {
                    long upTo = EventsAck.of(m).upTo();
                    later(() -> acked(c, upTo));
                }
                case SecurityServerWire.LOGON_CHALLENGE, SecurityServerWire.LOGON_VERDICT, SecurityServerWire.NAME_ANSWER -> {
                    CompletableFuture<ControlMessage> f = pending.get(m.text("id", ""));
                    if (f != null) {
                        f.complete(m);
                    }
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "ignored {0} from the Security Server", m.type());
            }
        }

        @Override
        public void closed(Connection c, String reason) {
            later(() -> lost(c, reason));
        }
    }
}
