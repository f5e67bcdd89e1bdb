package org.tandemrc.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The commands that start a node in the foreground: {@code start}, {@code console}, {@code host}, ... */
final class NodeCommands {

    private NodeCommands() {
    }

    private static final String LISTEN = "[a-z][a-z0-9-]*:.+";

    /**
     * A command that runs a node of its role in the foreground until it stops: its options become
     * framework properties ({@link #options}), and the features it needs besides the role ({@link #extras}).
     */
    abstract static class NodeCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final String role;

        NodeCommand(String role) {
            this.role = role;
        }

        /** The framework properties the command line sets, for a node with this home. */
        abstract Map<String, String> options(NodeHome home) throws IOException;

        /** Features to install besides the role's, for this command line. */
        List<String> extras() {
            return List.of();
        }

        @Override
        public Integer call() throws Exception {
            NodeHome home = NodeHome.resolve(Cli.root(spec).home);
            Map<String, String> options = options(home);
            Node node = new Node(home, Main.dist(), role, extras(),
                    Duration.ofSeconds(Long.getLong("tandem.start.timeout", 20)), options);
            return node.run(Cli.root(spec).out, System.in);
        }
    }

    /** A role whose only command-line option is where it listens instead of its enabled profiles. */
    abstract static class ListeningNode extends NodeCommand {
        @Mixin
        Listen listen;

        private final String property;

        /** @param property the framework property the role reads {@code --listen} from */
        ListeningNode(String role, String property) {
            super(role);
            this.property = property;
        }

        @Override
        Map<String, String> options(NodeHome home) {
            return listen.options(spec, property);
        }
    }

    /** {@code DEVICE:ADDRESS:PORT}, checked. */
    private static String listen(CommandSpec spec, String value, String example) {
        if (!value.matches(LISTEN)) {
            throw Cli.wrong(spec, "--listen " + value + " is not DEVICE:ADDRESS:PORT, e.g. " + example);
        }
        return value;
    }

    /** Where a Host or Gateway listens instead of its enabled profiles. */
    static final class Listen {
        @Option(names = "--listen", paramLabel = "DEVICE:ADDRESS:PORT",
                description = "listen there instead of the enabled profiles, e.g. tcp:127.0.0.1:6502")
        String address;

        /** The framework property {@code key}, when given. */
        Map<String, String> options(CommandSpec spec, String key) {
            Map<String, String> options = new HashMap<>();
            if (address != null) {
                options.put(key, listen(spec, address, "tcp:127.0.0.1:6502"));
            }
            return options;
        }
    }

    /** Where the browser console listens, and its TLS. */
    static final class Http {
        @Option(names = "--http", paramLabel = "[ADDRESS:]PORT",
                description = "where the console listens over plain HTTP: loopback only (default 127.0.0.1:6580)")
        String address;

        @Option(names = "--https", paramLabel = "[ADDRESS:]PORT",
                description = "serve the console over HTTPS there instead, e.g. 0.0.0.0:6580 to reach it from other"
                        + " machines; the certificate is made on first start in data/console/https.crt (its SHA-256"
                        + " fingerprint is printed at start: compare it with what the browser shows) unless"
                        + " --tls-cert and --tls-key give one")
        String https;

        @Option(names = "--tls-cert", paramLabel = "FILE",
                description = "with --https: the certificate to serve (PEM: the server's certificate, then its chain)")
        Path certificate;

        @Option(names = "--tls-key", paramLabel = "FILE",
                description = "with --https: its private key (PEM, not encrypted: PKCS#8, RSA or EC; keep it chmod 600)")
        Path key;

        /** The HTTP service's framework properties: HTTPS when asked for; plain HTTP on loopback only. */
        Map<String, String> options(CommandSpec spec, NodeHome home) throws IOException {
            if (https != null && address != null) {
                throw Cli.wrong(spec, "--http and --https go apart: the console listens in one place");
            }
            if (https == null && (certificate != null || key != null)) {
                throw Cli.wrong(spec, "--tls-cert and --tls-key go with --https [ADDRESS:]PORT");
            }
            if (https == null) {
                String value = address == null ? "127.0.0.1:6580" : address;
                String[] place = place(spec, "--http", value);
                if (!loopback(place[0])) {
                    throw Cli.wrong(spec, "--http " + value + " would serve the console without encryption beyond"
                            + " this machine, so it is refused. Use --https " + value + " instead (a self-signed"
                            + " certificate is made on first start and its fingerprint printed; or give yours with"
                            + " --tls-cert FILE --tls-key FILE), or keep the console on loopback and reach it over"
                            + " an SSH tunnel: ssh -L 6580:127.0.0.1:6580 THIS-HOST");
                }
                Map<String, String> options = jetty(place[0]);
                options.put("org.osgi.service.http.port", place[1]);
                return options;
            }
            String[] place = place(spec, "--https", https);
            Map<String, String> options = jetty(place[0]);
            try {
                options.putAll(ConsoleTls.options(home.data().resolve("console"), place[0], place[1],
                        certificate == null ? null : certificate.toAbsolutePath(),
                        key == null ? null : key.toAbsolutePath()));
            } catch (IllegalArgumentException e) {
                throw Cli.wrong(spec, "--https: " + e.getMessage());
            }
            return options;
        }
    }

    /** {@code [ADDRESS:]PORT} as address and port, checked; the address defaults to loopback. */
    private static String[] place(CommandSpec spec, String option, String value) {
        String host = "127.0.0.1";
        String port = value;
        int colon = value.lastIndexOf(':');
        if (colon >= 0) {
            port = value.substring(colon + 1);
            if (colon > 0) {
                host = value.substring(0, colon).replace("[", "").replace("]", "");
            }
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535 || host.isBlank()) {
            throw Cli.wrong(spec, option + " " + value + " is not [ADDRESS:]PORT, e.g. 127.0.0.1:6580");
        }
        return new String[] {host, port};
    }

    /** Whether {@code host} names only this machine: a loopback address, or a name resolving to loopback only. */
    static boolean loopback(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** What the HTTP service needs whatever the protocol. */
    private static Map<String, String> jetty(String host) {
        Map<String, String> options = new HashMap<>();
        options.put("org.apache.felix.http.host", host);
        options.put("org.apache.felix.http.enable", "true");
        options.put("org.apache.felix.jetty.websocket.enable", "true");
        options.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        return options;
    }

    /** The role (and feature) of a node that serves the browser console. */
    static final String WEB_CONSOLE = "web-console";

    @Command(name = "start", sortOptions = false,
            description = {"start an all-in-one node: a Host for this computer and the browser console, and print"
                    + " the console's address (the quickest first look)", "",
                "Starts an all-in-one node in the foreground: a Host that shares this computer (its X display when"
                    + " DISPLAY is set) on loopback only, and the browser console that connects to it. It prints"
                    + " the console's address and, on first start, a one-time setup link: open it to create the"
                    + " first administrator account (there is no default password). In the console, Quick Connect"
                    + " offers \"This computer\". Without a display (no DISPLAY, or an X server that does not"
                    + " answer) it says so, and what still works, and starts without the screen.", "",
                "The Host logs Guests on with a random password kept in data/console/local-host-password; the"
                    + " console uses it for \"This computer\". Add other Hosts in the console's phonebook.", "",
                "On a desktop the console's Guest gets the role Attended support: the Host's desktop asks you to"
                    + " allow access, and again before keyboard and mouse are handed over, and shows who is"
                    + " connected; Esc at your keyboard takes control back.", ""})
    static final class Start extends NodeCommand {
        @Mixin
        Http http;

        @Option(names = "--listen", paramLabel = "DEVICE:ADDRESS:PORT", defaultValue = "tcp:127.0.0.1:6502",
                description = "where the Host listens (default ${DEFAULT-VALUE})")
        String listen;

        @Option(names = "--role", paramLabel = "ROLE",
                description = "the role of the console's Guest: Attended support (default on a desktop: you allow"
                        + " access and control in dialogs), Full access (default without a desktop: no one could"
                        + " answer), View only, or a role of etc/org.tandemrc.host.role-NAME.cfg")
        String role;

        Start() {
            super(WEB_CONSOLE);
        }

        /** Without a display, says so and what still works before the node starts (it goes on). */
        @Override
        public Integer call() throws Exception {
            String why = Desktop.withoutDisplay();
            if (why != null) {
                Cli.root(spec).out.println(why + "\n");
            }
            return super.call();
        }

        @Override
        List<String> extras() {
            List<String> extras = new java.util.ArrayList<>(List.of("host"));
            extras.addAll(Desktop.features());
            return extras;
        }

        @Override
        Map<String, String> options(NodeHome home) throws IOException {
            Map<String, String> options = http.options(spec, home);
            options.put("tandem.host.listen", listen(spec, listen, "tcp:127.0.0.1:6502"));
            Path password = Main.localHostPassword(home);
            options.put("tandem.host.password.file", password.toString());
            options.put("tandem.host.password.role", role != null ? role
                    : Desktop.features().isEmpty() ? "Full access" : "Attended support");
            options.put("tandem.console.local.address", listen);
            options.put("tandem.console.local.password.file", password.toString());
            return options;
        }
    }

    @Command(name = "console", sortOptions = false,
            description = {"start a Guest node that serves the browser console", "",
                "Starts a Guest node in the foreground that serves the browser console: Quick Connect, the"
                    + " phonebook (etc. in data/phonebook), history, connections, the remote screen, the file"
                    + " manager, chat and the remote management tools of each Host.", "",
                "The console listens on loopback only over plain HTTP. To reach it from other machines, serve it"
                    + " over HTTPS (--https 0.0.0.0:6580: the node prints the certificate's SHA-256 fingerprint to"
                    + " compare with the browser's) or keep it on loopback and reach it over an SSH tunnel"
                    + " (ssh -L 6580:127.0.0.1:6580 THIS-HOST). Each supporter logs in with their own user name and"
                    + " password: on first start the node prints a one-time setup link that creates the first"
                    + " administrator account, and administrators add the others (each with a one-time link) on the"
                    + " console's Accounts page (accounts in data/console/accounts). Logins end after 30"
                    + " minutes without use and after 12 hours (session.idle.minutes, session.max.hours in"
                    + " etc/org.tandemrc.webconsole.cfg); requests from other sites and from host names other than"
                    + " 127.0.0.1, localhost, those of the HTTPS certificate and allowed.hosts are refused.", "",
                "With etc/org.tandemrc.guest.helpdesk.cfg (services = Support, listen = tcp:0.0.0.0:6503) the node"
                    + " also offers help services: Hosts send help requests there ('tandem admin help request' on"
                    + " the Host), and the console's Help Request tab lists them to take or decline.", ""})
    static final class Console extends NodeCommand {
        @Mixin
        Http http;

        Console() {
            super(WEB_CONSOLE);
        }

        @Override
        Map<String, String> options(NodeHome home) throws IOException {
            return http.options(spec, home);
        }
    }

    @Command(name = "host", sortOptions = false,
            description = {"start a Host node in the foreground (listens for Guests)", "",
                "Starts a Host node in the foreground and prints where it listens and where its log is. On first"
                    + " start the home folder gets the default configuration:",
                "  etc/node.properties       the features to install besides kernel and host",
                "  etc/org.tandemrc.profile-default.cfg",
                "                            the default profile: tcp, all addresses, port 6502",
                "Edit a profile file, or add org.tandemrc.profile-NAME.cfg, and the node follows at once. Plugin"
                    + " bundles copied into deploy/ are started within seconds; replacing a jar updates it,"
                    + " removing it uninstalls it.", "",
                "Exits with status 1 when no profile can listen (e.g. its port is in use) or when a node already"
                    + " runs with the same home. Stop it with Ctrl+C or 'tandem admin stop'.", "",
                "To start it with the desktop or the machine: 'tandem host install [--desktop|--system]'.", ""})
    static final class Host extends NodeCommand {

        static final List<Class<?>> VERBS = List.of(HostInstall.Install.class, HostInstall.Uninstall.class);

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "set the password all Guests log on with (shared-password access) from the first"
                        + " line of FILE; only a verifier is kept, in etc/guest-passwords")
        Path passwordFile;

        @Mixin
        Listen listen;

        Host() {
            super("host");
        }

        @Override
        List<String> extras() {
            return Desktop.features();
        }

        @Override
        Map<String, String> options(NodeHome home) throws IOException {
            Map<String, String> options = listen.options(spec, "tandem.host.listen");
            if (passwordFile != null) {
                Path file = passwordFile.toAbsolutePath().normalize();
                if (!Files.isReadable(file)) {
                    throw new IOException("cannot read the password file " + file);
                }
                options.put("tandem.host.password.file", file.toString());
            }
            return options;
        }
    }

    @Command(name = "gateway", sortOptions = false,
            description = {"start a Gateway node: routes Guests' links to Hosts on other networks", "",
                "Starts a Gateway node in the foreground. Guests connect to it with the gateway device, log on with"
                    + " a Gateway user (SRP: the password never crosses the network) and name a device group and a"
                    + " Host address; the Gateway opens the link to the Host with the group's profiles and forwards"
                    + " the session, which stays encrypted end to end between Guest and Host.",
                "  etc/org.tandemrc.profile-NAME.cfg",
                "      enabled profiles: where Guests reach the Gateway;",
                "      outgoing profiles: enabled = false",
                "  etc/org.tandemrc.gateway.group-NAME.cfg",
                "      a device group: profiles = out1, out2",
                "  etc/org.tandemrc.gateway.cfg",
                "      max-password-attempts, lockout-minutes, logon-timeout, idle-timeout,",
                "      name, logon.* (limits per address and user)",
                "Users: tandem admin gateway user add NAME --password-file FILE --groups G1,G2",
                "           --allow 10.0.0.*  (see 'tandem admin gateway help')", ""})
    static final class Gateway extends ListeningNode {
        Gateway() {
            super("gateway", "tandem.gateway.listen");
        }
    }

    @Command(name = "security-server", sortOptions = false,
            description = {"start a Security Server: central logons, role rules, one-time codes, audit trail", "",
                "Starts a Security Server node in the foreground. Hosts, Gateways and consoles connect to it (port"
                    + " 6510 by default), pin its key (its fingerprint is printed at start) and prove their own;"
                    + " a new node's key waits until an administrator approves it. Hosts then delegate their Guests'"
                    + " logons to it: its own Guest IDs (SRP) or a directory (ldap, pam), a one-time code, and the"
                    + " role rules give the role.",
                "  etc/org.tandemrc.security.server.cfg",
                "      listen (tcp:0.0.0.0:6510), database.url (H2 under data/security; jdbc:postgresql://...",
                "      when several Security Servers share one), database.user, database.password,",
                "      directory (none | ldap | pam | ...), otp.roles, name, logon.* (limits)",
                "Manage it: tandem admin security nodes approve SHA256:... | guests add ID | rules add ...",
                "           | otp enroll ID  (see 'tandem admin security --help')", ""})
    static final class SecurityServer extends ListeningNode {
        SecurityServer() {
            super("security-server", "tandem.security-server.listen");
        }
    }

    @Command(name = "webconnect",
            description = {"run a WebConnect Connection Manager or relay (Connection Server)", "",
                "WebConnect lets Hosts and Guests both dial out: a Host keeps a control connection to a Connection"
                    + " Manager under its name; a Guest asks the manager for it and both meet on a relay"
                    + " (Connection Server) the manager chooses, which forwards their end-to-end encrypted bytes."
                    + " Links survive the death of their relay.", "",
                "Accounts (on a running manager; passwords come from files):",
                "  tandem admin webconnect account add NAME --password-file F [--max-connections N]",
                "  tandem admin webconnect account list",
                "  tandem admin webconnect account remove NAME",
                "  tandem admin webconnect status     managers, relays (sessions, caps), Hosts", "",
                "Host and Guest use the webconnect device with a profile: manager=HOST:PORT[,HOST:PORT],"
                    + " account=NAME, password-file=F, host-name=NAME (Host); Guests connect to NAME, NAME@MANAGER"
                    + " or ticket:CODE.", ""})
    static final class WebConnect extends Cli.Group {

        static final List<Class<?>> VERBS = List.of(Manager.class, Relay.class);

        /** Features a {@code tandem webconnect} node installs besides its role: its relay, the http device for the tunnel. */
        static List<String> extras(boolean relay, boolean httpTunnel) {
            List<String> extra = new java.util.ArrayList<>();
            if (relay) {
                extra.add("webconnect-relay");
            }
            if (httpTunnel) {
                extra.add("comm-http");
            }
            return extra;
        }

        @Command(name = "manager", sortOptions = false,
                description = {"the Connection Manager (default 127.0.0.1:6590) and, unless --no-relay, a relay"
                        + " (default 127.0.0.1:6591) in the same node, sharing the embedded H2 database in data/."
                        + " Several managers and relays share one PostgreSQL database when"
                        + " etc/org.tandemrc.webconnect.manager.cfg and ...relay.cfg set"
                        + " database.url=jdbc:postgresql://... (and database.user, database.password).", ""})
        static final class Manager extends NodeCommand {
            @Mixin
            Places places;

            @Option(names = "--relay-listen", paramLabel = "ADDRESS:PORT", description = "where its relay listens")
            String relayListen;

            @Option(names = "--no-relay", description = "no relay in this node")
            boolean noRelay;

            @Option(names = "--relay-http-listen", paramLabel = "ADDRESS:PORT",
                    description = "the same for its relay")
            String relayHttpListen;

            Manager() {
                super("webconnect-manager");
            }

            @Override
            List<String> extras() {
                return WebConnect.extras(!noRelay, places.httpListen != null || relayHttpListen != null);
            }

            @Override
            Map<String, String> options(NodeHome home) {
                Map<String, String> options = places.options("manager");
                put(options, "tandem.webconnect.relay.listen", relayListen);
                put(options, "tandem.webconnect.relay.http.listen", relayHttpListen);
                return options;
            }
        }

        @Command(name = "relay", sortOptions = false,
                description = {"a relay alone; set database.url in etc/org.tandemrc.webconnect.relay.cfg to the"
                        + " deployment's database.", ""})
        static final class Relay extends NodeCommand {
            @Mixin
            Places places;

            Relay() {
                super("webconnect-relay");
            }

            @Override
            List<String> extras() {
                return WebConnect.extras(false, places.httpListen != null);
            }

            @Override
            Map<String, String> options(NodeHome home) {
                return places.options("relay");
            }
        }

        /** Where a manager or a relay listens, and its HTTP tunnel: their framework properties when given. */
        static final class Places {
            @Option(names = "--listen", paramLabel = "ADDRESS:PORT", description = "where the ${COMMAND-NAME} listens")
            String listen;

            @Option(names = "--http-listen", paramLabel = "ADDRESS:PORT",
                    description = "also accept Hosts and Guests through the HTTP tunnel (the http device, installed"
                            + " for the run) on ADDRESS:PORT, for those whose network lets only web traffic out"
                            + " (their profiles set fallback=http:HOST:PORT); same as http.listen in the cfg")
            String httpListen;

            /** {@code tandem.webconnect.SERVER.listen} and {@code ...http.listen}, as far as given. */
            Map<String, String> options(String server) {
                Map<String, String> options = new HashMap<>();
                put(options, "tandem.webconnect." + server + ".listen", listen);
                put(options, "tandem.webconnect." + server + ".http.listen", httpListen);
                return options;
            }
        }

        private static void put(Map<String, String> options, String key, String value) {
            if (value != null) {
                options.put(key, value);
            }
        }
    }
}
