package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import org.tandemrc.api.adhoc.JoinedSupport;
import org.tandemrc.api.adhoc.JoinedSupportEnded;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.webconnect.protocol.Backoff;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.protocol.Support;

/**
 * The Host side: one control connection to a manager at a time (the next one in the list when it is
 * lost, after a jittered exponential backoff and no sooner than a busy manager's RETRY asked), registered
 * under the Host name; back with its resumption ticket when it has one (a full logon when that is refused);
 * each OFFER makes or resumes a link.
 */
final class HostEndpoint implements Endpoint, WebConnectLink.Owner {

    private static final Logger LOG = System.getLogger("org.tandemrc.comm.webconnect");

    private final WebConnectDevice device;
    private final CommunicationProfile profile;
    private final Settings settings;
    private final LinkAcceptor acceptor;
    private final String instance = UUID.randomUUID().toString();
    private final Map<String, WebConnectLink> links = new ConcurrentHashMap<>();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** Which way (TCP or the HTTP tunnel) this Host reached its manager; its links' relay connections start with it. */
    final Transport.Route route = new Transport.Route();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Control control;
    private volatile String problem;
    private volatile boolean registered;
    private volatile Ticket ticket;
    private volatile String supporter;
    /** A temporary Host's session once joined; null before and for other Hosts. */
    private volatile JoinedSession session;
    /** The words the manager last closed a temporary Host's connection with: the session's end, if no rejoin works. */
    private volatile String closedWith;
    private volatile boolean personEnds;
    /** How its session ended, once known; null when the Host is merely closed. */
    private volatile JoinedSupportEnded endAs;
    private volatile java.util.concurrent.CompletableFuture<Ticket> ticketWanted;
    /** The resumption ticket of the last registration, in memory only; null before and after a refusal. */
    private volatile Control.Resume resumeWith;

    /** A ticket the manager issued for this Host: Guests connect with {@code ticket:CODE} until it expires. */
    record Ticket(String code, long expiresAtMillis) {
    }

    HostEndpoint(WebConnectDevice device, CommunicationProfile profile, Settings settings, LinkAcceptor acceptor) {
        this.device = device;
        this.profile = profile;
        this.settings = settings;
        this.acceptor = acceptor;
        this.thread = new Thread(this::run, "wc-host-" + settings.hostName());
        thread.setDaemon(true);
    }

    /** Starts and waits for the first registration; throws when every manager refused or was unreachable. */
    void start() throws IOException {
        thread.start();
        try {
            firstAttempt.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!registered) {
            close();
            throw new IOException("webconnect Host '" + settings.hostName() + "' could not register: "
                    + (problem == null ? "no Connection Manager answered" : problem));
        }
    }

    @Override
    public CommunicationProfile profile() {
        return profile;
    }

    @Override
    public String address() {
        return "webconnect:" + settings.hostName() + "@" + String.join(",", settings.managers());
    }

    private void run() {
        // Full jitter, 250 ms doubling up to 30 s: Hosts that lost one manager at once come back spread out.
        Backoff backoff = new Backoff(250, 30_000);
        int index = 0;
        boolean everRegistered = false;
        while (!closed) {
            int i = index % settings.managers().size();
            String manager = settings.managers().get(i);
            long retryAfter = 0;
            try (Control c = Control.open(device.group(), manager, settings.transport().managerTunnel(i, manager),
                    settings.transport(), route, 10_000)) {
                control = c;
                Control.Resume resume = resumeWith;
                if (settings.supportCode() != null) {
                    joined(c.join(settings.supportCode(), instance, 20_000));
                    c.send(register());
                } else if (resume != null && resume.expiresAtMillis() > System.currentTimeMillis() + 5_000) {
                    try {
                        c.resume(settings.account(), settings.hostName(), resume, register(), 20_000);
                    } catch (Control.Refused e) {
                        // Expired, revoked, or a manager that knows no tickets: a full logon, at once.
                        resumeWith = null;
                        LOG.log(Level.INFO, "webconnect Host '" + settings.hostName() + "': " + e.getMessage()
                                + "; logging on with the password");
                        continue;
                    }
                } else {
                    c.logon(settings.account(), settings.password(), "host", 20_000);
                    c.send(register());
                }
                resumeWith = c.registered(c.expect(Frames.REGISTERED, 20_000));
                registered = true;
                everRegistered = true;
                firstAttempt.countDown();
                backoff.reset();
                LOG.log(Level.INFO, "webconnect Host '" + settings.hostName() + "' registered at " + manager + " via "
                        + c.via());
                Ticket t = ticket;
                if (settings.ticketMinutes() > 0 && (t == null || t.expiresAtMillis() < System.currentTimeMillis() + 60_000)) {
                    askTicket(c, settings.ticketMinutes());
                }
                serve(c);
            } catch (Control.Refused e) {
                problem = e.getMessage();
                if (!everRegistered) {
                    firstAttempt.countDown();
                    return; // wrong password or name taken: an operator must act
                }
                if (settings.supportCode() != null) {
                    // Ended, or past its lifetime: no later attempt can succeed. A network that dropped does not
                    // get here: only the manager's refusal of the rejoin ends a session.
                    String why = closedWith != null ? closedWith : e.getMessage();
                    LOG.log(Level.INFO, "webconnect Host '" + settings.hostName() + "': the support session is over: "
                            + why);
                    over(JoinedSession.by(why), why);
                    return;
                }
                LOG.log(Level.WARNING, "webconnect Host '" + settings.hostName() + "': " + e.getMessage());
            } catch (Control.RetryLater e) {
                problem = e.getMessage();
                retryAfter = e.millis;
                LOG.log(Level.DEBUG, "webconnect Host '" + settings.hostName() + "': " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                problem = e.getMessage();
                LOG.log(Level.DEBUG, "webconnect Host '" + settings.hostName() + "': " + e.getMessage());
            } finally {
                registered = false;
                control = null;
            }
            index++;
            JoinedSession s = session;
            if (s != null && System.currentTimeMillis() > s.ends().toEpochMilli()) {
                // Offline past its lifetime: the manager ended it meanwhile.
                over(JoinedSupportEnded.By.OVER, "the support session has ended");
                return;
            }
            if (!everRegistered && index >= settings.managers().size()) {
                firstAttempt.countDown();
                return;
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(backoff.next(retryAfter));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** REGISTER with the links still alive, which the manager keeps counted. */
    private ByteBuf register() {
        List<byte[]> live = links.values().stream().filter(l -> !l.done()).map(l -> l.pairingId)
                .limit(Pairing.MAX_LIVE).toList();
        return new Pairing.Register(settings.hostName(), instance, live).frame();
    }

    private void joined(Support.Joined j) {
        if (!j.supporter().equals(supporter)) {
            LOG.log(Level.INFO, "webconnect Host '" + j.hostName() + "' joined the support session of " + j.supporter()
                    + " (account '" + j.account() + "'), which ends " + java.time.Instant.ofEpochMilli(j.ends()));
        }
        supporter = j.supporter();
        closedWith = null;
        JoinedSession s = session;
        if (s == null) {
            s = new JoinedSession(settings.supportCode(), j, this::endByPerson);
            session = s;
            s.register();
        } else {
            s.rejoined(j);
        }
    }

    /**
     * The person ends the session: the manager is told over the control connection (it answers by closing
     * it with its reason); when it cannot be told now, or does not answer, the Host ends it on its side.
     */
    private void endByPerson() {
        personEnds = true;
        Control c = control;
        if (c != null && registered) {
            c.send(new Support.Change(Support.END, settings.supportCode()).frame());
            device.timer().schedule(() -> over(JoinedSupportEnded.By.PERSON,
                    "the support session was ended by the person at the temporary Host"), 5, TimeUnit.SECONDS);
        } else {
            over(JoinedSupportEnded.By.PERSON,
                    "the support session was ended at the temporary Host while the Connection Manager was out of reach");
        }
    }

    /** A temporary Host's session is over: it stops for good, and then says so. */
    private void over(JoinedSupportEnded.By by, String why) {
        endAs = new JoinedSupportEnded(by, why);
        close();
    }

    /** The session this temporary Host joined, or null. */
    JoinedSupport joinedSupport() {
        return session;
    }

    /** Whether it stopped: closed, or a temporary Host whose support session is over. */
    boolean closed() {
        return closed;
    }

    /** Whether it is registered at a manager now. */
    boolean registered() {
        return registered;
    }

    /** The way it reached its manager last ({@code tcp:ADDRESS}, {@code tls:…}, {@code http:…}), or null. */
    String via() {
        return route.last;
    }

    /** The supporter whose session this temporary Host joined with its support code, or null. */
    String supporter() {
        return supporter;
    }

    private void serve(Control c) throws IOException {
        long ping = Math.max(1000, settings.idleSeconds() * 1000L / 3);
        long lastHeard = System.currentTimeMillis();
        while (!closed) {
            ByteBuf f = c.next(ping);
            long now = System.currentTimeMillis();
            if (f == null) {
                if (now - lastHeard > settings.idleSeconds() * 1000L) {
                    throw new IOException("the Connection Manager at " + c.address() + " fell silent");
                }
                c.send(Frames.frame(Frames.PING));
                continue;
            }
            lastHeard = now;
            try {
                handle(Fields.reader(f));
            } catch (ProtocolException e) {
                throw c.broke(e);
            }
        }
    }

    private void handle(WireReader f) throws IOException, ProtocolException {
        int type = f.u8("frame type");
        switch (type) {
            case Frames.OFFER -> offer(Pairing.Offer.read(f));
            case Frames.PING -> {
            }
            case Frames.TICKET -> {
                Ticket t = new Ticket(Fields.string(f, "ticket code"), f.i64("ticket expiry"));
                ticket = t;
                LOG.log(Level.INFO, "webconnect Host '" + settings.hostName() + "': ticket " + t.code() + " valid until "
                        + java.time.Instant.ofEpochMilli(t.expiresAtMillis()) + " (Guests connect to ticket:" + t.code() + ")");
                var w = ticketWanted;
                if (w != null) {
                    w.complete(t);
                }
            }
            case Frames.ERROR -> {
                String reason = Fields.string(f, "reason");
                if (settings.supportCode() != null) {
                    closedWith = reason;
                    if (personEnds) {
                        over(JoinedSupportEnded.By.PERSON, reason);
                    }
                }
                throw new IOException(reason);
            }
            default -> throw new IOException("unexpected frame " + type + " from the Connection Manager");
        }
    }

    private static void askTicket(Control c, int minutes) {
        c.send(Frames.frame(Frames.TICKET_REQUEST, new WireWriter().u32(minutes)));
    }

    /** The current ticket (from the profile's {@code ticket} setting or {@link #requestTicket}), or null. */
    Ticket ticket() {
        return ticket;
    }

    /** Asks the manager for a new ticket valid {@code minutes}; completes when it arrives. */
    java.util.concurrent.CompletableFuture<Ticket> requestTicket(int minutes) {
        var w = new java.util.concurrent.CompletableFuture<Ticket>();
        ticketWanted = w;
        Control c = control;
        if (c == null || !registered) {
            w.completeExceptionally(new IOException("webconnect Host '" + settings.hostName() + "' is not registered now"));
        } else {
            askTicket(c, minutes);
        }
        return w;
    }

    private void offer(Pairing.Offer offer) {
        byte[] pid = offer.pairingId();
        boolean resume = offer.resume();
        String relayId = offer.relayId();
        String relayAddress = offer.relayAddress();
        byte[] token = offer.token();
        String key = HexFormat.of().formatHex(pid);
        WebConnectLink link = links.get(key);
        if (link == null) {
            if (resume || pid.length != 16) {
                ended(pid);
                return;
            }
            link = new WebConnectLink(Frames.ROLE_HOST, pid, settings.maxMessage(), settings.idleSeconds(),
                    settings.reconnectSeconds() * 1000L, device.group(), settings.transport(), route, this, null,
                    "webconnect:" + settings.hostName(), "webconnect-guest:" + key.substring(0, 8) + "@" + relayAddress);
            links.put(key, link);
            WebConnectLink l = link;
            link.dial(relayId, relayAddress, token, 25).whenComplete((ok, e) -> {
                if (e != null && !l.opening.isDone() && WebConnectLink.RelayUnreachable.in(e)) {
                    // The Guest cannot reach it either and asks for another relay: its OFFER resumes this link.
                    l.firstRelayUnreachable();
                    l.watchReconnect(device.timer(), x -> x.fail("no relay could be reached within "
                            + x.reconnectMillis() / 1000 + " s (" + e.getMessage() + ")"));
                } else if (e != null && !l.opening.isDone()) {
                    links.remove(key, l);
                    l.abandon("the Guest never reached the relay: " + e.getMessage());
                }
            });
        } else if (!link.done()) {
            link.dial(relayId, relayAddress, token, 25);
        }
    }

    private void ended(byte[] pid) {
        Control c = control;
        if (c != null) {
            c.send(Frames.frame(Frames.ENDED, Fields.bytes(new WireWriter(), pid)));
        }
    }

    @Override
    public LinkHandler opened(WebConnectLink link) {
        return acceptor.accepted(link);
    }

    @Override
    public void lost(WebConnectLink link, String relayId) {
        // The Guest asks a manager for a new relay; its OFFER comes over the control connection.
        link.watchReconnect(device.timer(), l -> l.fail("the relay connection was lost and not restored within "
                + l.reconnectMillis() / 1000 + " s"));
    }

    @Override
    public void ended(WebConnectLink link) {
        links.remove(link.pairingHex(), link);
        ended(link.pairingId);
    }

    /** The device stops: links end without a word. */
    void abandon() {
        close();
        for (WebConnectLink l : links.values()) {
            l.abandon("the webconnect device stopped");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        JoinedSession s = session;
        if (s != null && !s.isEnded()) {
            JoinedSupportEnded end = endAs;
            s.finish(end == null ? JoinedSupportEnded.By.OVER : end.by(), end == null ? "the temporary Host stopped" : end.reason());
        }
        device.forget(this);
        Control c = control;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
    }
}
