package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.comm.Link;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.protocol.logon.LogonWork;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.logon.WrongPasswords;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.Authenticator;

/**
 * The Gateway's work, free of OSGi so that tests run it with real devices: logs on the Guests that
 * open links to it ({@link #accept}), and routes each through a device group to its target.
 * {@link GatewayNode} feeds it the devices, profiles, groups and settings present in the framework.
 */
final class Gateway {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.gateway");

    final SecureRandom random = new SecureRandom();
    final EventRecorder audit = new EventRecorder("org.tandemrc.gateway.audit");
    /** The one access method of a Gateway: its users' SRP verifiers. */
    static final String METHOD = "gateway-user";

    final GatewayUsers users;
    /** SRP challenges and proofs: off the network threads, bounded. */
    final LogonWork work;
    final ScheduledExecutorService timer;
    /** The built-in method and the Authenticator services, which {@code method} selects by name. */
    final LogonMethods methods;
    private final LogonEngine logon;
    volatile GatewaySettings settings = GatewaySettings.defaults();

    final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    /** Communication profiles by name (enabled or not: outgoing profiles are usually disabled). */
    final Map<String, CommunicationProfile> profiles = new ConcurrentHashMap<>();
    /** Device groups: name to the names of its profiles, in the order they are tried. */
    final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    final Set<Splice> routes = ConcurrentHashMap.newKeySet();
    private final WrongPasswords wrongPasswords = new WrongPasswords(java.time.Clock.systemUTC());

    Gateway(GatewayUsers users, byte[] decoySecret) {
        this(users, decoySecret, List::of);
    }

    /** @param authenticators the Authenticator services present now */
    Gateway(GatewayUsers users, byte[] decoySecret, Supplier<? extends Collection<Authenticator>> authenticators) {
        this.users = users;
        this.methods = new LogonMethods(authenticators, List::of);
        this.work = new LogonWork(2, 64, "tandem-gateway-logon");
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("tandem-gateway-timer"));
        // An unknown user gets a challenge that looks like a real one, and fails like a wrong password.
        methods.builtIn(new SrpAuthenticator(METHOD, name -> users.find(name)
                .map(u -> new SrpAuthenticator.Account(u.verifier(), Set.copyOf(u.groups()))), decoySecret, random));
        this.logon = new LogonEngine("the Gateway", methods, LogonLimits.defaults(), java.time.Clock.systemUTC(), work,
                timer, audit, EventCodes.GATEWAY_PASSWORD_REJECTED, "logon limit: ");
    }

    /** Closes every route and stops the Gateway's threads. */
    void stop(String why) {
        for (Splice s : routes) {
            s.close(why);
        }
        work.close();
        timer.shutdownNow();
    }

    /** The handler of a link a Guest opened to one of the Gateway's endpoints. */
    LinkHandler accept(Link link) {
        Optional<LogonLimiter.Slot> slot = logon().admit(source(link));
        if (slot.isEmpty()) {
            return new LinkHandler() {
                @Override
                public void opened(Link l) {
                    l.close("too many connections from your address are waiting to log on");
                }

                @Override
                public void received(Link l, java.nio.ByteBuffer message) {
                    // nothing is read from a refused peer
                }

                @Override
                public void closed(Link l, String reason) {
                    // refused before anything was said
                }
            };
        }
        return new GatewayConnection(this, link, slot.get());
    }

    /** The logon engine, under the settings in force. */
    LogonEngine logon() {
        logon.limits(settings.limits());
        return logon;
    }

    // ---- wrong passwords ----------------------------------------------------------------------------

    static String source(Link link) {
        String remote = link.remoteAddress();
        try {
            return HostPort.parse(remote, 1, "address").host();
        } catch (IllegalArgumentException e) {
            return remote;
        }
    }

    /** Whether the address is locked out now; how long still, in seconds, or 0. */
    long lockedOutSeconds(String source) {
        return (wrongPasswords.lockedOut(source).toMillis() + 999) / 1000;
    }

    /** Counts a wrong password; answers whether the address is now locked out. */
    boolean failed(String source) {
        GatewaySettings s = settings;
        Duration window = Duration.ofMinutes(s.lockoutMinutes());
        if (s.maxPasswordAttempts() > 0 && wrongPasswords.failed(source, window) >= s.maxPasswordAttempts()) {
            wrongPasswords.forget(source);
            wrongPasswords.lockOut(source, window);
            return true;
        }
        return false;
    }

    void succeeded(String source) {
        wrongPasswords.forget(source);
    }

    // ---- routes -------------------------------------------------------------------------------------

    /** Why a route cannot be made, before anything is tried. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final org.tandemrc.protocol.gateway.GatewayWire.Refusal kind;

        Refusal(org.tandemrc.protocol.gateway.GatewayWire.Refusal kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** The groups the user may use that exist now, sorted. */
    List<String> groupsFor(GatewayUsers.User user) {
        return groups.keySet().stream().filter(user::mayUse).sorted().toList();
    }

    /**
     * Opens the link to the target through the group: the group's profiles in order, those of the
     * device the target names ({@code terminal-server:alice}) when it names one of them.
     *
     * @return completes with the Host's link (its handler is {@code handler}), or exceptionally with
     *         every profile's reason
     */
    CompletableFuture<Link> connect(String group, String target, LinkHandler handler) throws Refusal {
        List<String> names = groups.get(group);
        if (names == null) {
            throw new Refusal(org.tandemrc.protocol.gateway.GatewayWire.Refusal.UNKNOWN_GROUP,
                    "there is no device group '" + group + "' on this Gateway");
        }
        List<CommunicationProfile> candidates = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            CommunicationProfile p = profiles.get(n);
            if (p == null) {
                missing.add("profile '" + n + "' is not configured");
            } else {
                candidates.add(p);
            }
        }
        String address = target;
        int colon = target.indexOf(':');
        if (colon > 0) {
            String device = target.substring(0, colon);
            List<CommunicationProfile> named = candidates.stream().filter(p -> p.device().equals(device)).toList();
            if (!named.isEmpty()) {
                candidates = named;
                address = target.substring(colon + 1);
            }
        }
        if (candidates.isEmpty()) {
            throw new Refusal(org.tandemrc.protocol.gateway.GatewayWire.Refusal.UNAVAILABLE,
                    "device group '" + group + "' has no usable profile (" + String.join("; ", missing) + ")");
        }
        CompletableFuture<Link> result = new CompletableFuture<>();
        List<String> reasons = new ArrayList<>(missing);
        tryNext(candidates, 0, address, handler, reasons, result);
        return result;
    }

    private void tryNext(List<CommunicationProfile> candidates, int i, String address, LinkHandler handler,
            List<String> reasons, CompletableFuture<Link> result) {
        if (i >= candidates.size()) {
            result.completeExceptionally(new IOException(String.join("; ", reasons)));
            return;
        }
        CommunicationProfile p = candidates.get(i);
        CommunicationDevice device = null;
        for (CommunicationDevice d : devices) {
            if (d.type().equals(p.device())) {
                device = d;
                break;
            }
        }
        if (device == null) {
            reasons.add("profile '" + p.name() + "': the " + p.device() + " device is not installed");
            tryNext(candidates, i + 1, address, handler, reasons, result);
            return;
        }
        device.connect(p, address, handler).whenComplete((link, e) -> {
            if (e == null) {
                result.complete(link);
            } else {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                reasons.add("profile '" + p.name() + "': " + cause.getMessage());
                tryNext(candidates, i + 1, address, handler, reasons, result);
            }
        });
    }

    /** A route is open: keep it, and close it when idle for longer than the idle timeout. */
    void opened(Splice splice, String peer, String user, String group, String target) {
        routes.add(splice);
        audit.record(EventCodes.TANDEM_GATEWAY_ROUTE_OPENED, Severity.INFO, peer, user, group + " " + target);
        int idle = settings.idleTimeoutSeconds();
        if (idle > 0) {
            long period = Math.max(1, Math.min(idle / 4, 10));
            ScheduledFuture<?>[] check = new ScheduledFuture<?>[1];
            check[0] = timer.scheduleAtFixedRate(() -> {
                if (splice.isClosed()) {
                    check[0].cancel(false);
                } else if (splice.idleNanos() > TimeUnit.SECONDS.toNanos(idle)) {
                    splice.close("no message either way for " + idle + " s (the Gateway's idle timeout)");
                    check[0].cancel(false);
                }
            }, period, period, TimeUnit.SECONDS);
        }
    }

    void closed(Splice splice, String peer, String user, String group, String target, String reason) {
        routes.remove(splice);
        audit.record(EventCodes.TANDEM_GATEWAY_ROUTE_CLOSED, Severity.INFO, peer, user, group + " " + target + ": "
                + reason + " (" + splice.bytesToHost() + " bytes to the Host, " + splice.bytesToGuest()
                + " to the Guest)");
        LOG.log(System.Logger.Level.DEBUG, "route {0} closed: {1}", target, reason);
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
