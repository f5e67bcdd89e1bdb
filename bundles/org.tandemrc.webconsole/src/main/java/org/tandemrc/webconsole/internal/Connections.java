package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.chat.RemoteChats;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.api.guest.HelpDesk;
import org.tandemrc.api.guest.HelpRequest;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.screen.client.RemoteScreens;

/**
 * The console's Host connections: opened from the browser, listed with the sessions each has open,
 * remembered in the history ({@code data/console/history.log}, one JSON line per connection with the
 * supporter's account that opened it; each supporter sees theirs, an administrator all), and
 * closed from the browser or by the Host. Everything the browser must hear without asking (chat
 * lines, transfer progress, a connection that ended) goes to the event listeners.
 */
@Component(service = Connections.class)
public class Connections {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconsole");
    static final int HISTORY_SHOWN = 200;

    /** One connection the console holds. */
    final class Link {
        final String id;
        final HostConnection connection;
        final Instant since = Instant.now();
        final String label;
        /** Names of the sessions open on it, with how many of each. */
        private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();
        final Chat chat;
        private FileSession browser;

        Link(String id, HostConnection connection, String label) {
            this.id = id;
            this.connection = connection;
            this.label = label;
            this.chat = new Chat(this);
        }

        void opened(String session) {
            sessions.computeIfAbsent(session, s -> new AtomicInteger()).incrementAndGet();
            changed();
        }

        void ended(String session) {
            sessions.computeIfPresent(session, (s, n) -> n.decrementAndGet() <= 0 ? null : n);
            changed();
        }

        List<String> sessions() {
            List<String> names = new ArrayList<>(sessions.keySet());
            Collections.sort(names);
            return names;
        }

        /** The file session that lists folders for the file manager, opened on first use. */
        synchronized FileSession browser() throws GuestException, InterruptedException {
            if (browser == null) {
                RemoteFiles files = remoteFiles;
                if (files == null) {
                    throw new GuestException(Reason.NOT_INSTALLED, "file transfer is not installed on this Guest");
                }
                browser = files.open(connection);
                opened("File Transfer");
            }
            return browser;
        }

        synchronized void closeBrowser() {
            if (browser != null) {
                browser.close();
                browser = null;
                ended("File Transfer");
            }
        }

        Connections owner() {
            return Connections.this;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("address", connection.address());
            m.put("label", label);
            m.put("hostName", connection.hostName());
            m.put("fingerprint", connection.fingerprint());
            m.put("keyNote", connection.keyNote());
            m.put("role", connection.role());
            List<String> privileges = new ArrayList<>();
            connection.privileges().forEach(p -> privileges.add(p.name()));
            m.put("privileges", privileges);
            m.put("controlOnConsent", connection.controlOnConsent());
            m.put("since", since.toString());
            m.put("sessions", sessions());
            return m;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** Transfers and other slow work started from the browser. */
    final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tandem-console-work");
        t.setDaemon(true);
        return t;
    });
    private Path history;
    /** The all-in-one node's own Host ("This computer"), or null. */
    volatile String localAddress;
    private Path localPassword;

    @Reference
    volatile Guest guest;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteScreens remoteScreens;

    volatile HelpDesk helpDesk;
    private Runnable stopWatching;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindHelpDesk(HelpDesk desk) {
        helpDesk = desk;
        if (stopWatching != null) {
            stopWatching.run();
        }
        stopWatching = desk.watch(() -> publish(Map.of("type", "help")));
        publish(Map.of("type", "help"));
    }

    synchronized void unbindHelpDesk(HelpDesk desk) {
        if (helpDesk == desk) {
            helpDesk = null;
            if (stopWatching != null) {
                stopWatching.run();
                stopWatching = null;
            }
            publish(Map.of("type", "help"));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteFiles remoteFiles;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteChats remoteChats;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteMessages remoteMessages;

    @Activate
    void activate(BundleContext context) throws IOException {
        String home = context.getProperty("tandem.home");
        Path dir = Path.of(home == null ? "." : home).resolve("data/console");
        Files.createDirectories(dir);
        history = dir.resolve("history.log");
        localAddress = context.getProperty("tandem.console.local.address");
        String pw = context.getProperty("tandem.console.local.password.file");
        localPassword = pw == null ? null : Path.of(pw);
    }

    /** How to log on to "This computer" on an all-in-one node. */
    ConnectRequest localRequest(boolean acceptChangedKey) throws GuestException {
        if (localAddress == null || localPassword == null) {
            throw new GuestException(Reason.NOT_INSTALLED,
                    "this node has no Host of its own; start it with 'tandem start'");
        }
        try {
            String password = Files.readAllLines(localPassword).get(0).trim();
            return new ConnectRequest(localAddress, null, password.toCharArray(), acceptChangedKey);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new GuestException(Reason.LOCAL_FAILURE,
                    "cannot read this computer's Host password from " + localPassword);
        }
    }

    @Deactivate
    void deactivate() {
        for (Link l : links.values()) {
            l.connection.close("the console stopped");
        }
        links.clear();
        work.shutdownNow();
    }

    /** Hears every event as a JSON text; returns what stops it. */
    Runnable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(Map<String, Object> event) {
        String text = Json.write(event);
        for (Consumer<String> l : listeners) {
            try {
                l.accept(text);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "an event listener failed", e);
            }
        }
    }

    private void changed() {
        publish(Map.of("type", "connections"));
    }

    /** Connects and logs on for a supporter; the attempt, whatever its outcome, goes to the history. */
    Link connect(ConnectRequest request, String label, String supporter) throws GuestException, InterruptedException {
        Guest g = guest;
        return opened(() -> g.connect(request), request.address(), label, supporter);
    }

    /** Answers an invitation a person at a Host made; the attempt goes to the history too. */
    Link connect(org.tandemrc.support.invitation.Invitation invitation, char[] password, String supporter)
            throws GuestException, InterruptedException {
        Guest g = guest;
        return opened(() -> invitation.connect(g, password, "", (address, why) -> { }), invitation.addresses().get(0),
                "invitation from " + invitation.host(), supporter);
    }

    /** Takes a pending help request and logs on over the Host's connection; it goes to the history too. */
    Link takeHelpRequest(String id, String guestId, char[] password, String supporter)
            throws GuestException, InterruptedException {
        HelpDesk desk = helpDesk;
        if (desk == null) {
            throw new GuestException(Reason.NOT_INSTALLED,
                    "this Guest offers no help services (etc/org.tandemrc.guest.helpdesk.cfg)");
        }
        HelpRequest r = desk.pending().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(
                () -> new GuestException(Reason.NOT_FOUND, "there is no pending help request " + id
                        + " (the Host canceled it or another supporter took it)"));
        return opened(() -> desk.take(id, guestId, password), r.address(),
                "help request: " + r.service() + (r.problem().isEmpty() ? "" : ": " + r.problem()), supporter);
    }

    private interface Opening {
        HostConnection open() throws GuestException, InterruptedException;
    }

    private Link opened(Opening opening, String address, String label, String supporter)
            throws GuestException, InterruptedException {
        HostConnection c;
        try {
            c = opening.open();
        } catch (GuestException e) {
            remember(supporter, address, label, null, "failed: " + e.getMessage());
            throw e;
        }
        byte[] b = new byte[6];
        random.nextBytes(b);
        Link link = new Link(HexFormat.of().formatHex(b), c, label);
        links.put(link.id, link);
        link.chat.takeHostChats();
        remember(supporter, address, label, c.hostName(), "connected as " + c.role());
        c.closed().whenComplete((reason, error) -> {
            links.remove(link.id);
            link.chat.ended(reason == null ? "the connection ended" : reason);
            publish(Map.of("type", "closed", "connection", link.id, "reason",
                    reason == null ? "the connection ended" : reason));
            changed();
        });
        changed();
        return link;
    }

    Link get(String id) throws GuestException {
        Link l = id == null ? null : links.get(id);
        if (l == null || !l.connection.isOpen()) {
            throw new GuestException(Reason.NOT_FOUND, "there is no open connection " + id);
        }
        return l;
    }

    List<Map<String, Object>> list() {
        List<Link> all = new ArrayList<>(links.values());
        all.sort((a, b) -> a.since.compareTo(b.since));
        List<Map<String, Object>> out = new ArrayList<>();
        all.forEach(l -> out.add(l.describe()));
        return out;
    }

    void close(String id) throws GuestException {
        Link l = get(id);
        l.closeBrowser();
        l.connection.close("the Guest disconnected");
    }

    private synchronized void remember(String supporter, String address, String label, String hostName, String outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("user", supporter);
        line.put("address", address);
        line.put("label", label);
        line.put("hostName", hostName);
        line.put("outcome", outcome);
        try {
            Files.writeString(history, Json.write(line) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the console history " + history, e);
        }
    }

    /**
     * The newest connections first, at most {@value #HISTORY_SHOWN}: those of {@code supporter}, or with
     * {@code all} everyone's (lines from before accounts name nobody and are shown only then).
     */
    synchronized List<Object> history(String supporter, boolean all) throws IOException {
        if (!Files.exists(history)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(history);
        List<Object> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < HISTORY_SHOWN; i--) {
            try {
                Object line = Json.parse(lines.get(i));
                if (all || line instanceof Map<?, ?> m && supporter.equals(m.get("user"))) {
                    out.add(line);
                }
            } catch (Json.Malformed e) {
                // a torn last line after a crash: skip it
            }
        }
        return out;
    }
}
