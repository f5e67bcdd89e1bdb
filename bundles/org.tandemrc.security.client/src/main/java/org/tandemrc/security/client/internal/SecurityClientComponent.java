package org.tandemrc.security.client.internal;

import static org.osgi.service.component.annotations.ConfigurationPolicy.REQUIRE;
import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.NameResolver;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.node.NodeRole;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.support.comm.DialableAddresses;
import org.tandemrc.support.event.EventRecorder;

/**
 * A node's Security Server client, present when {@code etc/org.tandemrc.security.client.cfg} names the
 * server: the {@link EventSink} that keeps every event in the outbox until the server stored it, the
 * Host's access method {@code security-server}, the Guest's {@link NameResolver} of {@code NS::NAME}, and
 * {@code tandem admin security-client status}.
 */
@Component(name = ClientSettings.PID, configurationPid = ClientSettings.PID, configurationPolicy = REQUIRE,
        service = {EventSink.class, Authenticator.class, NameResolver.class, Command.class},
        property = {Authenticator.METHOD_PROPERTY + "=" + DelegatedLogon.METHOD,
                Command.NAME_PROPERTY + "=admin:security-client"})
@Designate(ocd = ClientConfig.class)
public class SecurityClientComponent implements EventSink, Authenticator, NameResolver, Command {

    static final String USAGE = "usage: tandem admin security-client status";

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    private final List<ConfiguredProfile> profiles = new CopyOnWriteArrayList<>();
    private final EventRecorder events = new EventRecorder("org.tandemrc.security.client.audit");
    private final SecureRandom random = new SecureRandom();
    /** The Host role's service on a Host node: where it listens, for the name it registers. */
    @Reference(service = NodeRole.class, cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY,
            target = "(" + NodeRole.ROLE_PROPERTY + "=host)")
    private volatile List<Map<String, Object>> hostRoles = List.of();
    /** Set before the client starts dialing, which reads it on its own thread. */
    private volatile ClientSettings settings;
    private ServerClient client;
    private DelegatedLogon logon;
    /** The method a browser console on this node logs its supporters on with. */
    private org.osgi.framework.ServiceRegistration<Authenticator> consoleLogons;

    /** Every other sink: this one keeps its own events directly. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY,
            target = "(!(component.name=" + ClientSettings.PID + "))")
    void bindSink(EventSink sink) {
        events.add(sink);
    }

    void unbindSink(EventSink sink) {
        events.remove(sink);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) throws IOException {
        String home = context.getProperty("tandem.home");
        Path root = Path.of(home == null ? "." : home);
        ClientSettings s = ClientSettings.from(config);
        settings = s;
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-security-client");
            t.setDaemon(true);
            return t;
        });
        client = start(root, s, this::dial, this::dialable, events, exec, random);
        logon = new DelegatedLogon(client, events);
        events.add(client::record);
        consoleLogons = context.registerService(Authenticator.class,
                new DelegatedLogon(client, events, SecurityServerWire.Purpose.CONSOLE),
                new java.util.Hashtable<>(Map.of(Authenticator.METHOD_PROPERTY, DelegatedLogon.CONSOLE_METHOD)));
    }

    /** The client over the node's folder {@code root}: its identity key and its outbox. */
    static ServerClient start(Path root, ClientSettings s, ServerClient.Dialer dialer,
            java.util.function.Supplier<List<String>> addresses, EventRecorder events, ScheduledExecutorService exec,
            SecureRandom random) throws IOException {
        events.node(s.name());
        Outbox outbox = new Outbox(root.resolve("data/security/outbox"), s.outboxMaxBytes());
        ServerClient c = new ServerClient(s, identity(root, s.kind()), dialer, outbox, events, addresses, exec, random);
        c.start();
        return c;
    }

    /** A Host proves itself with the Host's own key, which the Host creates; other nodes with a key of their own. */
    static ServerClient.IdentitySource identity(Path root, SecurityServerWire.NodeKind kind) {
        if (kind == SecurityServerWire.NodeKind.HOST) {
            Path file = root.resolve("data/host-identity");
            return () -> {
                if (!Files.exists(file)) {
                    throw new IOException("the Host has not created its identity key " + file + " yet");
                }
                return HostIdentity.loadOrCreate(file, new SecureRandom());
            };
        }
        Path file = root.resolve("data/node-identity");
        return () -> HostIdentity.loadOrCreate(file, new SecureRandom());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        consoleLogons.unregister();
        client.stop();
    }

    private java.util.concurrent.CompletionStage<org.tandemrc.api.comm.Link> dial(org.tandemrc.api.comm.LinkHandler h)
            throws IOException {
        return dial(settings, devices, profiles, h);
    }

    /** Dials the server with the node's device of that type and its first enabled profile of it. */
    static java.util.concurrent.CompletionStage<org.tandemrc.api.comm.Link> dial(ClientSettings s,
            List<CommunicationDevice> devices, List<ConfiguredProfile> profiles, org.tandemrc.api.comm.LinkHandler h)
            throws IOException {
        CommunicationDevice device = devices.stream().filter(d -> d.type().equals(s.device())).findFirst()
                .orElseThrow(() -> new IOException("the " + s.device() + " communication device is not installed"));
        CommunicationProfile profile = profiles.stream()
                .filter(p -> p.enabled() && p.problem().isEmpty() && p.profile().device().equals(s.device()))
                .map(ConfiguredProfile::profile).min(Comparator.comparing(CommunicationProfile::name))
                .orElseGet(() -> new CommunicationProfile("security-server", s.device(), Map.of()));
        return device.connect(profile, s.target(), h);
    }

    /** The Host's listening addresses as Guests dial them. */
    private List<String> dialable() {
        List<String> listening = new java.util.ArrayList<>();
        for (Map<String, Object> props : hostRoles) {
            if (props.get(NodeRole.LISTENING_PROPERTY) instanceof String[] a) {
                listening.addAll(List.of(a));
            }
        }
        return DialableAddresses.of(listening);
    }

    @Override
    public void record(AuditEvent event) {
        client.record(event);
    }

    @Override
    public String method() {
        return DelegatedLogon.METHOD;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) throws IOException {
        return logon.begin(user, sourceAddress);
    }

    @Override
    public List<String> resolve(String name) throws IOException {
        return client.resolve(name);
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        if (args.size() == 1 && args.get(0).equals("status")) {
            out.println(client.status());
            return client.connected() ? 0 : 1;
        }
        (args.contains("--help") ? out : err).println(USAGE);
        return args.contains("--help") ? 0 : 2;
    }
}
