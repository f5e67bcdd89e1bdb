package org.tandemrc.guest.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.guest.HelpDesk;
import org.tandemrc.api.guest.HelpRequest;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.support.comm.ListenPlace;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * The Guest's help services ({@code etc/org.tandemrc.guest.helpdesk.cfg}: {@code services}, {@code
 * listen}, {@code max.pending}; described by {@link HelpDeskConfig}). A Host that requests help dials one of the places it listens on,
 * directly or through a Gateway; the Guest runs the secure handshake over that link as over one it
 * dialed, receives the request inside the encrypted connection and keeps the connection pending
 * until a supporter takes it ({@link #take}: the usual logon, then sessions over the same link), a
 * supporter declines it, or the Host cancels.
 *
 * <p>Wire (control messages, after the handshake): Host {@code help.request} (service, host, user,
 * problem); Guest {@code help.pending} or {@code help.refused} (reason); later Guest {@code
 * help.taken} (by), after which the Guest logs on as after a connect; or Host {@code help.cancel}.
 */
@Component(service = HelpDesk.class, configurationPid = HelpDeskComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HelpDeskConfig.class)
public class HelpDeskComponent implements HelpDesk {

    static final String PID = "org.tandemrc.guest.helpdesk";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);
    private static final System.Logger LOG = System.getLogger(PID);
    /** How long a Host that dialed in has to send its request. */
    private static final long REQUEST_SECONDS = 20;
    static final int MAX_SERVICE = 64;
    static final int MAX_PROBLEM = 4096;

    private final SecureRandom random = new SecureRandom();
    /** The Guest's connector: its session types and its event recorder serve the help desk's logons too. */
    @Reference
    private GuestConnector connector;
    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    /** Pending calls by request id, oldest first. Guarded by itself. */
    private final Map<String, Call> pending = new LinkedHashMap<>();
    /** Every call not yet closed, taken or not. */
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Open endpoints by listen place, and the device each was opened with. Guarded by this. */
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, CommunicationDevice> endpointDevices = new LinkedHashMap<>();
    private final Map<String, String> problems = new LinkedHashMap<>();

    private List<String> services = List.of();
    private List<CommunicationProfile> places = List.of();
    private int maxPending;
    private ScheduledExecutorService scheduler;
    private boolean active;
    private String configProblem;
    private ServiceRegistration<Command> command;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(CommunicationDevice d) {
        devices.add(d);
        reconcile();
    }

    void unbindDevice(CommunicationDevice d) {
        devices.remove(d);
        reconcile();
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        try {
            Settings s = Settings.from(config);
            services = s.services();
            places = s.places();
            maxPending = s.maxPending();
        } catch (IllegalArgumentException e) {
            configProblem = e.getMessage() + " (the help desk is off)";
            LOG.log(System.Logger.Level.ERROR, configProblem);
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Command.NAME_PROPERTY, "admin:helpdesk");
        command = context.registerService(Command.class, new HelpDeskCommand(this), props);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-helpdesk-timers");
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            active = true;
            reconcileLocked();
        }
        connector.events.record(EventCodes.GUEST_HELP_SERVICE_STARTED, Severity.INFO, "", "", String.join(", ", services));
    }

    @Deactivate
    void deactivate() {
        command.unregister();
        synchronized (this) {
            active = false;
            for (String place : new ArrayList<>(endpoints.keySet())) {
                close(place, "the help service stopped");
            }
        }
        for (Call c : calls) {
            c.connection.close("the Guest's help service stopped");
        }
        scheduler.shutdownNow();
        connector.events.record(EventCodes.GUEST_HELP_SERVICE_STOPPED, Severity.INFO, "", "", "");
    }

    @Override
    public List<String> services() {
        return services;
    }

    @Override
    public synchronized List<String> listening() {
        return endpoints.values().stream().map(Endpoint::address).toList();
    }

    @Override
    public synchronized List<String> problems() {
        return List.copyOf(problems.values());
    }

    @Override
    public List<HelpRequest> pending() {
        synchronized (pending) {
            return pending.values().stream().map(c -> c.request).toList();
        }
    }

    @Override
    public HostConnection take(String id, String guestId, char[] password) throws GuestException, InterruptedException {
        Call call = claim(id);
        call.connection.send(ControlMessage.of("help.taken").with("by", GuestConnector.localName()));
        HelpRequest r = call.request;
        try {
            return GuestConnector.logOn(call.connection, call.events, connector.events, guestId, password, random,
                    connector.sessionTypes,
                    r.address(), r.fingerprint(), "the Host dialed in with a help request: its key was not "
                            + "compared with a pinned one; the logon proved it holds the password");
        } catch (GuestException e) {
            call.connection.close("the supporter could not log on: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public void decline(String id, String reason) throws GuestException {
        Call call = claim(id);
        String why = reason == null || reason.isBlank() ? "the supporter declined the help request" : reason.trim();
        call.connection.send(ControlMessage.of("help.refused").with("reason", why));
        call.connection.close("help request declined: " + why);
        connector.events.record(EventCodes.GUEST_HELP_REQUEST_CANCELED, Severity.INFO, call.remote, "",
                call.request.hostName() + ": declined (" + why + ")");
    }

    @Override
    public Runnable watch(Runnable changed) {
        watchers.add(changed);
        return () -> watchers.remove(changed);
    }

    /** Removes a pending request for a supporter to act on it. */
    private Call claim(String id) throws GuestException {
        Call call;
        synchronized (pending) {
            call = id == null ? null : pending.remove(id);
        }
        if (call == null) {
            throw new GuestException(GuestException.Reason.NOT_FOUND, "there is no pending help request " + id
                    + " (the Host canceled it or another supporter took it)");
        }
        synchronized (call) {
            call.taken = true;
        }
        changed();
        return call;
    }

    private void changed() {
        for (Runnable w : watchers) {
            try {
                w.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "a help desk watcher failed", e);
            }
        }
    }

    private synchronized void reconcile() {
        if (active) {
            reconcileLocked();
        }
    }

    /** Opens the places whose device is installed; closes those whose device left or was replaced. */
    private void reconcileLocked() {
        problems.clear();
        if (configProblem != null) {
            problems.put("", configProblem);
        }
        for (CommunicationProfile place : places) {
            String key = place.settings().get("bind") + ":" + place.settings().get("port") + "/" + place.device();
            CommunicationDevice device = devices.stream().filter(d -> d.type().equals(place.device())).findFirst()
                    .orElse(null);
            if (endpoints.containsKey(key) && endpointDevices.get(key) != device) {
                close(key, device == null ? "the " + place.device() + " device was removed" : "its device was replaced");
            }
            if (device == null) {
                problems.put(key, "the help desk waits for the " + place.device() + " communication device");
                continue;
            }
            if (endpoints.containsKey(key)) {
                continue;
            }
            try {
                Endpoint e = device.listen(place, this::accepted);
                endpoints.put(key, e);
                endpointDevices.put(key, device);
                LOG.log(System.Logger.Level.INFO, "help desk ({0}) listens on {1}", String.join(", ", services),
                        e.address());
            } catch (Exception e) {
                problems.put(key, "the help desk cannot listen on " + place.device() + ":" + key + ": " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, problems.get(key));
            }
        }
    }

    private void close(String key, String why) {
        Endpoint e = endpoints.remove(key);
        endpointDevices.remove(key);
        if (e != null) {
            LOG.log(System.Logger.Level.INFO, "help desk stops listening on {0}: {1}", e.address(), why);
            e.close();
        }
    }

    private LinkHandler accepted(Link link) {
        Call call = new Call(link.remoteAddress());
        Connection c = Connection.guest(GuestConnector.localName(), String.join(",", connector.sessionTypes.keySet()),
                call, scheduler, random);
        call.connection = c;
        calls.add(call);
        return c;
    }

    /** One Host's call: first its help request, then, once taken, the logon and sessions. */
    private final class Call implements Connection.Listener {
        final GuestConnector.GuestListener events = new GuestConnector.GuestListener();
        final String remote;
        volatile Connection connection;
        /** Guarded by this. */
        HelpRequest request;
        boolean taken;
        ScheduledFuture<?> timer;

        Call(String remote) {
            this.remote = remote;
        }

        @Override
        public void secured(Connection c) {
            events.secured(c);
            synchronized (this) {
                timer = scheduler.schedule(() -> {
                    synchronized (this) {
                        if (request != null) {
                            return;
                        }
                    }
                    c.close("no help request within " + REQUEST_SECONDS + " s");
                }, REQUEST_SECONDS, TimeUnit.SECONDS);
            }
        }

        @Override
        public void control(Connection c, ControlMessage m) throws ProtocolException {
            synchronized (this) {
                if (taken) {
                    events.control(c, m);
                    return;
                }
            }
            switch (m.type()) {
                case "help.request" -> request(c, m);
                case "help.cancel" -> c.close("the Host canceled its help request");
                default -> throw new ProtocolException("unexpected " + m.type() + " before the help request was taken");
            }
        }

        /** Once a supporter logged on over this call, the connection answers as one the Guest dialed. */
        @Override
        public void openRequested(Connection c, Connection.OpenRequest r) {
            events.openRequested(c, r);
        }

        private void request(Connection c, ControlMessage m) throws ProtocolException {
            String service = field(m, "service", MAX_SERVICE);
            String hostName = field(m, "host", 255);
            String user = field(m, "user", 255);
            String problem = m.text("problem", "");
            if (problem.length() > MAX_PROBLEM) {
                throw new ProtocolException("the problem description is longer than " + MAX_PROBLEM + " characters");
            }
            String offered = services.stream().filter(s -> s.equalsIgnoreCase(service)).findFirst().orElse(null);
            String refusal = offered == null ? "this Guest offers no help service '" + service + "' (it offers "
                    + String.join(", ", services) + ")" : null;
            byte[] id = new byte[6];
            random.nextBytes(id);
            HelpRequest r = new HelpRequest(HexFormat.of().formatHex(id), offered == null ? service : offered,
                    hostName.isEmpty() ? c.peerName() : hostName, user, problem, remote,
                    HostIdentity.fingerprint(c.hostKey().orElseThrow()), Instant.now());
            synchronized (this) {
                if (request != null) {
                    throw new ProtocolException("a second help request on one connection");
                }
                request = r;
                if (timer != null) {
                    timer.cancel(false);
                }
            }
            if (refusal == null) {
                synchronized (pending) {
                    if (pending.size() >= maxPending) {
                        refusal = "the help desk has " + maxPending + " pending requests; try again later";
                    } else {
                        pending.put(r.id(), this);
                    }
                }
            }
            if (refusal != null) {
                connector.events.record(EventCodes.GUEST_HELP_REQUEST_CANCELED, Severity.INFO, remote, user,
                        r.hostName() + ": refused (" + refusal + ")");
                c.send(ControlMessage.of("help.refused").with("reason", refusal));
                c.close("help request refused: " + refusal);
                return;
            }
            c.send(ControlMessage.of("help.pending").with("service", r.service()));
            connector.events.record(EventCodes.GUEST_HELP_REQUEST_RECEIVED, Severity.INFO, remote, user,
                    r.hostName() + " asks " + r.service() + (problem.isEmpty() ? "" : ": " + problem));
            changed();
        }

        @Override
        public void closed(Connection c, String reason) {
            events.closed(c, reason);
            calls.remove(this);
            HelpRequest r;
            synchronized (this) {
                if (timer != null) {
                    timer.cancel(false);
                }
                r = request;
            }
            boolean wasPending;
            synchronized (pending) {
                wasPending = r != null && pending.remove(r.id(), this);
            }
            if (wasPending) {
                connector.events.record(EventCodes.GUEST_HELP_REQUEST_CANCELED, Severity.INFO, remote,
                        r.user(), r.hostName() + ": " + reason);
                changed();
            }
        }

        private static String field(ControlMessage m, String name, int max) throws ProtocolException {
            String v = m.text(name, "").strip();
            if (v.length() > max || v.chars().anyMatch(ch -> ch < 0x20)) {
                throw new ProtocolException("the help request's " + name + " must be at most " + max
                        + " printable characters");
            }
            return v;
        }
    }

    /** The help desk's configuration, checked. */
    record Settings(List<String> services, List<CommunicationProfile> places, int maxPending) {

        static Settings from(Map<String, Object> config) {
            HelpDeskConfig c = TypedConfig.of(HelpDeskConfig.class, PID, config);
            List<String> services = new ArrayList<>();
            for (String s : c.services()) {
                if (s.length() > MAX_SERVICE || s.chars().anyMatch(ch -> ch < 0x20)) {
                    throw CHECK.invalid("services", s, "is not a help service name (at most " + MAX_SERVICE
                            + " printable characters)");
                }
                if (services.stream().noneMatch(x -> x.equalsIgnoreCase(s))) {
                    services.add(s);
                }
            }
            if (services.isEmpty()) {
                throw CHECK.missing("services", "name at least one help service, e.g. services = Support");
            }
            List<CommunicationProfile> places = new ArrayList<>();
            for (String l : c.listen()) {
                places.add(ListenPlace.parse("helpdesk", l));
            }
            return new Settings(List.copyOf(services), List.copyOf(places),
                    CHECK.range("max.pending", c.max_pending(), 1, 10_000));
        }
    }
}
