package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.support.comm.DescribedDevice;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Pairing;

/**
 * The {@code webconnect} device: Host and Guest both dial out to a Connection Manager and meet on a relay
 * it chooses. Profile settings: {@code manager} (host:port[,host:port], tried in order), {@code account},
 * {@code password} or {@code password-file}, {@code host-name} (Host side; default the profile's
 * {@code host.name}), {@code idle-timeout} (seconds, default 60), {@code reconnect-timeout} (seconds a
 * link waits for a new relay, default 30), {@code max-message}, {@code tls} (true/false, for manager
 * addresses without {@code tls:}/{@code tcp:}), {@code trust} (PEM certificates to trust) or
 * {@code trust-fingerprint} (SHA-256 pins, comma-separated), {@code ticket} (Host: minutes; registers a
 * ticket at logon), {@code fallback} ({@code none}, {@code http} or {@code http:ADDRESS[,ADDRESS]}: the
 * managers' HTTP tunnel, used when TCP fails), {@code transport} ({@code auto} or {@code http}: the tunnel
 * only), {@code connect-timeout} (seconds, default 10), {@code proxy}, {@code proxy-user},
 * {@code proxy-password} (for the tunnel, as the {@code http} device reads them). Addresses to connect to:
 * {@code NAME}, {@code NAME@manager[,manager]} or {@code ticket:CODE}.
 */
@Component(service = CommunicationDevice.class)
@TandemDeviceType(WebConnectDevice.TYPE)
public class WebConnectDevice extends DescribedDevice {

    static final String TYPE = "webconnect";
    private static final Logger LOG = System.getLogger("org.tandemrc.comm.webconnect");

    private EventLoopGroup group;
    private ExecutorService work;
    private ScheduledExecutorService timer;
    private final Set<HostEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<WebConnectLink> guestLinks = ConcurrentHashMap.newKeySet();

    /** The {@code http} device for the tunnel ({@code fallback}); optional. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + CommunicationDevice.TYPE_PROPERTY + "=http)")
    private volatile CommunicationDevice http;

    /** For tests: the {@code http} device the tunnel uses. */
    void http(CommunicationDevice device) {
        this.http = device;
    }

    CommunicationDevice http() {
        return http;
    }

    /** The profile's settings, with this device's http device for the tunnel. */
    Settings settings(CommunicationProfile profile, boolean needHostName) {
        Settings s = Settings.of(profile, needHostName);
        s.transport().httpDevice(this::http);
        return s;
    }

    public WebConnectDevice() {
        super(TYPE, Settings.ALL);
    }

    @Activate
    public void activate() {
        group = new NioEventLoopGroup(0, new DefaultThreadFactory("tandem-webconnect-io", true));
        work = Executors.newCachedThreadPool(new DefaultThreadFactory("tandem-webconnect-work", true));
        timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tandem-webconnect-timer", true));
    }

    @Deactivate
    public void deactivate() throws InterruptedException {
        for (HostEndpoint e : List.copyOf(endpoints)) {
            e.abandon();
        }
        for (WebConnectLink l : List.copyOf(guestLinks)) {
            l.abandon("the webconnect device stopped");
        }
        work.shutdownNow();
        timer.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    EventLoopGroup group() {
        return group;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    void forget(HostEndpoint e) {
        endpoints.remove(e);
    }

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        Settings s = settings(profile, true);
        if (s.managers().isEmpty()) {
            throw new IllegalArgumentException("profile '" + profile.name() + "': 'manager' (the Connection Manager address) is missing");
        }
        HostEndpoint e = new HostEndpoint(this, profile, s, acceptor);
        endpoints.add(e);
        e.start();
        return e;
    }

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        Settings s;
        String target = address.trim();
        List<String> managers;
        try {
            s = settings(profile, false);
            int at = target.startsWith("ticket:") ? -1 : target.indexOf('@');
            managers = at >= 0 ? Settings.managers(target.substring(at + 1)) : s.managers();
            if (at >= 0) {
                target = target.substring(0, at);
            }
            if (managers.isEmpty()) {
                throw new IllegalArgumentException("no Connection Manager: set 'manager' in profile '" + profile.name()
                        + "' or connect to NAME@MANAGER");
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String name = target;
        work.execute(() -> {
            try {
                Transport.Route route = new Transport.Route();
                Paired p = ask(s, managers, route, name, null, Set.of());
                Pairing.Paired offer = p.frame();
                GuestOwner owner = new GuestOwner(s, managers, route);
                WebConnectLink link = new WebConnectLink(Frames.ROLE_GUEST, offer.pairingId(), s.maxMessage(), s.idleSeconds(),
                        s.reconnectSeconds() * 1000L, group, s.transport(), route, owner, handler,
                        "webconnect-guest", "webconnect:" + offer.hostName() + "@" + p.manager());
                guestLinks.add(link);
                link.dial(offer.relayId(), offer.relayAddress(), offer.token(), 25).whenComplete((ok, e) -> {
                    if (e != null && WebConnectLink.RelayUnreachable.in(e) && !link.done()) {
                        // A relay that died without deregistering is still offered for a few seconds: ask for
                        // another (the manager stops choosing this one until it shows a new heartbeat).
                        LOG.log(Level.INFO, () -> "webconnect: " + e.getMessage() + "; asking for another relay");
                        link.firstRelayUnreachable();
                        owner.lost(link, offer.relayId());
                    } else if (e != null) {
                        guestLinks.remove(link);
                        link.abandon(e.getMessage());
                        result.completeExceptionally(new IOException("cannot reach Host '" + name + "' through relay "
                                + offer.relayId() + ": " + e.getMessage(), e));
                    }
                });
                link.opening.whenComplete((l, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(l);
                    }
                });
            } catch (Control.Refused e) {
                result.completeExceptionally(new IOException(e.getMessage(), e));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** A PAIRED frame and the manager that sent it. */
    private record Paired(Pairing.Paired frame, String manager) {
    }

    /** Logs on to the first manager that answers and asks for a pairing (new, or a resume). */
    private Paired ask(Settings s, List<String> managers, Transport.Route route, String target, byte[] resume,
            Set<String> avoid) throws IOException, Control.Refused {
        IOException last = null;
        for (int i = 0; i < managers.size(); i++) {
            String m = managers.get(i);
            try (Control c = Control.open(group, m, s.transport().managerTunnel(i, m), s.transport(), route, 10_000)) {
                if (resume == null) {
                    LOG.log(Level.INFO, "webconnect Guest for '" + target + "': Connection Manager at " + m + " via "
                            + c.via());
                }
                c.logon(s.account(), s.password(), "guest", 20_000);
                if (resume == null) {
                    c.send(Frames.frame(Frames.CONNECT, Fields.string(new WireWriter(), target)));
                } else {
                    WireWriter w = Fields.bytes(new WireWriter(), resume).u16(avoid.size());
                    avoid.forEach(r -> Fields.string(w, r));
                    c.send(Frames.frame(Frames.RESUME, w));
                }
                try {
                    return new Paired(Pairing.Paired.read(Fields.reader(c.expect(Frames.PAIRED, 20_000))), m);
                } catch (ProtocolException e) {
                    throw c.broke(e);
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no Connection Manager configured");
    }

    /** The Guest side drives a resume: it asks a manager for a new relay until the reconnect timeout. */
    private final class GuestOwner implements WebConnectLink.Owner {
        private final Settings settings;
        private final List<String> managers;
        private final Transport.Route route;

        GuestOwner(Settings settings, List<String> managers, Transport.Route route) {
            this.settings = settings;
            this.managers = managers;
            this.route = route;
        }

        @Override
        public void lost(WebConnectLink link, String relayId) {
            work.execute(() -> resume(link, relayId));
        }

        private void resume(WebConnectLink link, String failedRelay) {
            Set<String> avoid = new HashSet<>();
            if (failedRelay != null) {
                avoid.add(failedRelay);
            }
            long deadline = link.lostAt() + link.reconnectMillis();
            String why = "no relay";
            while (!link.done() && link.lostAt() != 0 && System.currentTimeMillis() < deadline) {
                Paired p = null;
                try {
                    p = ask(settings, managers, route, null, link.pairingId, avoid);
                    int wait = (int) Math.max(1, Math.min(25, (deadline - System.currentTimeMillis()) / 1000 + 1));
                    link.dial(p.frame().relayId(), p.frame().relayAddress(), p.frame().token(), wait)
                            .get(wait + 5L, TimeUnit.SECONDS);
                    return;
                } catch (Control.Refused e) {
                    why = e.getMessage();
                    if (why.startsWith("the connection has ended")) {
                        break;
                    }
                } catch (Exception e) {
                    why = e.getMessage();
                    if (p != null) {
                        avoid.add(p.frame().relayId());
                    }
                }
                if (avoid.size() > 8) {
                    avoid.clear(); // a relay that failed once may be back
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!link.done() && link.lostAt() != 0) {
                link.fail((link.everOpened() ? "the relay connection was lost and not restored within "
                        : "no relay could be reached within ") + link.reconnectMillis() / 1000 + " s (" + why + ")");
            }
        }

        @Override
        public void ended(WebConnectLink link) {
            guestLinks.remove(link);
        }

        @Override
        public LinkHandler opened(WebConnectLink link) {
            return null; // the Guest's handler is given to connect()
        }
    }
}
